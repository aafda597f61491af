"""Check one real-corpus case: import the raw file, compare with the facts written by hand.

Shared by tests/test_import_realcorpus.py and scripts/score_realcorpus.py, so the test and the
score agree on what "right" means. Expected facts live in tests/realcorpus/expected/<case>.json
(schema in tests/realcorpus/README.md); the raw files are in tests/realcorpus/files when their
licence lets them be passed on, else outside the repository: see `raw_file`.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import sqlite3
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
ROOT = HERE.parents[1]

# The raw files whose licence allows passing them on (see `redistributable`) are committed here;
# the others are read, when present, from an outside folder: an explicit one, the steering repo's
# shared/ beside the repository, or a folder beside it (first found wins).
COMMITTED = HERE / "files"
OUTSIDE = [
    Path(os.environ["DATACTIVISTE_REALCORPUS"]) if os.environ.get("DATACTIVISTE_REALCORPUS") else None,
    ROOT.parent / "shared" / "realcorpus" / "files",
    ROOT.parent / "realcorpus" / "files",
]
MANIFEST = HERE / "MANIFEST.tsv"

# A file may be committed when its repository's licence (or the data's own open licence, named in
# the manifest) lets anyone pass it on with attribution: permissive and copyleft software licences,
# open-data licences. Not "none stated", not non-commercial (CC BY-NC-SA), not odd vendor licences.
_OPEN_REPOSITORY = re.compile(r"^(MIT|Unlicense|Apache|BSD|MPL|GPL|AGPL|ODbL|ODC-PDDL|Licence Ouverte|CC0|CC BY 4\.0)")
_OPEN_DATA = re.compile(r"Licence Ouverte|CC[ -]BY[ -]4\.0|ODbL|CC0|Open Government Licence")


def redistributable(licence: str) -> bool:
    """True when MANIFEST.tsv's licence text lets the raw file be committed (see above)."""
    if "-NC" in licence:
        return False
    return bool(_OPEN_REPOSITORY.match(licence) or _OPEN_DATA.search(licence))


def manifest() -> dict[str, dict]:
    """MANIFEST.tsv's rows by case name."""
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        return {row["case"]: row for row in csv.DictReader(handle, delimiter="\t")}


def outside_folder() -> Path | None:
    for candidate in OUTSIDE:
        if candidate is not None and candidate.is_dir():
            return candidate
    return None


def raw_file(case: dict) -> Path | None:
    """Where the case's raw file is: committed, else in the outside folder; None when absent."""
    for folder in (COMMITTED, outside_folder()):
        if folder is not None and (folder / case["file"]).is_file():
            return folder / case["file"]
    return None


# Encoding families: the importer's label (ImportResult.encoding) that each family accepts.
ENCODINGS = {
    "ascii": None,  # pure ASCII: every ASCII-compatible answer is right
    "utf-8": {"utf-8"},
    "utf-8-sig": {"utf-8 (BOM)", "utf-8-sig"},
    "latin": {"cp1252", "windows-1252", "iso-8859-1", "latin-1", "iso-8859-15"},
    "cp1252": {"cp1252", "windows-1252"},
    "utf-16": {"utf-16-le (BOM)", "utf-16-be (BOM)", "utf-16-le", "utf-16-be", "utf-16"},
    "iso-8859-7": {"iso-8859-7", "iso8859-7", "greek"},
    "mac_roman": {"mac_roman", "mac-roman", "macroman"},
}
ASCII_COMPATIBLE = {"utf-8", "cp1252", "windows-1252", "iso-8859-1", "latin-1", "iso-8859-15", "ascii", "mac_roman"}

# Reason families for set-aside lines: what the importer may call each in _anomalies.reason.
REASONS = {
    "preamble": {"preamble", "title", "title-block"},
    "footnote": {"footer", "footnote", "note", "notes"},
    "total": {"total", "subtotal", "sub-total"},
    "repeated-header": {"repeated-header"},
    "comment": {"comment"},
    "section": {"section"},
    "header": {"header-tags", "header-metadata", "header-names", "header-notes"},
}


