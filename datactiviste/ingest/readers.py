"""Readers turn a file into `Table`s: a header and batches of raw rows with their line numbers.

Every reader gives text cells (or None) so that one type detector serves all formats:
workbook and JSON numbers are written in canonical form (`31001`, `1.27`, `1971-01-01 04:14:00`)
and then detected like any CSV value.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from functools import partial
from itertools import islice
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.i18n.formats import format_number, format_size
from datactiviste.ingest import sniff
from datactiviste.ingest.encoding import EncodingGuess, binary_evidence, detect_encoding
from datactiviste.ingest.header import (HeaderGuess, detect_delimiter, find_header, parse_sample, spaced_delimiter,
                                        stack_header, stacked_labels)
from datactiviste.ingest.setaside import NOTE_START

# Decisions (delimiter, header, preamble) are taken on the records of the first lines: enough
# records for a table whose second record is a quoted cell of hundreds of lines, bounded in size.
SAMPLE_LINES = 2000
SAMPLE_CHARS = 512 * 1024
SAMPLE_MAX = 8 * 1024 * 1024   # read on while inside a quoted cell, up to this
MAX_FIELD = 16 * 1024 * 1024  # a longer field is almost always an unclosed quote
MAX_COLUMNS = 2000            # SQLite's default column limit
csv.field_size_limit(MAX_FIELD)

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


@dataclass
class SkippedSheet:
    """A sheet that holds no table, named in the import report instead of failing the workbook."""

    name: str
    reason: str             # "empty", "notes" or "unreadable"
    text: str = ""          # its first characters (notes), or what went wrong (unreadable)


@dataclass
class ReadOptions:
    encoding: str | None = None
    delimiter: str | None = None
    skip_lines: int | None = None
    no_header: bool = False
    sheet: str | None = None
    progress: Callable[[int], None] | None = None


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
        kind = sniff.ole_kind(sniff.ole_streams(path))
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
    fmt = sniff_format(path)
    if fmt == "csv":
        try:
            return fmt, [read_delimited(path, options)]
        except csv.Error as error:   # while reading the sample: find where the runaway field starts
            guess = _forced_encoding(options.encoding) if options.encoding else detect_encoding(path)
            raise _csv_failure(error, path, _runaway_field_line(path, guess)) from None
    if fmt in ("xlsx", "xlsm", "xls", "ods"):
        return fmt, read_workbook(path, fmt, options)
    return fmt, [read_json(path, options)]


# --- delimited text ---------------------------------------------------------------------------

def _open_text(path: Path, guess: EncodingGuess, raw=None):
    """A text stream (newline='' for csv) decoding the file as `guess` says; NULs removed."""
    raw = raw or open(path, "rb")
    if guess.mixed_legacy:
        def lines():
            guess.legacy_lines.clear()
            for number, line in enumerate(raw, start=1):
                try:
                    yield line.decode("utf-8").replace("\x00", "")
                except UnicodeDecodeError:
                    if len(guess.legacy_lines) < 1000:
                        guess.legacy_lines.append(number)
                    yield line.decode(guess.mixed_legacy, errors="replace").replace("\x00", "")
            raw.close()
        return lines()
    from datactiviste.ingest.encoding import _repair_mojibake

    stream = io.TextIOWrapper(raw, encoding=guess.name, newline="")
    if guess.repaired_mojibake or guess.nul_bytes:
        def lines():
            with stream:
                for line in stream:
                    if guess.repaired_mojibake:
                        line = _repair_mojibake(line)
                    yield line.replace("\x00", "")
        return lines()
    return stream


def _forced_encoding(name: str) -> EncodingGuess:
    import codecs

    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise DatactivisteError(_("Unknown encoding: {name}").format(name=name),
                                hint=_("Try utf-8, cp1252, latin-1 or utf-16.")) from None
    return EncodingGuess(name=codec, reason="forced", overridden=True)


def _not_a_clean_table(records: list[list[str]], header_index: int) -> bool:
    """True when the 'header' would hide more filled lines above it than it has rows below it.

    Such a sheet (prose, notes, a definitions page) is imported whole, without a header, rather
    than turned into a small table with most of the file set aside.
    """
    above = sum(1 for r in records[:header_index] if any(c.strip() for c in r))
    below = sum(1 for r in records[header_index + 1:] if any(c.strip() for c in r))
    return above > max(below, 10)


def read_delimited(path: Path, options: ReadOptions) -> Table:
    csv.field_size_limit(MAX_FIELD)   # again: a library in the same process may have changed it (csvkit does)
    guess = _forced_encoding(options.encoding) if options.encoding else detect_encoding(path)
    sample: list[str] = []
    size = quotes = 0
    complete = True
    stream = _open_text(path, guess)
    try:
        for line in stream:
            sample.append(line)
            size += len(line)
            quotes += line.count('"')
            # Stop on a record boundary: an odd number of quotes so far means inside a quoted cell.
            if (len(sample) >= SAMPLE_LINES or size >= SAMPLE_CHARS) and (quotes % 2 == 0 or size >= SAMPLE_MAX):
                # An even count of quotes: the sample ends on a record boundary (or at the end).
                complete = quotes % 2 == 0 or next(stream, None) is None
                break
    except UnicodeDecodeError:
        raise DatactivisteError(
            _("The file cannot be read as {encoding} (line {line}).").format(encoding=guess.label,
                                                                            line=len(sample) + 1),
            path=str(path), line=len(sample) + 1,
            hint=_("Remove --encoding to let datactiviste detect it, or try --encoding cp1252.")) from None
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
    if options.delimiter:
        delimiter = {"tab": "\t", "\\t": "\t", "TAB": "\t"}.get(options.delimiter, options.delimiter)
    else:
        # None means one column: split on a character the file never uses.
        delimiter = detect_delimiter(sample, complete) or next(
            (d for d in (",", ";", "\t", "|") if not any(d in line for line in sample)), ",")
    skip_space = spaced_delimiter(sample, delimiter)
    records = parse_sample(sample, delimiter, skip_space)
    if not complete and len(records) > 1:
        records.pop()   # the sample may end inside a quoted cell: decide on whole records only
    # Physical line of each sample record (records can span lines).
    reader = csv.reader(iter(sample), delimiter=delimiter, skipinitialspace=skip_space)
    starts, previous = [], 0
    for _record in reader:
        starts.append(previous + 1)
        previous = reader.line_num
    if options.skip_lines is not None:
        index = next((i for i, s in enumerate(starts) if s > options.skip_lines), len(starts))
        header = HeaderGuess(index=index, width=len(records[index]) if index < len(records) else 0,
                             reason="skip-lines")
    elif options.no_header:
        index = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), 0)
        header = HeaderGuess(index=index, width=len(records[index]) if records else 0, reason="no-header")
    else:
        header = find_header(records)
        if header is not None and header.reason == "no-header-detected":
            options = ReadOptions(**{**options.__dict__, "no_header": True})
        elif header is not None and _not_a_clean_table(records, header.index):
            options = ReadOptions(**{**options.__dict__, "no_header": True})
            first = next(i for i, r in enumerate(records) if any(c.strip() for c in r))
            header = HeaderGuess(index=first, width=max(len(r) for r in records), reason="no-clean-header")
    if header is None or header.index >= len(records):
        raise DatactivisteError(_("The file contains no data (only empty lines)."), path=str(path),
                                hint=_("Check that you exported the right file."))
    if not options.no_header and options.skip_lines is None:
        header = stack_header(records, header)   # `Région` over `2019 | 2020`: one header
    header_record = records[header.index]
    top = header.index - header.above
    header_line = starts[top]
    skipped = [(starts[i], delimiter.join(records[i])) for i in range(top) if any(c.strip() for c in records[i])]
    below = 0 if options.no_header else header.below
    skipped += [(starts[i], delimiter.join(records[i]), "header-tags")
                for i in range(header.index + 1, min(header.index + 1 + below, len(records)))]
    if options.no_header:
        headers = [""] * len(header_record)
    else:
        headers = stacked_labels(records, header) if header.above else list(header_record)
    while len(headers) > 1 and not headers[-1].strip() and header.width and len(headers) > header.width:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise DatactivisteError(
            _("The file has {count} columns; SQLite tables hold at most {limit}.").format(count=len(headers), limit=MAX_COLUMNS),
            path=str(path), line=header_line,
            hint=_("Check the delimiter (--delimiter), or split the file into several tables."))
    first_data_record = header.index + (0 if options.no_header else 1 + below)
    sample_text = "".join(sample)
    layout = CsvLayout(path=path, encoding=guess, delimiter=delimiter,
                       newline="\r" if "\r" in sample_text and "\n" not in sample_text else "\n",
                       skip_records=first_data_record,
                       first_data_line=starts[first_data_record] if first_data_record < len(starts) else 0,
                       skip_space=skip_space)
    batches = partial(csv_batches, layout, skip_records=first_data_record, progress=options.progress)
    return Table(format="csv", headers=headers, batches=batches, header_line=None if options.no_header else header_line,
                 header_reason=header.reason, encoding=guess, delimiter=delimiter, skipped_lines=skipped,
                 no_header=options.no_header, layout=layout)


@dataclass
class CsvLayout:
    """What it takes to read a delimited file again from any record boundary (see ingest/split.py)."""

    path: Path
    encoding: EncodingGuess
    delimiter: str
    newline: str                # "\r" for old Mac files, else "\n" (CRLF included)
    skip_records: int           # records before the data: preamble and header
    first_data_line: int        # physical line where the data begins (0: no data in the sample)
    skip_space: bool = False    # `a, "b, c"`: spaces after the delimiter are layout (see header.py)


class _ByteWindow(io.RawIOBase):
    """Bytes `start`..`end` of a file, so a part of a big file is read as if it were whole."""

    def __init__(self, path: Path, start: int, end: int | None):
        self._file = open(path, "rb")
        self._file.seek(start)
        self.position = start
        self._end = end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = len(buffer) if self._end is None else min(len(buffer), self._end - self.position)
        if size <= 0:
            return 0
        count = self._file.readinto(memoryview(buffer)[:size])
        self.position += count
        return count

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        self._file.close()
        super().close()


def _newlines(text: str) -> int:
    """Line breaks in `text` as a text editor shows them: \n, \r\n and a lone \r count one each."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def csv_batches(layout: CsvLayout, skip_records: int = 0, progress: Callable[[int], None] | None = None,
                start: int = 0, end: int | None = None, first_line: int = 1) -> Iterator[Batch]:
    """Batches of (line of each record, records) from byte `start` (a record boundary on line
    `first_line`) to byte `end`, after skipping `skip_records` records. Re-readable: each call
    opens the file again, so memory stays flat whatever the file size."""
    path, guess, delimiter = layout.path, layout.encoding, layout.delimiter
    if start:
        # A part that starts inside the file has no BOM to skip.
        guess = replace(guess, name="utf-8" if guess.name == "utf-8-sig" else guess.name, bom=False)
        raw = io.BufferedReader(_ByteWindow(path, start, end), buffer_size=1 << 20)
    elif end is not None:
        raw = io.BufferedReader(_ByteWindow(path, 0, end), buffer_size=1 << 20)
    else:
        raw = open(path, "rb")
    stream = _open_text(path, guess, raw)
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(stream, delimiter=delimiter, quotechar='"', doublequote=True, strict=False,
                        skipinitialspace=layout.skip_space)
    offset = first_line - 1
    previous = 0
    try:
        for _skipped in range(skip_records):
            if next(reader, None) is None:
                return
        previous = reader.line_num
        # Lines as the reader counts them: the text stream splits on \n, \r\n and a lone \r, the
        # line-by-line decoder of mixed files on \n only.
        breaks = _newlines if not guess.mixed_legacy else (lambda text: text.count("\n"))
        while True:
            records = list(islice(reader, BATCH))
            if not records:
                break
            after = reader.line_num
            if after - previous == len(records):   # one line per record: the usual case
                starts = list(range(offset + previous + 1, offset + after + 1))
            else:                                  # quoted fields with line breaks inside
                starts, line = [], offset + previous + 1
                for record in records:
                    starts.append(line)
                    line += 1 + sum(breaks(field) for field in record if "\n" in field or "\r" in field)
            previous = after
            yield starts, records
            if progress:
                progress(raw.tell())
    except csv.Error as error:
        raise _csv_failure(error, path, offset + previous + 1) from None
    except UnicodeDecodeError:
        line = offset + previous + 1
        raise DatactivisteError(
            _("The file cannot be read as {encoding} (near line {line}).").format(encoding=layout.encoding.label, line=line),
            path=str(path), line=line,
            hint=_("Try another --encoding (cp1252, latin-1, utf-8), or remove --encoding.")) from None
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
        raw.close()


