"""Readers turn a file into `Table`s: a header and batches of raw rows with their line numbers.

Every reader gives text cells (or None) so that one type detector serves all formats:
workbook and JSON numbers are written in canonical form (`31001`, `1.27`, `1971-01-01 04:14:00`)
and then detected like any CSV value. This module finds the format and holds what the readers
share; each format has its reader: delimited.py (CSV and other delimited text), workbooks.py
(xlsx, xlsm, xls, ods), jsontables.py (JSON and GeoJSON).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.ingest import sniff
from datactiviste.ingest.encoding import EncodingGuess, binary_evidence

if TYPE_CHECKING:
    from datactiviste.ingest.delimited import CsvLayout

# Decisions (delimiter, header, preamble) are taken on the records of the first lines: enough
# records for a table whose second record is a quoted cell of hundreds of lines, bounded in size.
SAMPLE_LINES = 2000
SAMPLE_CHARS = 512 * 1024
SAMPLE_MAX = 8 * 1024 * 1024   # read on while inside a quoted cell, up to this
MAX_FIELD = 16 * 1024 * 1024  # a longer field is almost always an unclosed quote
MAX_COLUMNS = 2000            # SQLite's default column limit
csv.field_size_limit(MAX_FIELD)

def within_column_limit(headers: list[str], path: Path, hint: str, line: int | None = None) -> list[str]:
    """The header's labels, its unnamed trailing ones dropped past MAX_COLUMNS (a sheet filled far
    to the right of a short header: those cells become extra fields, which rows.clean folds into the
    last one); a DatactivisteError when more than MAX_COLUMNS are named."""
    if len(headers) > MAX_COLUMNS:
        headers = list(headers)
        while len(headers) > 1 and not (headers[-1] or "").strip():
            headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise DatactivisteError(
            _("The file has {count} columns; SQLite tables hold at most {limit}.").format(count=len(headers), limit=MAX_COLUMNS),
            path=str(path), line=line, hint=hint)
    return headers


BATCH = 5000
# A batch: (start line of each record, records). `Table.batches()` can be called again for a
# second pass: CSV files are re-read from disk, so memory stays flat whatever the file size.
Batch = tuple


@dataclass
class Table:
    """One table found in a file, ready to be loaded."""

    format: str                       # csv, xlsx, xlsm, xls, ods, json, geojson
    headers: list[str]
    batches: Callable[[], Iterator[Batch]]
    header_line: int | None = None    # 1-based line (or sheet row) of the header
    header_reason: str = ""
    sheet: str | None = None
    encoding: EncodingGuess | None = None
    delimiter: str | None = None
    skipped_lines: list[tuple[int, str]] = field(default_factory=list)  # before the header
    no_header: bool = False
    layout: "CsvLayout | None" = None   # delimited files only: lets big files be split
    skipped_sheets: list["SkippedSheet"] = field(default_factory=list)  # workbooks: on the first table
    # The rows of a header stacked over several (`Région` over `2019 | 2020`): a row equal to one
    # of them further down is that header repeated (a second block's), not data (rows.clean).
    stacked_rows: list[list[str]] = field(default_factory=list)
    merged_filled: int = 0            # workbooks: cells of the rows given the value merged over them
    blocks: int = 1                   # tables stacked in the sheet or file (blocks.py)
    block_line: int | None = None     # the sheet's row where this one's block starts (None: the first)
    next_block: int | None = None     # delimited: the sample record where the next table starts


@dataclass
class SkippedSheet:
    """A sheet that holds no table, named in the import report instead of failing the workbook."""

    name: str
    reason: str             # "empty", "notes" or "unreadable"
    text: str = ""          # its first characters (notes), or what went wrong (unreadable)
    kept: int = 0           # its lines of notes kept in _anomalies (importer.py)
    notes: list = field(default_factory=list, repr=False)   # (row, text) of a notes sheet, to keep


@dataclass
class ReadOptions:
    encoding: str | None = None
    delimiter: str | None = None
    skip_lines: int | None = None
    no_header: bool = False
    sheet: str | None = None
    progress: Callable[[int], None] | None = None


def forced_encoding(name: str) -> EncodingGuess:
    import codecs

    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise DatactivisteError(_("Unknown encoding: {name}").format(name=name),
                                hint=_("Try utf-8, cp1252, latin-1 or utf-16.")) from None
    return EncodingGuess(name=codec, reason="forced", overridden=True)


def not_a_clean_table(records: list[list[str]], header_index: int) -> bool:
    """True when the 'header' would hide more filled lines above it than it has rows below it.

    Such a sheet (prose, notes, a definitions page) is imported whole, without a header, rather
    than turned into a small table with most of the file set aside.
    """
    above = sum(1 for r in records[:header_index] if any(c.strip() for c in r))
    below = sum(1 for r in records[header_index + 1:] if any(c.strip() for c in r))
    return above > max(below, 10)


# --- which format ---------------------------------------------------------------------------

def sniff_format(path: Path) -> str:
    """The real format from the first bytes (extensions lie), or a DatactivisteError."""
    if not path.exists():
        raise DatactivisteError(_("File not found: {path}").format(path=path), path=str(path),
                                hint=_("Check the name and the folder; {listing}").format(
                                    listing=_similar_names(path)))
    if path.is_dir():
        raise DatactivisteError(_("{path} is a folder, not a file.").format(path=path), path=str(path),
                                hint=_("Give the files inside it, e.g. {example}").format(
                                    example=f"{path}/*.csv"))
    size = path.stat().st_size
    if size == 0:
        raise DatactivisteError(_("The file is empty (0 bytes)."), path=str(path),
                                hint=_("Download or export it again."))
    with open(path, "rb") as handle:
        head = handle.read(sniff.HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        kind = sniff.ole_kind(sniff.ole_streams(path), path.suffix)
        if kind == "xls":
            return kind
        raise sniff.refuse(kind, path)
    kind = sniff.identify(head)
    if kind:
        raise sniff.refuse(kind, path)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    evidence = binary_evidence(head)
    if evidence:
        raise sniff.refuse("binary", path, evidence)
    return "csv"


def _zip_format(path: Path) -> str:
    members, mimetype = sniff.workbook_directory(path)
    names = [m.filename for m in members]
    kind = sniff.zip_kind(names, mimetype)
    if kind == "xlsx":
        return "xlsm" if path.suffix.lower() == ".xlsm" else "xlsx"
    if kind == "ods":
        return kind
    if kind != "zip":
        raise sniff.refuse(kind, path)
    shown = ", ".join(names[:5]) + ("…" if len(names) > 5 else "")
    raise DatactivisteError(_("This is a zip archive ({files}), not a table.").format(files=shown),
                            path=str(path), hint=_("Extract it, then import the CSV or Excel files it contains."))


def _similar_names(path: Path) -> str:
    import difflib

    folder = path.parent if path.parent.exists() else Path(".")
    names = [p.name for p in folder.iterdir() if p.is_file()] if folder.exists() else []
    close = difflib.get_close_matches(path.name, names, n=3, cutoff=0.5)
    if close:
        return _("did you mean: {names}?").format(names=", ".join(close))
    return _("files here: {names}").format(names=", ".join(sorted(names)[:8]) or "—")


def read_tables(path: Path, options: ReadOptions) -> tuple[str, list[Table]]:
    """The format of `path` and the tables it holds (one for a CSV or JSON file, one per sheet)."""
    fmt = sniff_format(path)
    if fmt == "csv":
        from datactiviste.ingest.delimited import read_csv

        return fmt, read_csv(path, options)
    if fmt in ("xlsx", "xlsm", "xls", "ods"):
        from datactiviste.ingest.workbooks import read_workbook

        return fmt, read_workbook(path, fmt, options)
    from datactiviste.ingest.jsontables import read_json

    return fmt, [read_json(path, options)]
