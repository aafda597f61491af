"""JSON and GeoJSON read as a Table: a list of records (or a FeatureCollection's properties).

Bounded: more keys than SQLite has columns, or nesting deeper than the parser allows, are refused
with the record where it shows.
"""

from __future__ import annotations

import json
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.i18n.formats import format_number
from datactiviste.ingest.encoding import detect_encoding
from datactiviste.ingest.readers import MAX_COLUMNS, ReadOptions, Table, forced_encoding
from datactiviste.ingest.workbooks import cell_text, grid_batches


def read_json(path: Path, options: ReadOptions) -> Table:
    guess = forced_encoding(options.encoding) if options.encoding else detect_encoding(path)
    try:
        text = path.read_text(encoding=guess.name)
        data = json.loads(text)
    except UnicodeDecodeError:
        raise DatactivisteError(_("The file cannot be read as {encoding}.").format(encoding=guess.label),
                                path=str(path), hint=_("Try --encoding utf-8 or cp1252.")) from None
    except RecursionError:
        raise _too_deep(path) from None
    except json.JSONDecodeError as error:
        raise DatactivisteError(_("Invalid JSON: {error}").format(error=_json_problem(error.msg)), path=str(path),
                                line=error.lineno, column=error.colno,
                                hint=_("Check the file in a JSON validator; a missing comma or quote is common.")) from None
    fmt = "json"
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        fmt = "geojson"
        records = [_feature_record(f) for f in data.get("features") or []]
    elif isinstance(data, dict) and data.get("type") == "Feature":
        fmt = "geojson"
        records = [_feature_record(data)]
    elif isinstance(data, list):
        records = data
    elif isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(lists) != 1:
            raise DatactivisteError(_("This JSON is not a list of records."), path=str(path),
                                    hint=_("datactiviste imports a JSON array of objects, e.g. [{\"name\": \"Dakar\", \"population\": 1000}], or GeoJSON."))
        records = lists[0]
    else:
        records = []
    if not records:
        raise DatactivisteError(_("The JSON file contains no records."), path=str(path),
                                hint=_("Check that you exported the right file."))
    if not all(isinstance(r, dict) for r in records):
        records = [r if isinstance(r, dict) else {"value": r} for r in records]
    headers = _json_columns(records, path)
    try:
        grid = [[cell_text(record.get(key)) or "" for key in headers] for record in records]
    except RecursionError:
        raise _too_deep(path) from None
    return Table(format=fmt, headers=headers, batches=grid_batches(grid, 0), header_line=None, header_reason="json-keys",
                 encoding=guess)


def _json_problem(message: str) -> str:
    """The json module's English message in the user's language (it has a handful)."""
    known = {
        "Expecting value": _("a value is missing (or a trailing comma)"),
        "Expecting ',' delimiter": _("a comma is missing"),
        "Expecting ':' delimiter": _("a colon is missing after a key"),
        "Expecting property name enclosed in double quotes": _("a key is not in double quotes (or a trailing comma)"),
        "Unterminated string starting at": _("a text value is never closed by its double quote"),
        "Invalid control character at": _("a control character (line break, tab) inside a text value"),
        "Invalid \\escape": _("an invalid backslash escape"),
        "Extra data": _("something follows the end of the JSON value"),
    }
    return known.get(message, message)


def _json_columns(records: list[dict], path: Path) -> list[str]:
    """Every key of the records, in order of appearance; stops as soon as there are more than a
    SQLite table holds (a million-key object is refused in a second, not after minutes)."""
    headers: list[str] = []
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        if len(record) > MAX_COLUMNS:
            raise _too_wide(path, number, len(record))
        for key in record:
            if key not in seen:
                seen.add(key)
                headers.append(key)
        if len(headers) > MAX_COLUMNS:
            raise _too_wide(path, number, len(headers))
    return headers


def _too_wide(path: Path, record: int, keys: int) -> DatactivisteError:
    return DatactivisteError(
        _("The JSON records have {count} different keys (record {record}); a SQLite table holds at most {limit} "
          "columns.").format(count=format_number(keys, decimals=0), record=record, limit=MAX_COLUMNS),
        path=str(path), hint=_("This JSON is probably not a list of records (an object keyed by identifiers?): "
                               "export the data as a list of records, or as CSV."))


def _too_deep(path: Path) -> DatactivisteError:
    return DatactivisteError(
        _("This JSON is nested too deeply (brackets inside brackets, hundreds of levels): it is not a table."),
        path=str(path), hint=_("datactiviste imports a JSON array of objects, e.g. [{\"name\": \"Dakar\", \"population\": 1000}], or GeoJSON."))


def _feature_record(feature: dict) -> dict:
    record = dict(feature.get("properties") or {})
    geometry = feature.get("geometry")
    if geometry and geometry.get("type") == "Point" and len(geometry.get("coordinates") or []) >= 2:
        longitude, latitude = geometry["coordinates"][:2]
        record.setdefault("latitude", latitude)
        record.setdefault("longitude", longitude)
    record["geometry"] = json.dumps(geometry, ensure_ascii=False, separators=(",", ":")) if geometry else None
    return record
