"""Where the next table starts in a sheet that stacks several, each with labels of its own.

Statistics offices lay out `Tableau 1` over `Tableau 2` in one sheet: a blank row, maybe a title,
then new labels over rows of their own. Read as one table, the second's title and labels become
rows and every column of numbers turns to text; cut there, each block is a table of its own,
decided like a sheet (title block, header, notes). The cut needs strong evidence, so that a
table's sections and repeated headers stay one table (rows.clean sets those aside):

- a blank row, then at most TITLE_ROWS rows of one cell, then a row of two labels or more — words,
  or years over a cross-tab — not the table's header (any of its rows) again nor a variant of it:
  the same first label over words where the header has words (rows.header_variant), or, under no
  title of its own, half its labels the header's (the next block's copy, one band changed);
- one of those labels (a word, or a year over numbers that are not years) sits in a column of
  numbers of the rows above: they are not that table's;
- under the labels, two rows at least before the next blank, one of them with a number under a
  label, and not a block of notes (sentences in half its rows: setaside.py's notes table).
"""

from __future__ import annotations

from datactiviste.ingest.cells import YEAR, filled_columns as _filled
from datactiviste.ingest.rows import header_variant, is_blank
from datactiviste.ingest.setaside import NOTE_START, column_kinds, value_kind

TITLE_ROWS = 3        # rows of one cell (a table's title, its unit) between the blank and the labels
NOTE_WORDS = 6        # a cell of this many words is a sentence
KIND_ROWS = 200       # rows of the table above read for its column kinds (bounded: blank rows recur)


def next_table_start(grid: list[list[str]], start: int, header: list[list[str]]) -> int | None:
    """Index of the first row (title or labels) of the table stacked under the one whose header
    rows are `header` (one, or several stacked) and whose rows start at `start`; None when the
    sheet holds no other."""
    body: list[list[str]] = []
    index = start
    while index < len(grid):
        if not is_blank(grid[index]):
            body.append(grid[index])
            index += 1
            continue
        while index < len(grid) and is_blank(grid[index]):
            index += 1
        if len(body) >= 2 and _opens_a_table(grid, index, body[-KIND_ROWS:], header):
            return index
    return None


def _opens_a_table(grid: list[list[str]], index: int, above: list[list[str]], header: list[list[str]]) -> bool:
    titles = 0
    while index < len(grid) and (is_blank(grid[index]) or len(_filled(grid[index])) == 1):
        # (a cell of the header again where the header has it, `| | Ensemble`, is the header's copy, no title)
        titles += not is_blank(grid[index]) and not _header_cell(grid[index], header)
        if titles > TITLE_ROWS:
            return False
        index += 1
    if index >= len(grid):
        return False
    labels = grid[index]
    # Half the header's labels again, under no title of its own: the next block of the same table.
    if not _labels(labels) or any(_same_header(row, labels) for row in header) or \
            (not titles and _mostly_known(labels, header)):
        return False
    kinds = column_kinds(above, len(labels), share=0.8, least=2)
    if not any(kinds[i] in ("number", "date") and _label_over(labels[i], above, i)
               for i in _filled(labels) if i < len(kinds)):
        return False
    rows = []
    for cells in grid[index + 1:]:
        if is_blank(cells):
            break
        rows.append(cells)
    named = set(_filled(labels))
    if _notes(rows):
        return False
    return len(rows) >= 2 and any(value_kind(cells[i]) == "number" for cells in rows for i in _filled(cells)
                                  if i in named)


def _notes(rows: list[list[str]]) -> bool:
    """Half the rows or more carry a sentence: numbered notes under their own labels (UNdata's
    `fnSeqID | Footnote`), which setaside.py keeps as the table's notes, not a table."""
    return 2 * sum(1 for cells in rows if any(len(cell.split()) >= NOTE_WORDS for cell in cells)) >= len(rows)


def _label_over(label: str, above: list[list[str]], column: int) -> bool:
    """`label` is not a value of the column of numbers or dates above: a word, or a year over
    values that are not years."""
    if value_kind(label) == "text":
        return True
    values = [row[column].strip() for row in above if column < len(row) and row[column].strip()]
    return bool(YEAR.match(label.strip())) and 2 * sum(1 for v in values if YEAR.match(v)) < len(values)


def _labels(cells: list[str]) -> bool:
    """Two labels or more, none a number (but years over a cross-tab), none opening a note."""
    filled = [cells[i].strip() for i in _filled(cells)]
    if len(filled) < 2 or NOTE_START.match(filled[0]):
        return False
    words = [text for text in filled if value_kind(text) == "text"]
    years = [text for text in filled if YEAR.match(text)]
    return len(words) + len(years) == len(filled) and bool(words) and len(set(filled)) == len(filled)


def _header_cell(cells: list[str], header: list[list[str]]) -> bool:
    """The row's one cell is a header row's cell in the same column."""
    column = _filled(cells)[0]
    return any(column < len(row) and row[column].strip() == cells[column].strip() for row in header)


def _mostly_known(cells: list[str], header: list[list[str]]) -> bool:
    """Half the labels or more are the header's own: its copy over the next block of the same
    table, one band changed (INSEE's overseas départements end on `90+` where the mainland ends
    on `90-94 | 95+`)."""
    known = {cell.strip() for row in header for cell in row if cell.strip()}
    labels = [cells[i].strip() for i in _filled(cells)]
    return 2 * sum(1 for label in labels if label in known) >= len(labels)


def _same_header(header: list[str], cells: list[str]) -> bool:
    """The table's own header again, or a variant of it (rows.clean sets those aside)."""
    width = max(len(header), len(cells))
    padded = [c.strip() for c in cells] + [""] * (width - len(cells))
    own = [h.strip() for h in header] + [""] * (width - len(header))
    return padded == own or (len(cells) == len(header) and header_variant(header, cells))
