"""How well the parser reads hand-read cases: any folder of cases with input.* and expected.json.

    .venv/bin/python bench/accuracy.py tests/real               # per document, then totals and totals by format
    .venv/bin/python bench/accuracy.py tests/real tests/golden
    .venv/bin/python bench/accuracy.py --summary tests/real     # only the line `make test` prints

Per document: agency/year/template/kind/published_on right or wrong (expected → read), cells right/total and
which cells are wrong. Cells are compared on the keys the person typed in; template keys the parser read that
the document does not have count against the document too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nianbao.accuracy import CaseError, CaseScore, Totals, case_folders, score_case, summary_line, totals

SHOWN_CELLS = 12  # wrong cells listed per document; the rest are counted


def _percent(right: int, total: int) -> str:
    return f"{100 * right / total:.1f}%" if total else "-"


def describe(score: CaseScore) -> list[str]:
    """Lines for one document."""
    verdict = "exact" if score.exact else "MISSES"
    lines = [f"{score.name} [{score.format}] {verdict}: fields {score.fields_right}/{score.fields_total}, "
             f"cells {score.cells_right}/{score.cells_total} ({_percent(score.cells_right, score.cells_total)})"]
    if score.error:
        lines.append(f"    parse error: {score.error}")
    for name, (want, got) in score.wrong_fields.items():
        lines.append(f"    {name}: expected {want!r}, read {got!r}")
    wrong = sorted(score.wrong_cells.items())
    for key, (want, got) in wrong[:SHOWN_CELLS]:
        lines.append(f"    {key}: expected {want!r}, read {got!r}")
    if len(wrong) > SHOWN_CELLS:
        lines.append(f"    … and {len(wrong) - SHOWN_CELLS} more wrong cells")
    if score.unexpected_cells:
        shown = ", ".join(score.unexpected_cells[:SHOWN_CELLS])
        lines.append(f"    read {len(score.unexpected_cells)} cells the document does not have: {shown}")
    return lines


def total_line(label: str, total: Totals) -> str:
    return (f"{label}: {total.exact}/{total.documents} documents exact, "
            f"fields {total.fields_right}/{total.fields_total}, "
            f"cells {total.cells_right}/{total.cells_total} ({_percent(total.cells_right, total.cells_total)})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders of cases (or single case folders)")
    parser.add_argument("--summary", action="store_true", help="print only the one-line score")
    args = parser.parse_args(argv)
    missing = [str(folder) for folder in args.folders if not folder.is_dir()]
    if missing:
        print(f"error: not a folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        scores = [score_case(case) for case in case_folders(args.folders)]
    except CaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not scores:
        print(f"error: no cases (folders with expected.json) under {', '.join(map(str, args.folders))}",
              file=sys.stderr)
        return 2
    overall, by_format = totals(scores)
    if args.summary:
        print(summary_line(overall))
        return 0
    for score in scores:
        print("\n".join(describe(score)))
    print()
    for fmt, total in by_format.items():
        print(total_line(f"  {fmt}", total))
    print(total_line("all", overall))
    print(summary_line(overall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