def load_cases() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(EXPECTED.glob("*.json"))}


def squash(text) -> str:
    """Labels compared without their white space (line breaks in headers, doubled spaces)."""
    return "".join(str(text).split())


def same_value(stored, wanted) -> bool:
    if isinstance(wanted, float) and isinstance(stored, (int, float)):
        return math.isclose(stored, wanted, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        return isinstance(stored, (int, float)) and stored == wanted
    return stored == wanted


def same_cell(stored, raw: str) -> bool:
    """The first cell as the file spells it, or as a number when the column holds numbers."""
    if stored is None:
        return raw.strip() == ""
    if squash(stored) == squash(raw):
        return True
    if isinstance(stored, (int, float)):
        text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        for candidate in (text, text.replace(",", ".")):
            try:
                return math.isclose(float(candidate), float(stored))
            except ValueError:
                continue
    return False


def _pick(results, sheet):
    """The result for `sheet` (a lone table of a one-sheet workbook has sheet None)."""
    if len(results) == 1 and results[0].sheet in (None, sheet):
        return results[0]
    return next((r for r in results if sheet is not None and r.sheet == sheet), None)


def check_case(case: dict, path: Path | None, database: Path) -> list[str]:
    """Every mismatch between the importer's answer and the hand-written facts ([] when right)."""
    from datactiviste.errors import DatactivisteError
    from datactiviste.ingest.importer import ImportOptions, import_file

    if path is None or not path.is_file():
        return [f"raw file missing: {case['file']}"]
    try:
        results = import_file(path, database, ImportOptions(index=False))
    except DatactivisteError as error:
        if case.get("refused"):
            # Not a table (a web page, a document saved as .csv…): refused with a message that says
            # what the file is, and the database untouched.
            return [] if not database.exists() else [f"refused, but the database was written: {error}"]
        return [f"import refused the file: {error}"]
    except Exception as error:  # noqa: BLE001 - a crash is a failure of the case, reported as such
        return [f"import crashed: {type(error).__name__}: {error}"]
    if case.get("refused"):
        return [f"imported {len(results)} table(s) from a file that is not a table ({case['refused']})"]
    problems = []
    if "tables" in case.get("workbook", {}) and len(results) != case["workbook"]["tables"]:
        problems.append(f"tables: importer made {len(results)} ({[r.sheet for r in results]}), "
                        f"file has {case['workbook']['tables']}")
    connection = sqlite3.connect(database)
    try:
        for table in case["tables"]:
            result = _pick(results, table.get("sheet"))
            where = f"sheet {table['sheet']!r}: " if table.get("sheet") else ""
            if result is None:
                problems.append(f"{where}no table imported for it (got {[r.sheet for r in results]})")
                continue
            problems += [where + p for p in _check_table(table, result, connection)]
    finally:
        connection.close()
    return problems


def _check_table(table: dict, result, connection) -> list[str]:
    problems = []
    if "delimiter" in table and result.delimiter != table["delimiter"]:
        problems.append(f"delimiter: importer {result.delimiter!r}, file {table['delimiter']!r}")
    if "encoding" in table:
        accepted = ENCODINGS[table["encoding"]]
        label = (result.encoding or "").lower()
        accepted = None if accepted is None else {name.lower() for name in accepted}
        if accepted is None:
            if label.split(" ")[0] not in ASCII_COMPATIBLE:
                problems.append(f"encoding: importer {result.encoding!r} for a pure ASCII file")
        elif label not in accepted:
            problems.append(f"encoding: importer {result.encoding!r}, file is {table['encoding']}")
    if "header_line" in table and not _one_of(result.header_line, table.get("header_lines", table["header_line"])):
        problems.append(f"header line: importer {result.header_line}, file {table['header_line']}")
    if "data_rows" in table and not _one_of(result.rows_written, table["data_rows"]):
        problems.append(f"data rows: importer {result.rows_written}, file {table['data_rows']}")
    # The file's columns: not the one the importer adds with the titles of the sections it set aside.
    columns = [c for c in result.columns if c.kind != "section"]
    if "columns" in table and not _one_of(len(columns), table["columns"]):
        problems.append(f"columns: importer {len(columns)}, file {table['columns']}")
    labels = [c.label.split("—")[0] for c in columns]  # a stacked header merged as 'Région — 2019'

    if table.get("first_label") is not None and (not labels or squash(labels[0]) != squash(table["first_label"])):
        problems.append(f"first label: importer {labels[:1]}, file {table['first_label']!r}")
    if table.get("last_label") is not None and (not labels or squash(labels[-1]) != squash(table["last_label"])):
        problems.append(f"last label: importer {labels[-1:]}, file {table['last_label']!r}")
    quoted = '"' + result.table.replace('"', '""') + '"'
    (stored,) = connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()
    if stored != result.rows_written:
        problems.append(f"table holds {stored} rows but the report says {result.rows_written}")
    dated = result.columns and result.columns[0].type in ("DATE", "DATETIME")
    if "first_cell" in table and result.columns and not dated:  # a converted date: see "types"
        row = connection.execute(f'SELECT "{_name(result, 0)}" FROM {quoted} ORDER BY rowid LIMIT 1').fetchone()
        if row is None or not same_cell(row[0], table["first_cell"]):
            problems.append(f"first cell: importer {row[0] if row else None!r}, file {table['first_cell']!r}")
    problems += _check_set_aside(table, result, connection)
    for index, (sql_type, offset, value) in table.get("types", {}).items():
        index = int(index)
        if index >= len(result.columns):
            problems.append(f"column {index}: missing (importer has {len(result.columns)} columns)")
            continue
        column = result.columns[index]
        if column.type != sql_type:
            problems.append(f"type of {column.label!r}: importer {column.type}, file {sql_type} "
                            f"(examples {column.examples[:3]})")
        if value is None:
            continue
        row = connection.execute(f'SELECT "{_name(result, index)}" FROM {quoted} ORDER BY rowid LIMIT 1 OFFSET ?',
                                 (offset,)).fetchone()
        if row is None or not same_value(row[0], value):
            problems.append(f"value of {column.label!r} in data row {offset + 1}: importer "
                            f"{row[0] if row else None!r}, file means {value!r}")
    return problems


def _one_of(count: int, wanted) -> bool:
    """A count the file settles (int) or the few counts it allows (list, see the case's notes)."""
    return count in wanted if isinstance(wanted, list) else count == wanted


def _name(result, index: int) -> str:
    return result.columns[index].name.replace('"', '""')


def _check_set_aside(table: dict, result, connection) -> list[str]:
    rows = connection.execute(
        "SELECT source_line, reason FROM _anomalies WHERE table_name = ? AND column_name IS NULL "
        "AND source_id = (SELECT max(id) FROM _sources WHERE table_name = ?)",
        (result.table, result.table)).fetchall()
    found = {line: reason for line, reason in rows}
    problems = []
    for line, family in table.get("set_aside", []):
        reason = found.get(line)
        if reason is None:
            problems.append(f"line {line} ({family}) not set aside (set aside: {sorted(found)[:8]})")
        elif reason not in REASONS[family]:
            problems.append(f"line {line} set aside as {reason!r}, file says {family}")
    (read,) = connection.execute("SELECT rows_read FROM _sources WHERE table_name = ? ORDER BY id DESC LIMIT 1",
                                 (result.table,)).fetchone() or (None,)
    if read is not None and read != result.rows_written + len(rows):
        problems.append(f"_sources.rows_read {read} != rows written {result.rows_written} + set aside {len(rows)}")
    return problems
