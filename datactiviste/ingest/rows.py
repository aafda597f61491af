"""Which records of a batch are rows, and the source line of each.

The same rules in both passes of the loader (load.py): blank records are skipped and counted,
repeated headers, `#` comments (in a file commented that way) and section titles set aside as
notes, short records padded, extra fields split off. Section titles in the label column are found
on each batch as read (find_sections), the rows under them in sight, and set aside by line. The common batch (every record as wide as the header,
none blank) costs a few C-level scans on the transposed batch. `LineMap` keeps rowid -> line
compactly, for the anomalies' source lines.
"""

from __future__ import annotations

import bisect
from array import array
from itertools import islice

from datactiviste.ingest.cells import YEAR
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

    def first_rowid_after(self, line: int) -> int | None:
        """The first rowid whose source line comes after `line` (lines grow with rowids), or None."""
        for first, count, first_line, lines in self.runs:
            last_line = first_line + count - 1 if lines is None else lines[-1]
            if last_line <= line:
                continue
            if lines is None:
                return first + max(0, line + 1 - first_line)
            return first + bisect.bisect_right(lines, line)
        return None

    def line(self, rowid: int) -> int | None:
        index = bisect.bisect_right([run[0] for run in self.runs], rowid) - 1
        if index < 0:
            return None
        first, count, first_line, lines = self.runs[index]
        offset = rowid - first
        if offset >= count:
            return None
        return first_line + offset if lines is None else lines[offset]


LISTED_LINES = 5   # lines of the short rows and of the rows with extra fields the report names


def clean(loader, starts: list[int], records: list[list[str]], record_notes: bool, before=None):
    """Drop blank and repeated-header rows, pad short rows, split off extra fields.

    Returns (starts, records of exactly `width` cells, extras per record or None). Only for
    batches that `regular_columns` found needing attention; `before`: the record above the batch.
    """
    width = loader.width
    kept_starts, kept, extras_list = [], [], []
    titles = loader.section_lines
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
        short = len(cells) < width
        if len(cells) != width:
            if short:
                cells = cells + [""] * (width - len(cells))
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
                    if len(loader.extra_lines) < LISTED_LINES:
                        loader.extra_lines.append(line)
                    loader.max_extras = max(loader.max_extras, len(extras))
                extras = extras or None
        if loader.title_rows and filled_key(cells) in loader.title_rows:
            # The table's title again, at a page break of a printed sheet (its header follows).
            if record_notes:
                loader.notes.append((line, loader.raw_text(cells), "repeated-header"))
            continue
        if width >= 3 and not loader.options.keep_notes and (line in titles or _section_label(cells, records) or
                                                             _block_title(loader.header_cells, records, index)):
            if record_notes:
                # `# comment two` alone on its row: a comment line, whatever shape made it a title.
                lone = next((cell for cell in cells if cell and cell.strip()), "")
                loader.notes.append((line, loader.raw_text(cells), "comment" if lone.lstrip().startswith("#") else "section"))
                titles.add(line)     # a second pass sets it aside too, whatever its batch holds
            continue
        previous = records[index - 1] if index else before
        if loader.header_cells is not None and (cells == loader.header_cells or _opens_a_block(previous)
                                                and header_variant(loader.header_cells, cells)) \
                or loader.stacked_rows and _repeats_a_header_row(loader.stacked_rows, cells):
            if record_notes:
                loader.notes.append((line, loader.raw_text(cells), "repeated-header"))
                if cells != loader.header_cells and not _repeats_a_header_row(loader.stacked_rows, cells) \
                        and len(loader.other_headers) < LISTED_LINES:
                    loader.other_headers.append(line)   # another block's own labels: the report warns
            continue
        if short and record_notes:       # counted once it is a row (a short title or note is not)
            loader.padded += 1
            if len(loader.short_lines) < LISTED_LINES:
                loader.short_lines.append(line)
        kept_starts.append(line)
        kept.append(cells)
        extras_list.append(extras)
    return kept_starts, kept, extras_list

def filled_key(cells) -> tuple[str, ...]:
    """A record's filled cells, stripped: what a title repeated among the rows is compared by."""
    return tuple(cell.strip() for cell in cells if cell and cell.strip())


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


