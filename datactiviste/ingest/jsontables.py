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
    fmt, reason = "json", "json-keys"
    tree = _tree_key(data)
    if tree:
        reason = "json-tree"
        try:
            records = _flattened(data, tree)
        except RecursionError:
            raise _too_deep(path) from None
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
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
    return Table(format=fmt, headers=headers, batches=grid_batches(grid, 0), header_line=None, header_reason=reason,
                 encoding=guess)


# --- trees: d3's treemap and sunburst files ({name, children: [{name, children: [...]}, ...]}) ----

def _child_lists(node) -> dict:
    """`node`'s keys that hold a non-empty list of objects."""
    if not isinstance(node, dict):
        return {}
    return {key: value for key, value in node.items()
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value)}


def _tree_key(data) -> str | None:
    """The key under which the nodes of a tree hold their children (`children`), when it nests at least
    twice (children of children): a budget by mission > programme > action, not a list of records."""
    nodes = data if isinstance(data, list) else [data]
    for key in _child_lists(nodes[0] if nodes else None):
        children = [child for node in nodes if isinstance(node, dict) for child in _child_lists(node).get(key, [])]
        if any(key in _child_lists(child) for child in children):
            return key
    return None


def _flattened(data, key: str) -> list[dict]:
    """One record per leaf: its own fields, then each ancestor's fields named with its level
    (`name (1)` for the top level), so that a treemap's amounts become rows a SUM can group by
    mission or programme. A wrapper's empty fields (size 0, no name) are left out; other values kept."""
    leaves: list[tuple[list[dict], dict]] = []
    stack = [([], node) for node in reversed(data if isinstance(data, list) else [data])]
    while stack:                               # no recursion: a deep tree fails cleanly, not with a crash
        ancestors, node = stack.pop()
        children = _child_lists(node).get(key)
        if children:
            if len(ancestors) > 200:
                raise RecursionError
            stack += [(ancestors + [node], child) for child in reversed(children)]
        else:
            leaves.append((ancestors, node))
    records = []
    for ancestors, leaf in leaves:
        record = {}
        for level, ancestor in enumerate(ancestors):
            for field, value in ancestor.items():
                if field != key and not isinstance(value, (list, dict)):
                    record[f"{field} ({level})"] = value
        record.update({field: value for field, value in leaf.items() if field != key})
        records.append(record)
    levels: dict[str, tuple[int, int]] = {}
    for record in records:
        for field in record:
            if field not in levels:
                level = field.rpartition(" (")[2].rstrip(")")
                levels[field] = (int(level) if field.endswith(")") and level.isdigit() else 10**6, len(levels))
    # The levels first, top to bottom, then the leaves' own fields, each in order of appearance.
    order = [f for f in sorted(levels, key=levels.get)
             if levels[f][0] == 10**6 or any(r.get(f) not in (None, "", 0) for r in records)]
    return [{field: record.get(field) for field in order} for record in records]


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
