"""Delimited text (CSV, semicolons, tabs, pipes…) read as a Table: encoding, dialect, header.

The decisions are taken on the records of a sample that ends on a record boundary (header.py);
`csv_batches` then streams the file batch by batch, from any record boundary, so a big file can
be read in parts by several processes (split.py, parts.py).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from functools import partial
from itertools import islice
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.ingest import sniff
from datactiviste.ingest.encoding import EncodingGuess, detect_encoding
from datactiviste.ingest.delimiters import (detect_delimiter, detect_escape, fixed_width, parse_sample,
                                            records_reader, spaced_delimiter, split_share)
from datactiviste.ingest.spaces import SPACE, comment_labels, space_separated, with_row_names_label
from datactiviste.ingest.blocks import next_table_start
from datactiviste.ingest.cells import PLACEHOLDER_ROWS, without_placeholders
from datactiviste.ingest.header import HeaderGuess, find_header
from datactiviste.ingest.stacked import stack_header, stacked_labels
from datactiviste.ingest import openquotes
from datactiviste.ingest.strayquotes import LenientReader, has_stray_quotes, split_line
from datactiviste.ingest.readers import (BATCH, MAX_FIELD, SAMPLE_CHARS, SAMPLE_LINES, SAMPLE_MAX,
                                         Batch, ReadOptions, Table, forced_encoding,
                                         not_a_clean_table, within_column_limit)


def _open_text(path: Path, guess: EncodingGuess, raw=None):
    """A text stream (newline='' for csv) decoding the file as `guess` says; NULs removed."""
    raw = raw or open(path, "rb")
    if guess.mixed_legacy:
        def lines():
            guess.legacy_lines.clear()
            for number, line in enumerate(_byte_lines(raw), start=1):
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


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _byte_lines(raw) -> Iterator[bytes]:
    """The lines of a binary stream, each with its end: \n and \r\n, and a lone \r when the file
    ends its lines so (old Mac files: read by \n alone, the whole file is one line)."""
    head = raw.peek(1 << 16)
    if b"\n" in head or b"\r" not in head:
        yield from raw
        return
    rest = b""
    for chunk in iter(lambda: raw.read(1 << 20), b""):
        data, start = rest + chunk, 0
        for end in _LINE_END.finditer(data):
            if end.end() == len(data) and end.group() == b"\r":
                break          # maybe the \r of a \r\n cut by the chunk: with the next one
            yield data[start:end.end()]
            start = end.end()
        rest = data[start:]
    if rest:
        yield rest


def read_csv(path: Path, options: ReadOptions) -> list[Table]:
    """The file's table, or its tables when it stacks several with labels of their own (a sheet
    saved as CSV: blocks.py; only a file read whole in the sample), each read by read_delimited;
    with the line where a runaway field starts when the sample cannot be parsed."""
    try:
        tables = [read_delimited(path, options)]
        while tables[-1].next_block is not None:
            tables.append(read_delimited(path, options, block=tables[-1].next_block))
    except csv.Error as error:
        guess = forced_encoding(options.encoding) if options.encoding else detect_encoding(path)
        raise _csv_failure(error, path, _runaway_field_line(path, guess)) from None
    for table in tables:
        table.blocks = len(tables)
    return tables


def read_delimited(path: Path, options: ReadOptions, block: int = 0) -> Table:
    """The table of the file, or of its records from `block` on (a table stacked under another:
    the records above read as blank, so that the decisions see this one's title and labels)."""
    csv.field_size_limit(MAX_FIELD)   # again: a library in the same process may have changed it (csvkit does)
    guess = forced_encoding(options.encoding) if options.encoding else detect_encoding(path)
    sample: list[str] = []
    size = quotes = 0
    complete = whole = True
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
                whole = False
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
        delimiter = detect_delimiter(sample, complete)
        # Spaces, when no usual delimiter makes a table: absent, or only in the preamble's sentences.
        if (delimiter is None or split_share(sample, delimiter) < 0.5) and space_separated(sample, complete):
            delimiter = SPACE
        if delimiter is None and fixed_width(sample):
            raise DatactivisteError(
                _("This file is a table in fixed-width columns (aligned with spaces), not a delimited file."),
                path=str(path), hint=_("Open it in LibreOffice Calc (Text import: choose \"Fixed width\" and place "
                                       "the columns), save it as CSV, then import the CSV. If no cell holds a space, "
                                       "import it with --delimiter \" \" instead."))
        # None means one column: split on a character the file never uses.
        delimiter = delimiter or next(
            (d for d in (",", ";", "\t", "|") if not any(d in line for line in sample)), ",")
    skip_space = spaced_delimiter(sample, delimiter)
    escapechar = detect_escape(sample, delimiter, complete)
    records = parse_sample(sample, delimiter, skip_space, escapechar)
    if not complete and len(records) > 1:
        records.pop()   # the sample may end inside a quoted cell: decide on whole records only
    # Physical line of each sample record (records can span lines).
    reader = records_reader(iter(sample), delimiter, skip_space, escapechar)
    starts, previous = [], 0
    for _record in reader:
        starts.append(previous + 1)
        previous = reader.line_num
    # Quoted cells whose inner quotes were never doubled: read leniently, when no record of the
    # sample spans lines (a quote then always ends a cell before a delimiter or the line's end).
    stray_quotes = (previous == len(starts) and escapechar is None and delimiter != SPACE
                    and has_stray_quotes(sample, delimiter))
    if stray_quotes:
        records = [split_line(line.rstrip("\r\n"), delimiter) for line in sample]
        if not complete and len(records) > 1:
            records.pop()
    # What the cells carry besides their values; the header and types are decided without it.
    value_flags = not options.no_header and any(eurostat_layout(record) for record in records[:3])
    padded = padded_after_quotes(sample, delimiter)
    excel_text = any(_EXCEL_TEXT.match(cell) for record in records for cell in record)
    empty_marker = written_empty(records)
    records = fixed_cells(records, value_flags, padded, excel_text, empty_marker)
    records[:PLACEHOLDER_ROWS] = [without_placeholders(record) for record in records[:PLACEHOLDER_ROWS]]
    if block:
        records = [[] for _record in records[:block]] + records[block:]
    if options.delimiter is None and options.skip_lines is None and not options.no_header and sniff.prose(records):
        raise sniff.refuse("prose", path)
    if options.skip_lines is not None:
        index = next((i for i, s in enumerate(starts) if s > options.skip_lines), len(starts))
        header = HeaderGuess(index=index, width=len(records[index]) if index < len(records) else 0,
                             reason="skip-lines")
    elif options.no_header:
        index = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), 0)
        header = HeaderGuess(index=index, width=len(records[index]) if records else 0, reason="no-header")
    else:
        header = find_header(records)
        if header is not None and delimiter == SPACE and comment_labels(records, header.index):
            # `#   decimal   monthly` over the columns: labels placed by hand in comments, not cells.
            first = next((i for i in range(header.index + 1, len(records)) if not comment_labels(records, i)), header.index)
            header = HeaderGuess(index=first, width=len(records[first]), reason="no-header-detected")
        if header is not None and header.reason == "no-header-detected":
            options = ReadOptions(**{**options.__dict__, "no_header": True})
        elif header is not None and not_a_clean_table(records, header.index):
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
    skipped += [(starts[i], delimiter.join(records[i]), header.below_reason)
                for i in range(header.index + 1, min(header.index + 1 + below, len(records)))]
    if options.no_header:
        headers = [""] * len(header_record)
    else:
        headers = stacked_labels(records, header) if header.above else list(header_record)
    while len(headers) > 1 and not headers[-1].strip() and header.width and len(headers) > header.width:
        headers.pop()
    first_data_record = header.index + (0 if options.no_header else 1 + below)
    # --skip-lines or --no-header: the user said where the table is, one table.
    cut = next_table_start(records, first_data_record, records[top:header.index + 1]) \
        if whole and not options.no_header and options.skip_lines is None else None
    if cut is not None or block:     # one of tables stacked in the file: as wide as its own cells
        rows = records[top:cut]
        while len(headers) > 1 and not headers[-1].strip() and \
                not any(len(r) >= len(headers) and r[len(headers) - 1].strip() for r in rows):
            headers.pop()
    if delimiter == SPACE and not options.no_header:
        headers = with_row_names_label(headers, records[first_data_record:])
    headers += [""] * _unnamed_columns(headers, records[first_data_record:])
    headers = within_column_limit(headers, path, _("Check the delimiter (--delimiter), or split the file into several tables."),
                                  line=header_line)
    sample_text = "".join(sample)
    layout = CsvLayout(path=path, encoding=guess, delimiter=delimiter,
                       newline="\r" if "\r" in sample_text and "\n" not in sample_text else "\n",
                       skip_records=first_data_record,
                       first_data_line=starts[first_data_record] if first_data_record < len(starts) else 0,
                       skip_space=skip_space, multiline_records=previous > len(starts), escapechar=escapechar,
                       value_flags=value_flags, padded=padded, stray_quotes=stray_quotes, excel_text=excel_text,
                       headers=tuple(headers), empty_marker=empty_marker)
    batches = partial(csv_batches, layout, skip_records=first_data_record, progress=options.progress)
    if cut is not None:
        batches = partial(_before_line, batches, starts[cut])
    return Table(format="csv", headers=headers, batches=batches, header_line=None if options.no_header else header_line,
                 header_reason=header.reason, encoding=guess, delimiter=delimiter, skipped_lines=skipped,
                 no_header=options.no_header, layout=layout if cut is None and not block else None,
                 stacked_rows=[] if options.no_header or not header.above else records[top:header.index + 1],
                 next_block=cut, block_line=starts[block] if block else None)