def _csv_failure(error: csv.Error, path: Path, line: int | None) -> DatactivisteError:
    """The user's message for an error of the csv module (its own text is English and cryptic)."""
    if "field larger than field limit" in str(error):
        return DatactivisteError(
            _("A value of more than {size} MB in one cell: the file is probably broken by an unclosed quote.").format(
                size=MAX_FIELD // (1024 * 1024)),
            path=str(path), line=line,
            hint=_("Open the file in a text editor and look for a \" that is never closed, near that line."))
    return DatactivisteError(_("Unreadable CSV near line {line}: {error}").format(line=line, error=error),
                             path=str(path), line=line, hint=_("Look for an unclosed quote (\") on that line."))


def _runaway_line(lines) -> int | None:
    """The line where a field longer than MAX_FIELD starts: a quote left open that long, or a
    single line that long. Counts quotes line by line (the error path only: the file is read once)."""
    inside, opened, length = False, 0, 0
    for number, line in enumerate(lines, start=1):
        if not inside:
            opened, length = number, 0
        length += len(line)
        if length > MAX_FIELD:
            return opened
        if line.count('"') % 2:
            inside = not inside
    return None


def _runaway_field_line(path: Path, guess: EncodingGuess) -> int | None:
    stream = _open_text(path, guess)
    try:
        return _runaway_line(stream)
    except (UnicodeDecodeError, OSError):
        return None
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()


# --- workbooks --------------------------------------------------------------------------------

def cell_text(value) -> str | None:
    """A workbook or JSON cell as the canonical text the type detector reads."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        # Excel stores times as fractions of a day: 11:30 comes back as 11:29:59.999. Rounded to
        # the second, as Excel shows it.
        if value.microsecond:
            value = value.replace(microsecond=0) + datetime.timedelta(seconds=value.microsecond >= 500_000)
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.time):
        if value.microsecond:
            moment = datetime.datetime.combine(datetime.date.min, value.replace(microsecond=0))
            value = (moment + datetime.timedelta(seconds=value.microsecond >= 500_000)).time()
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


MAX_UNPACKED = 1 << 30       # bytes of XML a workbook may unpack to: its cells are all held in memory
BOMB_RATIO = 100             # real sheets compress 5 to 20 times; a bigger ratio on a big member is a bomb
BOMB_FROM = 64 << 20


def check_unpacked_size(path: Path) -> None:
    """Refuse a zipped workbook (xlsx, ods) that would unpack to more than memory can hold, from
    the sizes its zip directory declares (read in microseconds, before calamine opens anything;
    calamine stops at a member's declared size, so the declaration cannot lie about it)."""
    members, _mimetype = sniff.workbook_directory(path)
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    bomb = next((m for m in members if m.file_size > BOMB_FROM and m.file_size > BOMB_RATIO * max(1, m.compress_size)),
                None)
    if total <= MAX_UNPACKED and bomb is None:
        return
    if bomb is not None:
        message = _("This workbook is a zip bomb or is damaged: a {packed} part would unpack to {size}, "
                    "{ratio} times its size (real sheets: 5 to 20 times).").format(
            packed=format_size(bomb.compress_size), size=format_size(bomb.file_size),
            ratio=format_number(bomb.file_size / max(1, bomb.compress_size), decimals=0))
    else:
        message = _("This workbook would unpack to {size} ({packed} in the file): more than the {limit} "
                    "datactiviste reads from a workbook.").format(
            size=format_size(total), packed=format_size(packed), limit=format_size(MAX_UNPACKED))
    raise DatactivisteError(message, path=str(path),
                            hint=_("If the data is real, open the workbook in LibreOffice or Excel and save each sheet "
                                   "as CSV: datactiviste reads CSV files of any size without holding them in memory."))


def read_workbook(path: Path, fmt: str, options: ReadOptions) -> list[Table]:
    from python_calamine import CalamineWorkbook

    if fmt != "xls":
        check_unpacked_size(path)
    try:
        with open(path, "rb") as handle:  # from the bytes, not the extension (extensions lie)
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
    except Exception as error:  # noqa: BLE001 - calamine raises its own error types
        raise DatactivisteError(_("This spreadsheet cannot be read: {error}").format(error=error), path=str(path),
                                hint=_("Open it in LibreOffice or Excel and save it again as .xlsx or .csv.")) from None
    names = workbook.sheet_names
    if options.sheet:
        if options.sheet not in names:
            raise DatactivisteError(_("No sheet named {sheet!r}.").format(sheet=options.sheet), path=str(path),
                                    hint=_("Sheets in this file: {names}").format(names=", ".join(names)))
        names = [options.sheet]
    tables, skipped_sheets = [], []
    for name in names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            grid = [[cell_text(c) or "" for c in row] for row in sheet.to_python(skip_empty_area=False)]
        except Exception as error:  # noqa: BLE001 - one unreadable sheet (a chart sheet…) must not fail the others
            if options.sheet:
                raise DatactivisteError(_("The sheet {sheet!r} cannot be read: {error}").format(sheet=name, error=error),
                                        path=str(path), hint=_("Open it in LibreOffice or Excel and save it again as "
                                                               ".xlsx or .csv.")) from None
            skipped_sheets.append(SkippedSheet(name, "unreadable", str(error)[:80]))
            continue
        while grid and not any(c.strip() for c in grid[-1]):
            grid.pop()
        content = _sheet_content(grid)
        if content == "empty" or (content == "notes" and not options.sheet):
            skipped_sheets.append(SkippedSheet(name, content, _first_text(grid)))
            continue
        merges = _merged_ranges(sheet)
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        if content == "notes":      # asked for with --sheet: every line is data
            header = HeaderGuess(index=next(i for i, r in enumerate(grid) if any(c.strip() for c in r)),
                                 width=width, reason="no-clean-header")
        else:
            header = _workbook_header(grid, options)
        no_header = options.no_header or content == "notes" or header.reason in ("no-clean-header", "no-header-detected")
        if no_header:
            # No labels say which columns the author laid out: the sheet's declared range does
            # (with a header, unlabelled empty columns past it are formatting, not columns).
            declared = _declared_width(path, fmt, name, sheet)
            if declared > width:
                width = declared
                grid = [r + [""] * (width - len(r)) for r in grid]
        elif options.skip_lines is None:
            header = stack_header(grid, header, merges)
        headers = [""] * width if no_header else \
            (stacked_labels(grid, header, merges) if header.above else list(grid[header.index]))
        below = 0 if no_header else header.below   # an HXL hashtag row under the labels
        start = header.index + (0 if no_header else 1 + below)
        top = header.index - (0 if no_header else header.above)   # first row of a stacked header
        skipped = [(i + 1, " | ".join(c for c in grid[i] if c)) for i in range(top) if any(grid[i])]
        skipped += [(i + 1, " | ".join(c for c in grid[i] if c), "header-tags")
                    for i in range(header.index + 1, header.index + 1 + below)]
        tables.append(Table(format=fmt, headers=headers, batches=_grid_batches(grid, start), header_line=None if no_header else top + 1,
                            header_reason=header.reason, sheet=name if len(workbook.sheet_names) > 1 else None,
                            skipped_lines=skipped, no_header=no_header))
    if not tables:
        if all(sheet.reason == "empty" for sheet in skipped_sheets):
            raise DatactivisteError(_("Every sheet of this workbook is empty."), path=str(path),
                                    hint=_("Check that you exported the right file."))
        raise DatactivisteError(_("No sheet of this workbook holds a table: {sheets}.").format(
            sheets=", ".join(f"{s.name} ({describe_skipped_sheet(s)})" for s in skipped_sheets)), path=str(path),
            hint=_("Check that you exported the right file; to import a sheet anyway: --sheet NAME."))
    tables[0].skipped_sheets = skipped_sheets
    return tables


def _sheet_content(grid: list[list[str]]) -> str:
    """'empty', 'notes' (only single cells of prose: sources, remarks, a title) or 'table'.

    A column of short values (a list of names or codes) is a one-column table, not notes.
    """
    cells = []
    for row in grid:
        filled = [c.strip() for c in row if c and c.strip()]
        if len(filled) >= 2:
            return "table"
        cells += filled
    if not cells:
        return "empty"
    if len(cells) == 1:
        return "notes"
    prose = sum(1 for text in cells if NOTE_START.match(text) or len(text) >= 40 or len(text.split()) >= 4)
    return "notes" if 2 * prose >= len(cells) else "table"


def _first_text(grid: list[list[str]], limit: int = 60) -> str:
    text = next((c.strip() for row in grid for c in row if c and c.strip()), "")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _merged_ranges(sheet) -> list:
    """The sheet's merged cells ((row, column), (row, column)), 0-based; [] when unknown."""
    try:
        return list(sheet.merged_cell_ranges or [])
    except Exception:  # noqa: BLE001 - not every format or calamine version reports them
        return []


def describe_skipped_sheet(sheet: SkippedSheet) -> str:
    """Why a sheet was skipped, in the user's language (for reports and messages)."""
    if sheet.reason == "empty":
        return _("empty")
    if sheet.reason == "notes":
        return _("notes only: « {text} »").format(text=sheet.text)
    return _("unreadable: {error}").format(error=sheet.text)


def _grid_batches(grid: list[list[str]], start: int):
    """Batches over rows already in memory (workbooks, JSON); line = 1-based row number."""
    def batches() -> Iterator[Batch]:
        for offset in range(start, len(grid), BATCH):
            chunk = grid[offset:offset + BATCH]
            yield list(range(offset + 1, offset + 1 + len(chunk))), chunk
    return batches


def _declared_width(path: Path, fmt: str, sheet_name: str, sheet) -> int:
    """Columns the sheet declares (<dimension ref="A10:O66">), which calamine trims to used cells.

    Used for sheets without a header, where the declared range is the only sign of the columns
    the author laid out (with a header, the labels say it; declared ranges are often inflated by
    formatting, A1:AMJ3 for five columns).
    """
    if fmt not in ("xlsx", "xlsm"):
        return 0
    import re as _re

    try:
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            match = _re.search(r'<sheet[^>]*name="' + _re.escape(sheet_name) + r'"[^>]*r:id="([^"]+)"', workbook)
            if not match:
                return 0
            target = _re.search(r'Id="' + _re.escape(match.group(1)) + r'"[^>]*Target="([^"]+)"', rels) or \
                _re.search(r'Target="([^"]+)"[^>]*Id="' + _re.escape(match.group(1)) + r'"', rels)
            if not target:
                return 0
            member = target.group(1).lstrip("/")
            member = member if member.startswith("xl/") else "xl/" + member
            with archive.open(member) as handle:
                head = handle.read(4096).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return 0
    dimension = _re.search(r'<dimension ref="[A-Z]+\d+:([A-Z]+)\d+"', head)
    if not dimension:
        return 0
    width = 0
    for char in dimension.group(1):
        width = width * 26 + (ord(char) - 64)
    return min(width, MAX_COLUMNS)


def _workbook_header(grid: list[list[str]], options: ReadOptions) -> HeaderGuess:
    if options.skip_lines is not None:
        return HeaderGuess(index=min(options.skip_lines, len(grid) - 1), width=len(grid[0]), reason="skip-lines")
    if options.no_header:
        index = next(i for i, r in enumerate(grid) if any(c.strip() for c in r))
        return HeaderGuess(index=index, width=len(grid[0]), reason="no-header")
    header = find_header(grid[:SAMPLE_LINES]) or HeaderGuess(index=0, width=len(grid[0]), reason="first-row")
    if _not_a_clean_table(grid[:SAMPLE_LINES], header.index):
        index = next(i for i, r in enumerate(grid) if any(c.strip() for c in r))
        return HeaderGuess(index=index, width=len(grid[0]), reason="no-clean-header")
    return header


# --- JSON and GeoJSON -------------------------------------------------------------------------

def read_json(path: Path, options: ReadOptions) -> Table:
    guess = _forced_encoding(options.encoding) if options.encoding else detect_encoding(path)
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
    return Table(format=fmt, headers=headers, batches=_grid_batches(grid, 0), header_line=None, header_reason="json-keys",
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
