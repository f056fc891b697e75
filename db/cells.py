"""Report cells as compact rows: `cells` names each key once (section, row, column, Chinese labels) and
`cell_values` holds (report_id, cell, number, state, raw, unit) per cell, keyed by (report_id, cell).

The `report_values` view joins the two back into the readable rows Datasette shows. A report's four cell
maps (values, raw, states, units) are kept only here, not again in reports.parsed, and rebuild exactly:
`state` is a small code whose bits also say which maps a key was absent from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from nianbao.errors import DatabaseError
from parsers.schema import key_info, template_keys

STATES = ("number", "none", "blank", "text")
_STATE_CODES = {state: code for code, state in enumerate(STATES)}
NO_STATE = 4  # the key is not in the report's states
NO_VALUE = 8  # the key is not in the report's values (it has a raw text or a state only)
CELL_FIELDS = ("values", "raw", "states", "units")
# SQLite integers are 64-bit; a cell of 25 digits (a table misread as one number) is kept as its digits.
_MAX_INTEGER = 2**63 - 1

INSERT_CELL_VALUES = "INSERT INTO cell_values (report_id, cell, number, state, raw, unit) VALUES (?, ?, ?, ?, ?, ?)"
SELECT_CELL_VALUES = "SELECT cell, number, state, raw, unit FROM cell_values WHERE report_id = ?"


def key_columns(key: str) -> tuple[str, str | None, str | None, str | None, str | None]:
    """(section, row, column, row_label, column_label) of a key; extra.* keys have no template labels."""
    info = key_info(key)
    if info:
        return info.section, info.row, info.column, info.row_label, info.column_label
    section, _, rest = key.partition(".")
    row, _, column = rest.rpartition(".")
    return section, row or None, column or None, None, None


def template_cell_keys() -> list[str]:
    """Every key of the 2021 template, then the 2019 template's own keys, in document order."""
    return list(dict.fromkeys([*template_keys("2021"), *template_keys("2019")]))