def _before_line(batches: Callable[[], Iterator[Batch]], line: int) -> Iterator[Batch]:
    """The batches' records that start before `line` (where the next table stacked in the file begins)."""
    for starts, records in batches():
        if starts and starts[-1] >= line:
            kept = sum(1 for start in starts if start < line)
            if kept:
                yield starts[:kept], records[:kept]
            return
        yield starts, records


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
    multiline_records: bool = False   # a record of the sample spans several lines (quoted line breaks)
    escapechar: str | None = None     # "\\" for files that escape with backslashes (delimiters.detect_escape)
    value_flags: bool = False         # Eurostat TSV: each value may be followed by its flags ('0 n', ': z')
    padded: bool = False              # columns aligned with spaces after the closing quote ("Algeria"   ,)
    stray_quotes: bool = False        # inner quotes never doubled: read by strayquotes.LenientReader
    excel_text: bool = False          # cells written as Excel text formulas: ="01001"
    headers: tuple[str, ...] = ()     # the table's labels: a cell holding rows as wide is a quote left open (openquotes.py)
    empty_marker: str | None = None   # the word written in every empty cell (`NA`: written_empty)


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


def line_after(start: int, record: list[str]) -> int:
    """The line that follows a record starting on line `start` (its quoted cells may hold breaks)."""
    return start + 1 + sum(_newlines(field) for field in record if "\n" in field or "\r" in field)


