"""Which records of a batch are rows, and the source line of each.

The same rules in both passes of the loader (load.py): blank records are skipped and counted,
repeated headers and `#` comments (in a file commented that way) set aside as notes, short
records padded, extra fields split off. The common batch (every record as wide as the header,
none blank) costs a few C-level scans on the transposed batch. `LineMap` keeps rowid -> line
compactly, for the anomalies' source lines.
"""

from __future__ import annotations

import bisect
from array import array
from itertools import islice

from datactiviste.ingest.readers import MAX_COLUMNS
from datactiviste.ingest.shapes import classify

LEADING_SPACES = (" ", "\t", "\xa0", "\u202f")


def is_blank(cells) -> bool:
    return not any(cells) or not "".join(c or "" for c in cells).strip(" \t\xa0\u202f")


class LineMap:
    """rowid -> source line, compact: a consecutive run of lines costs one tuple, not one int per row."""

    def __init__(self):
        self.runs: list[tuple[int, int, int, object]] = []  # (first rowid, count, first line, lines|None)

    def add(self, first_rowid: int, lines: list[int]) -> None:
        if not lines:
            return
        consecutive = lines[-1] - lines[0] == len(lines) - 1
        self.runs.append((first_rowid, len(lines), lines[0], None if consecutive else array("l", lines)))

    def extend(self, runs, shift: int, line_shift: int = 0) -> None:
        """Add another map's runs, its rowids moved by `shift` (a part copied after this one) and
        its lines by `line_shift` (a part that counted its lines from 1)."""
        if line_shift:
            runs = [(first, count, line + line_shift, None if lines is None else array("l", (n + line_shift for n in lines)))
                    for first, count, line, lines in runs]
        self.runs += [(first + shift, count, line, lines) for first, count, line, lines in runs]

    def line(self, rowid: int) -> int | None:
        index = bisect.bisect_right([run[0] for run in self.runs], rowid) - 1
        if index < 0:
            return None
        first, count, first_line, lines = self.runs[index]
        offset = rowid - first
        if offset >= count:
            return None
        return first_line + offset if lines is None else lines[offset]


def clean(loader, starts: list[int], records: list[list[str]], record_notes: bool):
    """Drop blank and repeated-header rows, pad short rows, split off extra fields.

    Returns (starts, records of exactly `width` cells, extras per record or None). Only for
    batches that `regular_columns` found needing attention.
    """
    width = loader.width
    kept_starts, kept, extras_list = [], [], []
    for index, (line, cells) in enumerate(zip(starts, records)):
        if is_blank(cells):
            if record_notes:
                loader.empty_rows += 1
            continue
        if loader.comment_rows and (cells[0] or "").lstrip().startswith("#"):
            if record_notes:
                loader.notes.append((line, loader.raw_text(cells), "comment"))
            continue
        extras = None
        if len(cells) != width:
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
                if record_notes:
                    loader.padded += 1
            else:
                extras = cells[width:]
                cells = cells[:width]
                while extras and not (extras[-1] or "").strip():
                    extras.pop()
                room = MAX_COLUMNS - width
                if len(extras) > room > 0:
                    # More fields than a table can have columns: the last extra column holds the
                    # rest, joined as in the file (kept, and counted for the report).
                    extras = extras[:room - 1] + [(loader.table.delimiter or " | ").join(extras[room - 1:])]
                    if record_notes:
                        loader.folded_rows += 1
                if extras and record_notes:
                    loader.extra_rows += 1
                    loader.max_extras = max(loader.max_extras, len(extras))
                extras = extras or None
        if width >= 3 and not loader.options.keep_notes and (_section_label(cells, records) or
                                                             _block_title(loader.header_cells, records, index)):
            if record_notes:
                loader.notes.append((line, loader.raw_text(cells), "section"))
            continue
        if loader.header_cells is not None and (cells == loader.header_cells or _header_variant(loader.header_cells, cells)):
            if record_notes:
                loader.notes.append((line, loader.raw_text(cells), "repeated-header"))
            continue
        kept_starts.append(line)
        kept.append(cells)
        extras_list.append(extras)
    return kept_starts, kept, extras_list