def add_cells(db: Database, keys: Iterable[str]) -> None:
    """Name these keys in `cells` (keys already there keep their id)."""
    db.conn.executemany(
        """INSERT OR IGNORE INTO cells (key, section, "row", "column", row_label, column_label)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [(key, *key_columns(key)) for key in keys],
    )


class CellIds:
    """key ↔ cells.id for one connection. Only ids committed before the first use are cached, so a rolled-back
    transaction that named a new key never leaves a stale id behind."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ids: dict[str, int] | None = None
        self._keys: dict[int, str] = {}

    def _cache(self) -> dict[str, int]:
        if self._ids is None:
            self._ids = dict(self.db.conn.execute("SELECT key, id FROM cells").fetchall())
            self._keys = {cell: key for key, cell in self._ids.items()}
        return self._ids

    def id_of(self, key: str) -> int:
        """The id of a key, adding it to `cells` (inside the caller's transaction) when new."""
        found = self._cache().get(key)
        if found is not None:
            return found
        row = self.db.conn.execute("SELECT id FROM cells WHERE key = ?", [key]).fetchone()
        if row is None:
            row = self.db.conn.execute(
                """INSERT INTO cells (key, section, "row", "column", row_label, column_label)
                   VALUES (?, ?, ?, ?, ?, ?) RETURNING id""", [key, *key_columns(key)]).fetchone()
        return int(row[0])

    def cache(self) -> dict[str, int]:
        """key → cells.id, as cached (committed ids only)."""
        return self._cache()

    def keys(self) -> dict[int, str]:
        """cells.id → key, as cached."""
        self._cache()
        return self._keys

    def key_of(self, cell: int) -> str:
        """The key of a cell id."""
        self._cache()
        key = self._keys.get(cell)
        if key is None:
            key = self.db.conn.execute("SELECT key FROM cells WHERE id = ?", [cell]).fetchone()[0]
        return key


def _number(value: Any) -> Any:
    if type(value) is int and not -_MAX_INTEGER <= value <= _MAX_INTEGER:
        return str(value)
    return value


def cell_rows(report_id: int, parsed: dict[str, Any], ids: CellIds) -> list[tuple[Any, ...]]:
    """(report_id, cell, number, state, raw, unit) per cell of a ParsedReport.to_json() object."""
    values, raw, states, units = (parsed.get(name) or {} for name in CELL_FIELDS)
    if states.keys() == values.keys() and raw.keys() <= values.keys() and units.keys() <= values.keys():
        # The parser's usual report: every cell in values and states, known keys, 64-bit numbers. One
        # comprehension (this runs for every report ingested); anything unusual takes the general path.
        try:
            cache, codes = ids.cache(), _STATE_CODES
            rows = [(report_id, cache[key], value, codes[states[key]], raw.get(key), units.get(key))
                    for key, value in values.items()]
        except KeyError:
            pass
        else:
            if not any(type(value) is int and not -_MAX_INTEGER <= value <= _MAX_INTEGER
                       for value in values.values() if value):
                return rows
    return _general_rows(report_id, values, raw, states, units, ids)


def _general_rows(report_id: int, values: dict[str, Any], raw: dict[str, str], states: dict[str, str],
                  units: dict[str, str], ids: CellIds) -> list[tuple[Any, ...]]:
    keys: Iterable[str] = dict.fromkeys([*values, *raw, *states, *units])
    rows = []
    for key in keys:
        state = states.get(key)
        code = NO_STATE if state is None else _STATE_CODES.get(state)
        if code is None:
            raise DatabaseError(f"cell {key}: state {state!r} is not one of {', '.join(STATES)}")
        if key not in values:
            code |= NO_VALUE
        rows.append((report_id, ids.id_of(key), _number(values.get(key)), code, raw.get(key), units.get(key)))
    return rows


def cell_maps(rows: Iterable[tuple[Any, ...]], ids: CellIds) -> dict[str, dict[str, Any]]:
    """values, raw, states and units rebuilt from (cell, number, state, raw, unit) rows."""
    values: dict[str, Any] = {}
    raw: dict[str, str] = {}
    states: dict[str, str] = {}
    units: dict[str, str] = {}
    keys = ids.keys()
    for cell, number, code, raw_text, unit in rows:
        key = keys.get(cell) or ids.key_of(cell)
        if code < NO_STATE:  # the usual cell: in values, raw and states (checks read 20M of these at national scale)
            states[key] = STATES[code]
            values[key] = int(number) if type(number) is str else number
        else:
            if not code & NO_VALUE:
                values[key] = int(number) if type(number) is str else number
            if code & 7 != NO_STATE:
                states[key] = STATES[code & 7]
        if raw_text is not None:
            raw[key] = raw_text
        if unit is not None:
            units[key] = unit
    return {"values": values, "raw": raw, "states": states, "units": units}


def report_cells(db: Database, report_id: int, ids: CellIds) -> dict[str, dict[str, Any]]:
    """The four cell maps of one stored report."""
    return cell_maps(db.conn.execute(SELECT_CELL_VALUES, [report_id]).fetchall(), ids)


def compact_json(parsed: dict[str, Any]) -> str:
    """reports.parsed: the ParsedReport.to_json() object without its cell maps (they live in cell_values)."""
    return json.dumps({name: value for name, value in parsed.items() if name not in CELL_FIELDS},
                      ensure_ascii=False, separators=(",", ":"))


STATE_SQL = ("CASE v.state & 7 WHEN 0 THEN 'number' WHEN 1 THEN 'none' WHEN 2 THEN 'blank' WHEN 3 THEN 'text' END")

REPORT_VALUES = f"""
SELECT v.report_id, c.key, c.section, c."row", c."column", c.row_label, c.column_label,
  v.number, {STATE_SQL} AS state, v.raw, v.unit
FROM cell_values v JOIN cells c ON c.id = v.cell
"""