def find_sections(loader, starts: list[int], records: list[list[str]]) -> None:
    """Note the lines of the section titles in the label column of a batch as read (see
    label_sections), before the rows under the last ones are held back for the footer: a title
    needs the rows under it, whatever part of them the loader takes at once. A second pass,
    which reads the batches again without this, sets aside the lines noted (`section_lines`
    holds every section of the first pass, the parts' too: parts.absorb)."""
    if loader.width >= 3 and not loader.options.keep_notes and loader.searches_sections:
        carried_starts, carried, undecided = loader.section_carry
        looked_starts, looked = carried_starts + starts, carried + records
        found = label_sections(looked, loader.width, recurring=bool(loader.section_lines), header=loader.header_cells)
        loader.section_lines.update(looked_starts[index] for index in found if index >= undecided)
        loader.section_carry = _carried(looked_starts, looked, loader.width)


SECTION_CONTEXT = 300   # records of a batch looked at again with the next one, for the evidence
SECTION_CARRY = 10      # of which at most this many after its last full row, decided again then


def _carried(starts: list[int], records: list[list[str]], width: int) -> tuple[list, list, int]:
    """What the next batch is looked at with: the last records of this one, and where those after
    its last full row begin. A title that ends a batch has its block in the next one (and the last
    batch of a file or part may be too short to show what a full row is): it is decided then, with
    this context. The loader holds the last rows back, so they are still to be taken."""
    context = max(0, len(records) - SECTION_CONTEXT)
    for back in range(1, min(len(records), SECTION_CARRY) + 1):
        if _filled_count(records[-back]) * 2 > width:
            return starts[context:], records[context:], len(records) - back + 1 - context
    return starts[context:], records[context:], len(records) - context


SECTION_FILE_BYTES = 16 * 1024 * 1024   # past this, a file is a dataset, not a published table with sections


def searches_sections(path) -> bool:
    """Whether the label column's section titles are looked for in this file: in files up to
    SECTION_FILE_BYTES (a published table with sections is small; looking costs about 3 ms per
    batch, 0.5 s on the 1M-row benchmark file). Decided on the file, not on the process, so one
    process and parts decide alike."""
    try:
        return path.stat().st_size <= SECTION_FILE_BYTES
    except (OSError, AttributeError):
        return True


SECTION_FILL = 0.9      # the share of the other rows that fill each column the titles leave empty
SECTION_ROWS = 6        # fewer rows than this do not show what a full row is
SECTION_SAMPLE = 300    # full rows enough to tell which columns every row fills
_SHAPE = str.maketrans("0123456789", "0000000000")


