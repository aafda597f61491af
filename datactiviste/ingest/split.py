"""Where to cut a big delimited file so that several processes can load its parts at once.

A cut must fall between two records. One C-level scan of the file counts quote characters and
line breaks: a line break after an even number of `"` is outside any quoted field when the file
quotes the way CSV does. Files that put stray quotes inside unquoted fields can fool that count,
so the loader checks each cut afterwards (the record before it must not end inside quotes) and
loads the file in one process when a cut was wrong. When the sample has no record over several
lines, that scan is skipped: the cut is the first line break after the target, and the line
numbers of the later parts are counted as the parts before them are read. Only files whose
bytes `"`, `\\n` and `\\r` are those characters everywhere qualify: UTF-8 and single-byte
encodings (cp1252, latin-1…), read whole (no line-by-line mixed-encoding repair, no NUL removal).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from datactiviste.ingest.delimited import CsvLayout
from datactiviste.ingest.readers import SAMPLE_MAX, Table

SEARCH_BYTES = 4 * 1024 * 1024      # how far past a target offset to look for a safe cut
_LOOK_BACK = 4096                   # bytes read before a quick cut, to see the line it ends
# The first part's share of the file against each other part's. The main process reads a byte as
# fast as a worker now that the encoding scan is shared and workers start ahead (Standby): with
# 0.9 its worker ended 0.5 s after it on the 1M-row benchmark (8.7 % more work, main process idle
# meanwhile); with equal shares both end within 0.1 s, and the copy of the rows follows at once.
FIRST_PART_WEIGHT = 1.0
_BLOCK = 1024 * 1024
# Past this offset a cut is surely below the header and the first data line (both in the sample,
# at most SAMPLE_MAX characters of 4 bytes at most).
QUICK_CUT_AFTER = 4 * SAMPLE_MAX
_SYNTAX = b'"\n\r,;\t|'


@dataclass(frozen=True)
class Part:
    start: int            # byte offset of the part's first record
    end: int | None       # byte offset just past its last record (None: end of file)
    first_line: int | None  # physical line number of its first record (None: known once the parts before are read)


def splittable(table: Table) -> bool:
    """True when `table` is a delimited file the byte-level cut can handle (see the module docstring)."""
    layout = table.layout
    if layout is None or layout.newline != "\n" or layout.first_data_line <= 0:
        return False
    if table.header_reason == "no-clean-header" or layout.escapechar:
        return False      # escaped quotes fool the count of quotes that finds the cuts
    guess = layout.encoding
    if guess.mixed_legacy or guess.repaired_mojibake or guess.nul_bytes:
        return False
    return _bytes_are_ascii_syntax(guess.name)


def _bytes_are_ascii_syntax(codec: str) -> bool:
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return False
    if name in ("utf-8", "utf-8-sig", "ascii"):
        return True
    try:  # a single-byte codec that keeps ASCII punctuation where it is (not EBCDIC, not UTF-16)
        return (len(bytes(range(256)).decode(name, errors="replace")) == 256
                and _SYNTAX.decode(name) == _SYNTAX.decode("ascii"))
    except (UnicodeDecodeError, LookupError):
        return False


def plan_parts(layout: CsvLayout, count: int, size: int) -> list[Part]:
    """Cut the file into `count` parts of about equal size (the first weighted by
    FIRST_PART_WEIGHT), each cut moved forward to a safe line break.

    Returns fewer parts when no safe cut is found near a target (one part: do not split).
    """
    if count <= 1:
        return [Part(0, None, 1)]
    share = size / (count - 1 + FIRST_PART_WEIGHT)
    targets = [int(share * (FIRST_PART_WEIGHT + k)) for k in range(count - 1)]
    if not layout.multiline_records and targets[0] > QUICK_CUT_AFTER:
        return _quick_parts(layout, targets, size)
    cuts: list[tuple[int, int]] = []           # (byte offset, line number)
    delimiter = _delimiter_byte(layout)
    quotes = lf = cr = crlf = 0
    position = 0
    with open(layout.path, "rb") as file:
        while targets:
            block = file.read(_BLOCK)
            if not block:
                break
            if block.endswith(b"\r"):
                block += file.read(1)          # keep a CRLF pair in one block
            block_end = position + len(block)
            scanned = 0                        # counts above cover block[:scanned]
            while targets and targets[0] < block_end:
                if targets[0] + SEARCH_BYTES < position:
                    targets.pop(0)              # no safe cut near this target: fewer parts
                    continue
                index = block.find(b"\n", max(targets[0] - position, scanned))
                if index < 0:
                    break
                piece = block[scanned:index + 1]
                quotes += piece.count(b'"')
                lf += piece.count(b"\n")
                cr += piece.count(b"\r")
                crlf += piece.count(b"\r\n")
                scanned = index + 1
                line = lf + cr - crlf + 1      # csv counts \n, \r\n and a lone \r as one line each
                offset = position + scanned
                if quotes % 2 == 0 and line > layout.first_data_line and offset < size \
                        and not _ends_on_sparse_line(block, index, delimiter):
                    cuts.append((offset, line))
                    targets.pop(0)
            piece = block[scanned:]
            quotes += piece.count(b'"')
            lf += piece.count(b"\n")
            cr += piece.count(b"\r")
            crlf += piece.count(b"\r\n")
            position = block_end
    parts, start, first_line = [], 0, 1
    for offset, line in cuts:
        parts.append(Part(start, offset, first_line))
        start, first_line = offset, line
    parts.append(Part(start, None, first_line))
    return parts


def _delimiter_byte(layout: CsvLayout) -> bytes:
    """The delimiter as the file's bytes write it (the encodings split handles write it in ASCII)."""
    return (layout.delimiter or "").encode("ascii", "ignore")


