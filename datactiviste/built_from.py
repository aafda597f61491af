"""What a chart or map was built from, written into the file itself and read back.

Each output of `datactiviste chart` and `datactiviste map` carries one small record: the
database's file name, the table or the SQL query given, and the tables and columns that
query reads, as SQLite itself resolves them (its authorizer reports every column a statement
reads, whatever the quoting, case, aliases, CTEs or views). So a lesson can check that a map
was made from the data the step asks for, and a reader can see where a figure came from.

Where it sits, invisible to readers: HTML `<meta name="datactiviste-source" content="…">`,
SVG `<metadata id="datactiviste-source">…</metadata>`, PNG `tEXt` chunk `datactiviste-source`,
JSON (chart spec, GeoJSON) a top-level "built_from" member. The record is ASCII JSON, escaped
for its host, without timestamp (the same chart gives the same bytes), a few hundred bytes.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import struct
import zlib
from pathlib import Path

KEY = "datactiviste-source"
JSON_KEY = "built_from"
MAX_SQL = 2000           # characters of the query kept in the record (the tables are always all)
MAX_READ = 32 * 1024 * 1024  # bytes: a bigger file is not one of ours; it is not read


def _reads(connection: sqlite3.Connection, statement: str) -> dict[str, list[str]] | None:
    """{table: [columns]} the statement reads (prepared, not run), or None if it cannot tell."""
    reads: dict[str, set[str]] = {}

    def authorize(action, table, column, _database, _source):
        if action == sqlite3.SQLITE_READ and table and not table.startswith(("sqlite_", "_")):
            reads.setdefault(table, set()).update([column] if column else [])
        return sqlite3.SQLITE_OK

    connection.set_authorizer(authorize)
    try:
        connection.execute("EXPLAIN " + statement).fetchall()
    except (sqlite3.Error, sqlite3.Warning, ValueError):
        return None
    finally:
        connection.set_authorizer(None)
    return {table: sorted(columns) for table, columns in sorted(reads.items())}


def record(db, table: str | None = None, sql: str | None = None,
           columns: list[str] | None = None) -> dict:
    """The record of an output drawn from `table` (its `columns`, default all) or from `sql`."""
    result: dict = {"db": Path(str(db)).name}
    if table:
        result["table"] = table
    if sql:
        result["sql"] = sql if len(sql) <= MAX_SQL else sql[:MAX_SQL] + "…"
    path = Path(str(db))
    if not path.is_file():
        return result
    from datactiviste.ingest.names import quote

    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        statement = sql or "SELECT " + (", ".join(quote(c) for c in columns) if columns else "*") \
            + " FROM " + quote(table or "")
        reads = _reads(connection, statement.strip().rstrip(";"))
    except sqlite3.Error:
        reads = None
    finally:
        connection.close()
    if reads is not None:
        # a whole table: "*" rather than every column name (a wide table would weigh kilobytes)
        result["tables"] = {name: ["*"] for name in reads} if table and not columns else reads
    return result


def _text(rec: dict) -> str:
    return json.dumps(rec, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


# --- writing -------------------------------------------------------------------------------------

def into_html(page: str, rec: dict | None) -> str:
    """`page` with the record as a <meta> in its <head>, after <meta charset>: a browser looks
    for the charset in the first 1024 bytes only, and a long query must not push it out."""
    if not rec:
        return page
    meta = f'<meta name="{KEY}" content="{html.escape(_text(rec), quote=True)}">'
    anchor = re.search(r"<meta\s+charset=[^>]*>", page, re.I) or re.search(r"<head\b[^>]*>", page, re.I)
    if not anchor:
        return page
    return page[:anchor.end()] + "\n" + meta + page[anchor.end():]


_SVG_START = re.compile(r"<svg\b[^>]*>(\s*<title\b[^>]*>[^<]*</title>)?(\s*<desc\b[^>]*>[^<]*</desc>)?")


def into_svg(svg: str, rec: dict | None) -> str:
    """`svg` with the record as <metadata> after the opening tag and its <title>/<desc>, which
    stay the first children (what screen readers and older tools read as the name)."""
    opening = _SVG_START.search(svg)
    if not rec or not opening:
        return svg
    block = f'\n <metadata id="{KEY}">{html.escape(_text(rec), quote=False)}</metadata>'
    return svg[:opening.end()] + block + svg[opening.end():]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def into_png(png: bytes, rec: dict | None) -> bytes:
    """`png` with the record in a tEXt chunk right after IHDR (ASCII JSON: valid Latin-1)."""
    if not rec or not png.startswith(_PNG_SIGNATURE):
        return png
    end_of_header = len(_PNG_SIGNATURE) + 8 + struct.unpack(">I", png[8:12])[0] + 4
    text = _chunk(b"tEXt", KEY.encode("ascii") + b"\0" + _text(rec).encode("ascii"))
    return png[:end_of_header] + text + png[end_of_header:]


def into_json(data: dict, rec: dict | None) -> dict:
    return {**data, JSON_KEY: rec} if rec else data


# --- reading -------------------------------------------------------------------------------------

_META = re.compile(r"<meta\s+name=\"" + KEY + r"\"\s+content=\"([^\"]*)\"", re.I)
_METADATA = re.compile(r"<metadata\b[^>]*\bid=\"[\w-]*" + KEY + r"\"[^>]*>([^<]*)</metadata>")


def _parse(text: str) -> dict | None:
    try:
        value = json.loads(html.unescape(text))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _png_records(data: bytes) -> list[dict]:
    records, position = [], len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"tEXt" and body.startswith(KEY.encode("ascii") + b"\0"):
            parsed = _parse(body[len(KEY) + 1:].decode("latin-1"))
            records += [parsed] if parsed else []
        if kind in (b"IDAT", b"IEND"):
            break
        position += 12 + length
    return records


def read_records(path: str | Path) -> list[dict]:
    """Every record in the file (a dossier holds one per figure); [] when it carries none."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_READ:
            return []
        data = path.read_bytes()
    except OSError:
        return []
    if data.startswith(_PNG_SIGNATURE):
        return _png_records(data)
    text = data.decode("utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            return []
        found = value.get(JSON_KEY) if isinstance(value, dict) else None
        return [found] if isinstance(found, dict) else []
    return [r for r in map(_parse, _META.findall(text) + _METADATA.findall(text)) if r]