def _section_label(cells: list[str], records: list[list[str]]) -> bool:
    """A row of one cell of words in a column of dates or numbers: the title of the rows under
    it (`Monthly Net New Cash Flow` over month ends), not a row; set aside, and named."""
    filled = [i for i, cell in enumerate(cells) if cell and cell.strip()]
    if len(filled) != 1:
        return False
    index = filled[0]
    value = cells[index].strip()
    if len(value.split()) < 2 or classify(value) is not None:
        return False
    others = list(islice((r[index] for r in records if index < len(r) and r[index] and r[index].strip()
                          and r is not cells), 20))
    return len(others) >= 5 and sum(1 for v in others if classify(v) is not None) * 10 >= len(others) * 9


def _block_title(header: list[str] | None, records: list[list[str]], index: int) -> bool:
    """One filled cell right above a repeat of the header (blank lines between them aside): the
    title of the next block of tables stacked one under another (`BENIN;` over `CODE;LIBELLE;1960…`)."""
    cells = records[index]
    if header is None or sum(1 for cell in cells if cell and cell.strip()) != 1:
        return False
    following = next((r for r in islice(records, index + 1, index + 4) if not is_blank(r)), None)
    return following is not None and (following[:len(header)] == header or _header_variant(header, following))


def _lone_cells(records: list[list[str]], columns: list[tuple]) -> bool:
    """Some record has a single filled cell (maybe a section title: clean looks). One C-level
    membership test when the second and last columns have no empty cell, the usual case."""
    if len(columns) < 3 or "" not in columns[1] or "" not in columns[-1]:
        return False
    return any(sum(1 for cell in r if cell) == 1 for r in records if not r[1] and not r[-1])


def _header_variant(header: list[str], cells: list[str]) -> bool:
    """The header of the next block of tables stacked one under another: the same first label
    (`I.2 The region where…`) and words where the header has words (`Poverty` for `Nutrition`),
    in a row as wide as the header. A row of data never repeats the first column's label."""
    if not header[0].strip() or cells[0] != header[0] or classify(header[0]) is not None:
        return False       # (a header whose first label is a number was maybe a row: its value recurs)
    others = [(h, c) for h, c in zip(header[1:], cells[1:]) if c and c.strip()]
    return bool(others) and all(h.strip() and classify(c) is None and classify(h) is None for h, c in others)


def regular_columns(loader, records):
    """(the batch transposed, its first column joined by line breaks) when no record needs
    attention: all as wide as the header, none blank, no header repeated; else None.

    Each check is one C-level scan, on the transposed batch where it can: only rows whose first
    cell is empty or starts with a space are looked at one by one (they might be blank rows).
    """
    if len(records[0]) != loader.width or len(set(map(len, records))) != 1:
        return None
    columns = list(zip(*records))
    first = columns[0]
    header = loader.header_cells
    if header and header[0] in first and (header in records or header[0].strip()):
        return None      # the header repeated, or a block's own header (see _header_variant): clean looks
    if not loader.options.keep_notes and _lone_cells(records, columns):
        return None
    lines = "\n".join(first)
    if loader.comment_rows and ("#" in lines[:1] or "\n#" in lines or "\n " in lines):
        return None      # maybe a comment line: _clean looks
    spaced = lines[:1] in LEADING_SPACES or any("\n" + space in lines for space in LEADING_SPACES)
    if ("" in first or spaced) and any(is_blank(r) for r in records if not r[0] or r[0][0] in LEADING_SPACES):
        return None
    return columns, lines

def batch(loader, starts, records, record_notes: bool):
    """(starts, columns, extras, each column joined by line breaks) of a cleaned batch, or None
    when nothing is left. The joined columns serve the profiler and the converters alike."""
    regular = regular_columns(loader, records)
    if regular is not None:
        columns, first = regular
        extras = None
    else:
        starts, records, extras = clean(loader, starts, records, record_notes)
        if not records:
            return None
        columns, first = list(zip(*records)), None
    joined = ["\n".join(values) if index or first is None else first for index, values in enumerate(columns)]
    return starts, columns, extras, joined