def label_sections(records: list[list[str]], width: int, recurring: bool = False, header=None) -> set[int]:
    """The positions of the section titles in the label column of a batch: rows whose only cells
    are words, one in a column of labels, none in the columns every other row fills, each over the
    block of rows it names (`Ambos sexos`, `Hombres`, `Mujeres` each over its own countries;
    `ADULT`, `CHILDREN` among the fare media; `New South Wales Divisions`; `davon`).

    Such a row looks like a row whose values are all missing (`Mayotte;;;`): the evidence is the
    table's. At least two such rows (the pattern recurs), each with a full row under it (a title
    is followed by its block; a row missing its values at the end of the table is a row), in a
    table whose other rows fill those columns (a table with gaps has rows missing their values),
    numbers or dates among them; titles few beside the rows they name (a third at most), and none
    a value of its column (`Ambatomanga` over `Ambatomanga | Piles | 11` is a row of the site, a
    timestamp with no reading is a reading missing). `recurring`: earlier batches of the table had
    titles, so one is enough (the last batch of a file or of a part may be short). `header`: the
    table's header, whose repeats over each block (election results: `| Pct.1 | Pct.2` then the
    contest's title) are no rows."""
    records = _without_repeats(records, header)
    # Cheap first: the rows with half their cells or fewer filled (the last two empty, or short),
    # counted at C speed (a cell of spaces counts as filled here: such a row is no title).
    sparse = {index for index, cells in enumerate(records)
              if (len(cells) < width or not cells[-1] or not cells[-2])
              and (len(cells) - cells.count("") - cells.count(None)) * 2 <= width}
    fewest = 1 if recurring else 2
    if len(sparse) < fewest:
        return set()
    others = [index for index, cells in enumerate(records) if index not in sparse]
    full = others[::max(1, len(others) // SECTION_SAMPLE)]
    if len(full) < SECTION_ROWS // 2 or len(others) + len(sparse) < SECTION_ROWS:
        return set()
    usual = [column for column, count in enumerate(_fill_counts(records, full, width))
             if count >= SECTION_FILL * len(full)]
    kinds = {column: _column_kind(records, full, column) for column in usual}
    labels = {column for column, kind in kinds.items() if kind in ("text", "years")}
    if len(usual) < 3 or not labels or all(kind == "text" for kind in kinds.values()):
        return set()
    shaped = {index for index in sparse if _title_shape(records[index], set(usual), labels)}
    titles = {index for index in shaped if _over_a_block(records, index, shaped, width)} - _long_runs(shaped)
    if len(titles) < fewest:
        return set()
    rows = [index for index, cells in enumerate(records) if index not in shaped and not is_blank(cells)]
    # Rows whose one cell is a year or a date in a label column are sub-headings between the
    # titles (ABS: `2019` over its quarters under `MALES`), not rows missing their values.
    valued = [index for index in rows if index not in sparse or not _dated_sub_heading(records[index], labels)]
    if len(titles) * 3 > len(rows) + len(titles) or not _rows_filled(records, valued, usual, labels):
        return set()
    column = {index: next(c for c in labels if c < len(records[index]) and _has(records[index][c]))
              for index in titles}
    # As written, but the spaces after: an indented `     BUS` is the row of the section `BUS`.
    values = {records[index][c].rstrip() for index in rows for c in set(column.values()) if c < len(records[index])}
    shapes = {value.translate(_SHAPE) for value in values if any(ch.isdigit() for ch in value)}
    if any(_title_is_a_value(records[index][column[index]].rstrip(), values, shapes) for index in titles):
        return set()
    return titles


def _has(cell) -> bool:
    """A filled cell: a no-break space written as filler (`Chirurgie … | \xa0\xa0 | \xa0\xa0`) fills it."""
    return bool(cell) and bool(cell.strip(" \t"))


def _filled_count(cells: list[str]) -> int:
    return sum(1 for cell in cells if _has(cell))


def _fill_counts(records: list[list[str]], rows: list[int], width: int) -> list[int]:
    counts = [0] * width
    for index in rows:
        for column, cell in enumerate(records[index][:width]):
            if _has(cell):
                counts[column] += 1
    return counts


def _rows_filled(records: list[list[str]], rows: list[int], usual: list[int], labels: set[int]) -> bool:
    """The rows but the titles fill each column the titles leave empty, nearly all of them
    (`Ambatomanga | Batteries | |` among the sites' rows: a table with gaps, not titles)."""
    counts = _fill_counts(records, rows, max(usual) + 1)
    return all(counts[column] >= SECTION_FILL * len(rows) for column in usual if column not in labels)


def _without_repeats(records: list[list[str]], header) -> list[list[str]]:
    key = filled_key(header) if header else ()
    if not key:
        return records
    last = key[-1]
    repeats = {index for index, cells in enumerate(records)
               if cells and (cells[-1] or "").strip() == last and filled_key(cells) == key}
    return [[] if index in repeats else cells for index, cells in enumerate(records)] if repeats else records


def _dated_sub_heading(cells: list[str], labels: set[int]) -> bool:
    """One cell, a year or a date, in a label column: a sub-heading (`2019` over its quarters)."""
    filled = [column for column, cell in enumerate(cells) if _has(cell)]
    if len(filled) != 1 or filled[0] not in labels:
        return False
    value = cells[filled[0]].strip()
    return bool(YEAR.match(value)) or (classify(value) or "").startswith("date")


def _title_is_a_value(title: str, values: set[str], shapes: set[str]) -> bool:
    """The title is a label of the column's rows, or written like them with its digits (a
    timestamp, `Zone 3` among `Zone 1`, `Zone 2`): a row of the table missing its values."""
    return title in values or (any(ch.isdigit() for ch in title) and title.translate(_SHAPE) in shapes)


def _column_kind(records: list[list[str]], full: list[int], column: int) -> str:
    """'text' when nearly all the column's cells on the full rows are words, 'years' when they are
    words and years (rows named by their year: ABS `2014-15`, `2019`, `March`; a title may sit
    there, but a column of years is no column of words), else 'values'."""
    cells = [records[index][column].strip() for index in full if column < len(records[index])]
    cells = [cell for cell in cells if cell]
    words = sum(1 for cell in cells if classify(cell) is None)
    if words >= SECTION_FILL * len(cells):
        return "text"
    years = sum(1 for cell in cells if YEAR.match(cell))
    return "years" if words + years >= SECTION_FILL * len(cells) else "values"


def _title_shape(cells: list[str], usual: set[int], labels: set[int]) -> bool:
    """One cell of words in a label column, none in the table's other usual columns; any other
    filled cell (a dimension's name beside the first title of its block: `WHO | ADULT`) is words."""
    filled = [column for column, cell in enumerate(cells) if _has(cell)]
    inside = [column for column in filled if column in usual]
    return len(inside) == 1 and inside[0] in labels and \
        all(classify(cells[column].strip()) is None for column in filled)


TITLE_RUN = 3      # a title, its subtitle and theirs: more in a row are rows missing their values


def _long_runs(shaped: set[int]) -> set[int]:
    """The title-shaped rows that stand in runs of more than TITLE_RUN consecutive records: five
    tasks in a row with only `Activité` and `Tâche` filled are rows of a work plan, not titles
    each over a block (a title is followed by its rows, a subtitle at most between them)."""
    runs, found = [], set()
    for index in sorted(shaped):
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        if len(run) > TITLE_RUN:
            found.update(run)
    return found


def _over_a_block(records: list[list[str]], index: int, titles: set[int], width: int) -> bool:
    """The first record under the title that is neither blank nor a title (a subtitle) is a full row."""
    for following in range(index + 1, len(records)):
        cells = records[following]
        if following in titles or is_blank(cells):
            continue
        return _filled_count(cells) * 2 > width
    return False


def _block_title(header: list[str] | None, records: list[list[str]], index: int) -> bool:
    """One filled cell right above a repeat of the header (blank lines between them aside): the
    title of the next block of tables stacked one under another (`BENIN;` over `CODE;LIBELLE;1960…`)."""
    cells = records[index]
    if header is None or sum(1 for cell in cells if cell and cell.strip()) != 1:
        return False
    following = next((r for r in islice(records, index + 1, index + 4) if not is_blank(r)), None)
    return following is not None and (following[:len(header)] == header or header_variant(header, following))


def _lone_cells(records: list[list[str]], columns: list[tuple]) -> bool:
    """Some record has a single filled cell (maybe a section title: clean looks). One C-level
    membership test when the second and last columns have no empty cell, the usual case."""
    if len(columns) < 3 or "" not in columns[1] or "" not in columns[-1]:
        return False
    return any(sum(1 for cell in r if cell) == 1 for r in records if not r[1] and not r[-1])


HEADER_ROW_LIKENESS = 0.75  # share of a record's cells equal to a header row's, for a block's own header


def without_trailing_blanks(cells) -> list[str]:
    """The cells without the empty ones ending the record (None read as empty)."""
    cells = ["" if cell is None else cell for cell in cells]
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _repeats_a_header_row(stacked_rows: set[tuple], cells: list[str]) -> bool:
    """The record is one of the rows of the stacked header, repeated over the next block, or that
    block's own version of it: words only, most of them the header row's at the same places (the
    overseas block of INSEE's population tables ends on `90 ans et plus` where mainland France's
    has `90 à 94 ans | 95 ans et plus`)."""
    trimmed = without_trailing_blanks(cells)
    if tuple(trimmed) in stacked_rows:
        return True
    filled = [i for i, cell in enumerate(trimmed) if cell and cell.strip()]
    if not filled or any(classify(trimmed[i]) is not None for i in filled):
        return False
    # One word alone must be the header row's own (`Ensemble` over its block); more may vary.
    likeness = 1.0 if len(filled) == 1 else HEADER_ROW_LIKENESS
    return any(sum(1 for i in filled if i < len(row) and row[i] == trimmed[i]) >= likeness * len(filled)
               for row in stacked_rows)


def _opens_a_block(previous: list[str] | None) -> bool:
    """The record above starts a new block of a stacked table: a blank line or a title of one cell
    (None: the header itself, or a part's first record, whose cut never follows such a line)."""
    return previous is not None and (is_blank(previous) or _filled_count(previous) <= 1)


def header_variant(header: list[str], cells: list[str]) -> bool:
    """The header of the next block of tables stacked one under another: the same first label
    (`I.2 The region where…`) and words where the header has words (`Poverty` for `Nutrition`),
    in a row as wide as the header, right under a blank line or a block title (_opens_a_block,
    which clean checks): a table whose rows all start with the header's first label (`AAAA` in an
    anonymised file) keeps them."""
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
        return None      # the header repeated, or a block's own header (see header_variant): clean looks
    if loader.stacked_rows and any(row[i] in columns[i] for row in loader.stacked_rows
                                  for i in [i for i, cell in enumerate(row) if cell and cell.strip()][:2]
                                  if i < len(columns)):
        return None      # maybe a row of the stacked header repeated (one C scan per label): clean looks
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
    regular = regular_columns(loader, records) if not loader.section_lines or loader.section_lines.isdisjoint(starts) \
        else None
    before, loader.record_before = loader.record_before, records[-1]   # clean reads the record above each
    if regular is not None:
        columns, first = regular
        extras = None
    else:
        starts, records, extras = clean(loader, starts, records, record_notes, before)
        if not records:
            return None
        columns, first = list(zip(*records)), None
    joined = ["\n".join(values) if index or first is None else first for index, values in enumerate(columns)]
    return starts, columns, extras, joined