def _newlines(text: str) -> int:
    """Line breaks in `text` as a text editor shows them: \n, \r\n and a lone \r count one each."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def csv_batches(layout: CsvLayout, skip_records: int = 0, progress: Callable[[int], None] | None = None,
                start: int = 0, end: int | None = None, first_line: int | None = 1) -> Iterator[Batch]:
    """Batches of (line of each record, records) from byte `start` (a record boundary on line
    `first_line`; None: not known yet, lines are counted from 1 and moved later) to byte `end`,
    after skipping `skip_records` records. Re-readable: each call opens the file again, so memory
    stays flat whatever the file size."""
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
    reader = LenientReader(stream, delimiter) if layout.stray_quotes else \
        records_reader(stream, delimiter, layout.skip_space, layout.escapechar)
    offset = (first_line or 1) - 1
    previous = 0
    try:
        for _skipped in range(skip_records):
            if next(reader, None) is None:
                return
        previous = reader.line_num
        # Lines as the reader counts them (_newlines): the text stream and the line-by-line
        # decoder of mixed files (_byte_lines) both split on \n, \r\n and a lone \r.
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
                    spanned = sum(_newlines(field) for field in record if "\n" in field or "\r" in field)
                    if spanned >= openquotes.MIN_SWALLOWED and layout.headers:
                        swallowed = openquotes.swallowed_rows(record, len(layout.headers), delimiter)
                        if swallowed:
                            raise openquotes.refuse(path, line, swallowed[0], swallowed[1], layout.headers)
                    line += 1 + spanned
            previous = after
            yield starts, fixed_cells(records, layout.value_flags, layout.padded, layout.excel_text, layout.empty_marker)
            if progress:
                progress(raw.tell())
    except csv.Error as error:
        near = offset + previous + 1     # the batch's first line; a runaway quote's own line when found
        if "field larger" in str(error):
            near = _runaway_field_line(path, guess) or near
        raise _csv_failure(error, path, near) from None
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


def fixed_cells(records: list[list[str]], value_flags: bool, padded: bool, excel_text: bool,
                empty_marker: str | None = None) -> list[list[str]]:
    """The records without what the sample showed their cells carry besides the values (see
    without_flags, padded_after_quotes, without_excel_formulas, written_empty): the same for the
    sample and for every batch of every part."""
    if empty_marker:
        records = [[("" if cell == empty_marker else cell) for cell in record] for record in records]
    if value_flags:
        records = [without_flags(record) for record in records]
    if padded:
        records = [[cell.rstrip(" ") for cell in record] for record in records]
    if excel_text:
        records = [without_excel_formulas(record) for record in records]
    return records


EMPTY_MARKERS = ("NA",)     # what R's write.csv writes in every empty cell of a sheet it read
EMPTY_ROWS = 2              # rows of the marker alone that show the file writes empty cells so


def written_empty(records: list[list[str]]) -> str | None:
    """The word the file writes in every empty cell (a spreadsheet read into R and written with
    write.csv: `NA,NA,NA` for a blank row, `Footnotes:,NA,NA`), or None. Only when rows of that
    word alone show it: then a title, a blank row and a note are what they are in the sheet,
    and `NA` in a text column is no name (the file has no other way to say empty)."""
    for marker in EMPTY_MARKERS:
        rows = sum(1 for record in records if len(record) >= 3 and all(cell.strip() == marker for cell in record))
        if rows >= EMPTY_ROWS:
            return marker
    return None


# `="01001"`: the formula some exporters write so that Excel keeps a code's leading zero. Its
# value is the text between the quotes.
_EXCEL_TEXT = re.compile(r'="[^"]*"\Z')


def without_excel_formulas(record: list[str]) -> list[str]:
    """The record with each `="…"` cell replaced by its text (`="01001"` -> `01001`)."""
    return [cell[2:-1] if cell.startswith('="') and _EXCEL_TEXT.match(cell) else cell for cell in record]


def padded_after_quotes(sample: list[str], delimiter: str) -> bool:
    """Columns aligned by spaces after each closing quote (`"5100"    ,"Africa"     ,`, FAOSTAT's
    exports): the csv module keeps those spaces in the value; they are layout, as a fixed-width
    file's are. Only when most lines of the sample are written so."""
    padded = re.compile('" +' + re.escape(delimiter))
    lines = [line for line in sample[:200] if '"' in line]
    return len(lines) >= 3 and sum(1 for line in lines if padded.search(line)) * 4 >= len(lines) * 3


