"""Random bytes and mutated real reports never crash the parser: a report or a clear ParseError."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import ParseError, parse_bytes

SEEDS = [p.read_bytes() for p in sorted((Path(__file__).parent / "golden").glob("seed_*/input.txt"))]
FUZZ = settings(max_examples=150, deadline=15_000, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_clear_error(data: bytes, name: str) -> None:
    try:
        report = parse_bytes(data, name)
    except ParseError as error:
        assert error.source == name and error.message
    else:
        assert report.source == name


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(["x.txt", "x.html", "x.pdf", "x.docx", "x.doc", "x.xlsx", "x"]))
def test_parser_random_bytes_never_crash(data: bytes, name: str) -> None:
    _parse_or_clear_error(data, name)


@FUZZ
@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 200), st.binary(max_size=40)), min_size=1, max_size=8),
)
def test_parser_mutated_reports_never_crash(seed: bytes, mutations: list[tuple[float, int, bytes]]) -> None:
    data = bytearray(seed)
    for where, cut, insert in mutations:
        at = int(where * len(data))
        data[at : at + cut] = insert
    _parse_or_clear_error(bytes(data), "mutated.txt")


TABLE_ALPHABET = st.sampled_from(list("\t\n|0123456789/一二三（）、.总计自然人规章行政复议增减万元 "))


@FUZZ
@given(st.text(alphabet=TABLE_ALPHABET, max_size=3000))
def test_parser_table_like_text_never_crashes(text: str) -> None:
    _parse_or_clear_error(text.encode("utf-8"), "tables.txt")


def _address_space_limit() -> None:
    limit = 1536 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_parser_office_structure_fuzzing_stays_within_memory() -> None:
    """tests/office_structure_fuzz.py: random merged ranges, dimensions, XML depth and size, under 1.5 GiB."""
    script = Path(__file__).parent / "office_structure_fuzz.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600,
                          preexec_fn=_address_space_limit, cwd=Path(__file__).parent.parent, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]
