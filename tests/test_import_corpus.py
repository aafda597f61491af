"""Every real messy file of ../shared/corpus imports with the rows, columns and types its
MANIFEST says (facts checked by hand, machine-readable in expected.json)."""

import json
import sqlite3

import pytest

from datactiviste.ingest.importer import import_file
from tests.conftest import CORPUS

EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8")) if CORPUS.is_dir() else {}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(EXPECTED) or ["(corpus missing)"])
def test_corpus_file(corpus, tmp_path, name):
    expected = EXPECTED[name]
    database = tmp_path / "corpus.db"
    results = import_file(corpus / name, database)
    assert len(results) == 1, "each corpus file holds one table"
    (result,) = results
    # Where the MANIFEST counts a footnote or a total that adds up as a data row, it is now set
    # aside on strong evidence (ingest/setaside.py, ingest/totals.py), counted in the report and kept in _anomalies.
    counted = {result.rows_written, result.rows_written + result.totals,
               result.rows_written + result.footer_lines + result.totals}
    assert counted & set(expected["data_rows"]), (counted, expected["data_rows"])
    assert len(result.columns) in expected["columns"]
    if expected["delimiter"] is not None:
        assert result.delimiter == expected["delimiter"]
    if expected["encoding"] is not None:
        aliases = {"utf-8": {"utf-8"}, "utf-8-sig": {"utf-8 (BOM)"}, "latin-1": {"iso-8859-1", "cp1252"},
                   "utf-16": {"utf-16-le (BOM)", "utf-16-be (BOM)"}}
        assert result.encoding in aliases[expected["encoding"]]
    if expected["first_column"] is not None:
        assert "".join(result.columns[0].label.split()) == "".join(expected["first_column"].split())
    connection = sqlite3.connect(database)
    for index, spec in expected["types"].items():
        column = result.columns[int(index)]
        wanted = spec[0]
        assert column.type == wanted or (wanted == "NUM" and column.type in ("INTEGER", "REAL")), \
            f"{column.label}: {column.type} ({column.examples})"
        if len(spec) > 1:
            (first,) = connection.execute(
                f'SELECT "{column.name}" FROM "{result.table}" WHERE "{column.name}" IS NOT NULL ORDER BY rowid LIMIT 1'
            ).fetchone()
            assert first == spec[1] or (isinstance(first, str) and first.startswith(str(spec[1])))
    # Nothing lost: every data row is in the table, every set-aside line is in _anomalies.
    (stored,) = connection.execute(f'SELECT count(*) FROM "{result.table}"').fetchone()
    assert stored == result.rows_written
