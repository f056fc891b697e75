#!/usr/bin/env bash
# Prove that nianbao works when installed from its wheel, as a user installs it: build the wheel from the
# checkout's files, install it into a new virtual environment outside the checkout, then from an empty
# folder run `nianbao --help`, the demo (emails written) and `nianbao serve` (a canned query and a report page
# fetched over HTTP). Run by `make check-install`, which `make test` (and so CI) runs.
# Usage: scripts/check-install.sh [PYTHON]   (default python3; 3.11 or newer)
set -euo pipefail

PYTHON=${1:-python3}
CHECKOUT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-check-install.XXXXXX")
SERVER_PID=""
STARTED=$SECONDS

cleanup() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# pip without this machine's notices about index folders it skips ("WARNING: Location … is ignored").
quiet_pip() { "$VENV_BIN/pip" "$@" 2> >(grep -v '^WARNING: Location .* is ignored' >&2); }
step() { printf '[check-install %3ds] %s\n' $((SECONDS - STARTED)) "$*"; }
fail() { printf '[check-install] FAILED: %s\n' "$*" >&2; exit 1; }

# The files git knows (committed or new, not ignored), so a stale build/ or .venv of the checkout cannot leak in.
step "copying the checkout's files to $WORK/src"
mkdir -p "$WORK/src" "$WORK/dist" "$WORK/run"
git -C "$CHECKOUT" ls-files -z --cached --others --exclude-standard |
    (cd "$CHECKOUT" && while IFS= read -r -d '' file; do [[ -e $file ]] && printf '%s\0' "$file"; done) |
    tar -C "$CHECKOUT" --null -T - -cf - | tar -C "$WORK/src" -xf -

step "creating a virtual environment with $PYTHON"
"$PYTHON" -m venv "$WORK/venv"
VENV_BIN="$WORK/venv/bin"

step "building the wheel"
quiet_pip wheel -q --no-deps -w "$WORK/dist" "$WORK/src"
WHEEL=$(ls "$WORK"/dist/nianbao-*.whl)
step "built $(basename "$WHEEL"); installing it with its dependencies"
quiet_pip install -q --no-compile "$WHEEL"

cd "$WORK/run"  # an empty folder: nothing of the checkout on the path, no nianbao.toml
LOCATION=$("$VENV_BIN/python" -c 'import db; print(db.__file__)')
[[ $LOCATION == "$WORK/venv/"* ]] || fail "the package db was imported from $LOCATION, not from the new environment"

step "nianbao --help"
"$VENV_BIN/nianbao" --help > help.txt || fail "nianbao --help exited $?"
grep -q "demo" help.txt || fail "nianbao --help does not list the demo command"
# Every module a command may import lazily is in the wheel (the scheduler is a top-level module).
"$VENV_BIN/python" -c 'import scheduler, alerts, checks, crawler.worker, db.browse, parsers, samples.demo_run' ||
    fail "a module of nianbao is missing from the wheel"

step "nianbao demo --no-serve --output $WORK/run/demo"
"$VENV_BIN/nianbao" -q demo --no-serve --output demo > demo.txt || { cat demo.txt; fail "nianbao demo exited $?"; }
EMAILS=$(find demo/emails -name '*.eml' 2>/dev/null | wc -l)
[[ $EMAILS -gt 0 ]] || fail "nianbao demo wrote no emails to demo/emails"
[[ -s demo/nianbao.db ]] || fail "nianbao demo wrote no database"
step "the demo wrote $EMAILS emails"

PORT=$("$VENV_BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "nianbao serve --db demo/nianbao.db --port $PORT"
"$VENV_BIN/nianbao" serve --db demo/nianbao.db --port "$PORT" > serve.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 240); do  # up to 60 s for Datasette to start
    kill -0 "$SERVER_PID" 2>/dev/null || { cat serve.log; SERVER_PID=""; fail "nianbao serve exited"; }
    "$VENV_BIN/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/-/versions.json', timeout=5)" \
        2>/dev/null && break
    sleep 0.25
done

# 云溪县 (990102) of the demo world has report years 2022–2024 (samples/demo_world.py); report 1 has a page
# drawn by the template db/datasette/templates/row-nianbao-reports.html (its heading starts 年度报告).
"$VENV_BIN/python" - "$PORT" <<'PY' || { cat serve.log; fail "Datasette did not serve the canned query and the report page"; }
import json
import sys
import urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"


def get(path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return response.read().decode("utf-8")


rows = json.loads(get("/nianbao/county_scorecard.json?county=990102&_shape=array"))
years = [row["年度"] for row in rows]
assert years == [2022, 2023, 2024], f"county_scorecard for 990102: years {years}, expected 2022, 2023, 2024"
page = get("/nianbao/reports/1")
assert "年度报告 1" in page, "the report page was not drawn by nianbao's row template"
assert "三、收到和处理政府信息公开申请情况" in page, "the report page does not lay out the statistics tables"
assert "nb-table" in get("/nianbao-static/report.css"), "the report page's stylesheet is not in the wheel"
dashboard = get("/-/dashboards/timeliness")
assert "年报按时发布情况" in dashboard, "the timeliness dashboard is missing"
print(f"canned query county_scorecard: {len(rows)} rows; report page and dashboard served")
PY
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

step "OK: the wheel installs and its commands work outside the checkout ($((SECONDS - STARTED)) s)"