def _ends_on_sparse_line(data: bytes, end: int, delimiter: bytes) -> bool:
    """Whether the line ending with the line break at data[end] is blank, fills one field only or
    half its fields or fewer (`;Région A;;`): maybe a section title (rows.label_sections) or what
    opens a block of a stacked table (rows._opens_a_block), both read with the rows that follow. A
    cut after it would part them, and one process would decide otherwise than another; the cut
    goes to the next line instead. A line begun before `data`: no; in a table of one column, only a blank one."""
    begin = data.rfind(b"\n", 0, end)
    if begin < 0 or not delimiter:
        return False
    line = data[begin + 1:end].rstrip(b"\r")
    if not line.strip():
        return True
    fields = line.split(delimiter)
    filled = sum(1 for field in fields if field.strip(b' \t"'))
    return len(fields) >= 2 and (filled <= 1 or len(fields) >= 3 and filled * 2 <= len(fields))


def _quick_parts(layout: CsvLayout, targets: list[int], size: int) -> list[Part]:
    """Cuts at the first line break after each target, without reading the file up to there.

    For files whose sample has no record over several lines: a line break is then almost surely
    between records. The line numbers of the parts after the first are counted as the parts
    before them are read (Part.first_line None), and a cut that fell inside a quoted cell after
    all is caught by the loader, which then reads the file in one process (module docstring).
    """
    cuts = []
    delimiter = _delimiter_byte(layout)
    with open(layout.path, "rb") as file:
        for target in targets:
            start = max(0, target - _LOOK_BACK)
            file.seek(start)
            window = file.read(target - start + SEARCH_BYTES)
            index = window.find(b"\n", target - start)
            while index >= 0 and _ends_on_sparse_line(window, index, delimiter):
                index = window.find(b"\n", index + 1)
            if index >= 0 and start + index + 1 < size and (not cuts or start + index + 1 > cuts[-1]):
                cuts.append(start + index + 1)
    parts, start = [], 0
    for offset in cuts:
        parts.append(Part(start, offset, 1 if start == 0 else None))
        start = offset
    parts.append(Part(start, None, 1 if start == 0 else None))
    return parts