# --- Eurostat's bulk TSV -------------------------------------------------------------------------
# `unit,airpol,geo\time  2013  2012 ...` then `T,NH3,AT  630   0 n   : z`: the first column packs the
# dimensions, each value is followed by a space and its flags (e estimated, p provisional, b break
# in series, n not significant, z not applicable, u low reliability, c confidential...), ':' is
# "not available". The flags are metadata of the value, not part of it: taken off, the columns are
# numbers (they were text); the report says so, and the file keeps them.
_EUROSTAT_HEADER = re.compile(r"\\\s*(time|time_period)\s*\Z", re.I)
_FLAGGED = re.compile(r"\s*(\S+)\s+[a-z]{1,5}\s*\Z|\s*(\S+)\s+\Z")


def _unnamed_columns(headers: list[str], rows: list[list[str]]) -> int:
    """Columns the rows have and the header does not name: when nine rows in ten of the sample are
    wider than the header by the same count, and most fill those fields (NOAA's `year,…,ndays`
    over rows of one field more), they are columns to type like the others, not extra fields."""
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if len(rows) < 5 or not headers:
        return 0
    widths = Counter(len(r) for r in rows)
    width, count = widths.most_common(1)[0]
    if width <= len(headers) or count * 10 < len(rows) * 9:
        return 0
    filled = sum(1 for r in rows if len(r) == width and all(cell.strip() for cell in r[len(headers):]))
    return width - len(headers) if filled * 2 >= len(rows) else 0


def eurostat_layout(headers: list[str]) -> bool:
    """A Eurostat bulk-download TSV: its first label ends with `\\time` (geo\\time, geo\\TIME_PERIOD)."""
    return bool(headers) and bool(_EUROSTAT_HEADER.search(headers[0]))


def without_flags(record: list[str]) -> list[str]:
    """The record with each value's flags taken off ('0 n' -> '0', ': z' -> ':', '630 ' -> '630')."""
    cleaned = record[:1]
    for cell in record[1:]:
        flagged = _FLAGGED.match(cell) if " " in cell else None
        cleaned.append(flagged.group(1) or flagged.group(2) if flagged else cell)
    return cleaned


def _csv_failure(error: csv.Error, path: Path, line: int | None) -> DatactivisteError:
    """The user's message for an error of the csv module (its own text is English and cryptic)."""
    if "field larger than field limit" in str(error):
        return DatactivisteError(
            _("A value of more than {size} MB in one cell: the file is probably broken by an unclosed quote.").format(
                size=MAX_FIELD // (1024 * 1024)),
            path=str(path), line=line,
            hint=_("Open the file in a text editor and look for a \" that is never closed, near that line."))
    if "new-line character seen in unquoted field" in str(error):
        why = _("a line break inside a value that is not between quotes")
    elif "expected after" in str(error) or "unexpected end of data" in str(error):
        why = _("a quote (\") in the middle of a value, or never closed")
    else:
        why = _("its quotes and delimiters do not make rows")
    where = _("The file cannot be read as CSV near line {line}: {why}.").format(line=line, why=why) if line else \
        _("The file cannot be read as CSV: {why}.").format(why=why)
    return DatactivisteError(where, path=str(path), line=line,
                             hint=_("Look for an unclosed quote (\") on that line; or open the file in LibreOffice "
                                    "Calc and save it again as CSV."))


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
