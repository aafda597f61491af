"""Golden tests: one small file per trap, and by hand what a correct import gives for it.

Each `tests/fixtures/import/NAME.*` has a `NAME.expected.json`: detected encoding, delimiter and
header line; columns as [sql name, original header, type]; every row; every anomaly logged.
Adding a case means adding two files (see build_fixtures.py for how the bytes were made).
"""

import json
import sqlite3

import pytest

from datactiviste.ingest.importer import import_file
from tests.conftest import FIXTURES

CASES = sorted(p for p in (FIXTURES / "import").glob("*.expected.json"))


def _data_file(expected_path):
    stem = expected_path.name[: -len(".expected.json")]
    (match,) = [p for p in expected_path.parent.glob(stem + ".*") if not p.name.endswith(".expected.json")]
    return match


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_trap_imports_as_expected(tmp_path, expected_path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    database = tmp_path / "t.db"
    (result,) = import_file(_data_file(expected_path), database)
    assert result.encoding == expected["encoding"]
    assert result.delimiter == expected["delimiter"]
    assert result.header_line == expected["header_line"]
    assert [[c.name, c.label, c.type] for c in result.columns] == expected["columns"]
    connection = sqlite3.connect(database)
    rows = [list(r) for r in connection.execute(f'SELECT * FROM "{result.table}" ORDER BY rowid')]
    assert rows == expected["rows"]
    assert result.rows_written == len(expected["rows"])
    anomalies = [list(r) for r in connection.execute(
        "SELECT source_line, column_name, raw_value, reason FROM _anomalies WHERE table_name = ? ORDER BY id",
        (result.table,))]
    assert anomalies == expected["anomalies"]
    for column, unit in expected.get("units", {}).items():
        assert next(c for c in result.columns if c.name == column).unit == unit
    for column, markers in expected.get("markers", {}).items():
        assert next(c for c in result.columns if c.name == column).markers == markers
    if "nul_bytes" in expected:
        assert result.nul_bytes == expected["nul_bytes"]
    if "legacy_lines" in expected:
        assert result.legacy_lines == expected["legacy_lines"]
    if "repaired_mojibake" in expected:
        assert result.repaired_mojibake is expected["repaired_mojibake"]
    # Values that are numbers are stored as numbers, not as text that looks like one.
    for index, (_name, _label, sql_type) in enumerate(expected["columns"]):
        if sql_type in ("INTEGER", "REAL"):
            kinds = {type(row[index]) for row in rows} - {type(None)}
            assert kinds <= {int, float, str}
