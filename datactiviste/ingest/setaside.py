"""Which records are not data: the notes under the table.

Every non-blank record of a file becomes a table row, except what is set aside on strong
evidence, each one counted and named in the report (line, first characters, reason, and the
option that keeps it). Here: **notes** under the table (`--keep-notes` keeps them), note-shaped
records at the very end — one filled cell, or clearly narrower than the table — that do *not*
fit the column types, or a narrower table of notes of its own under a blank line. A record whose
values fit the columns is data whatever its first word ("Source d'eau;puits;31"). Totals and
subtotals are totals.py's.
"""

from __future__ import annotations

import re
from collections import Counter

from datactiviste.ingest.cells import NO_VALUE, TOTAL_LABEL, cell_kind
from datactiviste.ingest.shapes import ALL_DATE_SHAPES, NUMBER_SHAPES, classify
from datactiviste.ingest.totals import LABEL_COLUMNS, TOTAL_LABEL_WORDS

NOTE_START = re.compile(r"^\s*(sources?|notes?|nota|nb|n\.b\.|quelle|lecture|champ|remarques?|avertissement|"
                        r"m[ée]thodologie|d[ée]finitions?|l[ée]gende|legend|data extracted|\*+|\(\d+\)|\(\*+\)|\d+\s*[.)]|[a-z]\))(\s|:|$)",
                        re.I)
# --- notes under the table ----------------------------------------------------------------------

def _filled(cells) -> list[int]:
    return [i for i, cell in enumerate(cells) if cell and cell.strip(" \t\xa0\u202f")]


def _note_like(text: str, longest: int, wordy: bool = False) -> bool:
    """Reads as a sentence or a note rather than a value of its column (`wordy`: a column whose
    own values read so, `Japan:  Honshu:  S. Of, 2015`, where only a `Source :`-like start tells)."""
    text = text.strip()
    if NOTE_START.match(text):
        return True
    if wordy:
        return False
    words = text.split()
    # `s:` `*:` `Legend:` — a key of a legend or a label of a note: a value of a column never ends so.
    return (text.endswith((".", ":")) and len(words) >= 2) or text.endswith(":") or ": " in text or len(words) >= 6 or \
        (longest and len(text) > max(24, 2 * longest))


def value_kind(value: str) -> str | None:
    """'date', 'number' or 'text' (None: empty): header.py's coarse kind, with the dates and
    numbers the importer reads in words or other forms (`Feb-15`, `janvier 2024`, `12 %`) told
    apart from text, so that a lone `####` under a column of months reads as a note."""
    kind = cell_kind(value)
    if kind == "text":
        shape = classify(value)
        if shape in ALL_DATE_SHAPES:
            return "date"
        if shape in NUMBER_SHAPES:
            return "number"
    return kind


def column_kinds(records, width: int, share: float = 0.0, least: int = 1) -> list[str | None]:
    """The majority kind ('date', 'number' or 'text') of each column in `records`; None where the
    column has fewer than `least` values, or where its majority is under `share` of them."""
    kinds = []
    for column in range(width):
        counter = Counter(value_kind(r[column]) for r in records if column < len(r) and r[column])
        counter.pop(None, None)
        kind, most = counter.most_common(1)[0] if counter else (None, 0)
        total = sum(counter.values())
        kinds.append(kind if total >= least and most >= share * total else None)
    return kinds


def _fits(cells, kinds, longest, lone_columns: frozenset = frozenset(), wordy: frozenset = frozenset()) -> bool:
    """The record's filled values could be values of their columns (a data row, not a note).
    `lone_columns`: columns where the table itself has many rows of that one cell (a codebook's
    answers under each question): a lone value there is a row like them, unless it starts like a note."""
    filled = _filled(cells)
    if not filled:
        return True
    if len(filled) == 1:
        index = filled[0]
        value = cells[index]
        if index in lone_columns and not NOTE_START.match(value):
            return True
        kind = kinds[index] if index < len(kinds) else None
        if kind in ("number", "date"):
            return value_kind(value) == kind
        return not _note_like(value, longest[index] if index < len(longest) else 0, index in wordy)
    first = cells[filled[0]]
    if _note_like(first, longest[filled[0]] if filled[0] < len(longest) else 0, filled[0] in wordy) \
            and value_kind(first) == "text":
        return False
    # A missing-value mark (`-`, `..`, `n/a`) fits a column of numbers or dates: months with no data yet.
    agree = sum(1 for i in filled if i < len(kinds) and (kinds[i] is None or value_kind(cells[i]) == kinds[i]
                                                         or kinds[i] != "text" and cells[i].strip() in NO_VALUE))
    return agree == len(filled)


def _wordy(rows: list[list[str]], column: int) -> bool:
    """A third or more of the column's values (five at least) read like notes themselves."""
    values = [r[column] for r in rows if column < len(r) and r[column] and r[column].strip()]
    return len(values) >= 5 and sum(1 for v in values if _note_like(v, 0)) * 3 >= len(values)


def _total_labelled(cells) -> bool:
    """Labelled like a total, with a value right of the label (`2 | Total private dwellings`, a
    numbered note naming a total, has none)."""
    filled = _filled(cells)
    return len(filled) >= 2 and any(TOTAL_LABEL.match(cells[i]) and len(cells[i].split()) <= TOTAL_LABEL_WORDS
                                    and any(j > i for j in filled) for i in filled[:LABEL_COLUMNS])


def _note_shaped(cells, width: int) -> bool:
    """One filled cell, or clearly narrower than the table: a few cells, wherever they sit (a note
    broken over `| | at the | bottom, | |`), or in a narrow table two cells one of which is a
    sentence (`INFO | Cells in this table have been randomly adjusted…`); whether they fit the
    columns is _fits' to say."""
    filled = _filled(cells)
    if len(filled) <= 1:
        return True
    if width < 4:
        return width == 3 and len(filled) == 2 and any(len(cells[i].split()) >= 6 for i in filled)
    return filled[-1] + 1 <= max(2, width // 3) or len(filled) <= max(2, width // 3)


def _note_opened(cells) -> bool:
    """The record's first filled cell opens like a note (`Source : DGCL`, `Note :`, `(1)`) and is
    text: with the note's own commas or semicolons unquoted, a sentence can fill the whole width
    (`Source: DGCL, traitement Open Data, 2021` over `commune,budget,annee`)."""
    filled = _filled(cells)
    return bool(filled) and bool(NOTE_START.match(cells[filled[0]])) and value_kind(cells[filled[0]]) == "text"


def _misfits_typed_columns(cells, kinds) -> bool:
    """A value sits in a column of numbers or dates without being one (nor a missing-value mark):
    what tells `Source : DGCL; voir le site; 2021` (a note split by its own delimiters) from a
    last row `Source; Kédougou; 3; 2021-05-01` whose first word only looks like one."""
    return any(i < len(kinds) and kinds[i] in ("number", "date") and value_kind(cells[i]) != kinds[i]
               and cells[i].strip() not in NO_VALUE for i in _filled(cells))


def _column_words(rows: list[list[str]], width: int) -> list[set[str]]:
    """The text values (not numbers, dates or missing-value marks) each column holds in `rows`."""
    words: list[set[str]] = [set() for _ in range(width)]
    for cells in rows:
        for i in _filled(cells):
            if i < width and value_kind(cells[i]) == "text" and cells[i].strip() not in NO_VALUE:
                words[i].add(cells[i].strip())
    return words


def _repeats_rows(cells, words: list[set[str]]) -> bool:
    """Two text values or more of the record are, each in its own column, values the rows above
    have there (`DRH | DGCFC | SFC` under tasks of the same service): a row of the table, however
    sparse or wordy. A note under the table never repeats the rows column by column."""
    return sum(1 for i in _filled(cells) if i < len(words) and cells[i].strip() in words[i]) >= 2


def _commented(cells) -> bool:
    """The record begins with `#` (a `# Source: …` line), not with a number mark such as `#1`."""
    first = next((cell.strip() for cell in cells if cell and cell.strip()), "")
    return first.startswith("#") and not first[1:2].isdigit()


# Under a header with no row, up to this many note-shaped lines are its notes (a source, a
# definition); more are the content of a sheet laid out as lines of text (a questionnaire), kept as rows.
NOTES_ALONE = 5


def footer_start(pending: list, width: int, kinds_hint: list[str | None] | None = None, rows_above: bool = True) -> int:
    """Index in `pending` [(line, cells or None for blank)] where the notes under the table begin
    (see _notes_start). `rows_above`: rows of the table come before `pending` (read earlier); without
    them, NOTES_ALONE such lines or more are the sheet's content, kept as rows."""
    start = _notes_start(pending, width, kinds_hint)
    block = _notes_table(pending, width)
    if block is not None and block < start:
        return block
    if start == 0 and not rows_above and sum(cells is not None for _line, cells in pending) >= NOTES_ALONE:
        return len(pending)
    return start


def _notes_table(pending: list, width: int) -> int | None:
    """Index in `pending` of the blank line above a narrower table of its own under the data:
    UNdata's `fnSeqID | Footnote` over the numbered footnotes of a 6-column table. Its first record
    is labels in the first columns, at most half the table's width, one of them a word where the
    rows have numbers or dates; every record under it is about as narrow (one field more: a quote
    inside a note splits it), none labelled like a total. None when there is no such block."""
    if width < 4:
        return None
    for blank in (i for i, (_line, cells) in enumerate(pending) if cells is None):
        body = [cells for _line, cells in pending[:blank] if cells is not None]
        below = [cells for _line, cells in pending[blank + 1:] if cells is not None]
        if len(body) < 3 or len(below) < 2:
            continue
        head, notes = below[0], below[1:]
        labels = _filled(head)
        if not 2 <= len(labels) <= width // 2 or labels != list(range(len(labels))):
            continue
        kinds = column_kinds(body, width)
        if not all(value_kind(head[i]) == "text" for i in labels) or \
                not any(kinds[i] in ("number", "date") for i in labels):
            continue
        if all(_filled(cells) and _filled(cells)[-1] <= len(labels) and not _total_labelled(cells) for cells in notes):
            return blank
    return None


def _notes_start(pending: list, width: int, kinds_hint: list[str | None] | None) -> int:
    """Index in `pending` [(line, cells or None for blank)] where the notes under the table begin.

    Only the trailing run of note-shaped records (and blank lines) can be notes. In it, a record
    of several values that fit the columns is data, and so is everything above it; a lone value
    that fits its column is data while it follows the rows directly, and a note once a blank line
    or a sure note separates it from them (the "Fußnoten" heading of a notes block).
    """
    # `#` lines under rows that never begin with `#` are notes, however wide (`# R. C. Reid, J. M.
    # Prausnitz, …` has as many commas as the rows).
    hashed = any(cells is not None and _commented(cells) for _line, cells in pending)
    for allow_hashed in ((True, False) if hashed else (False,)):
        shaped = len(pending)
        for index in range(len(pending) - 1, -1, -1):
            cells = pending[index][1]
            if cells is None:
                continue
            if not (_note_shaped(cells, width) or allow_hashed and _commented(cells) or _note_opened(cells)) \
                    or _total_labelled(cells):
                break            # a TOTAL row is for the totals rule, which checks its sums
            if width == 1 and not (NOTE_START.match(cells[0]) or allow_hashed and _commented(cells)):
                break            # in one column every record is one cell: only a `Source :`-like line is a note
            shaped = index
        body = [cells for _line, cells in pending[:shaped] if cells is not None]
        if not (allow_hashed and (not body or any(_commented(cells) for cells in body))):
            break
    if shaped == len(pending):
        return len(pending)
    kinds = column_kinds(body, width)
    if kinds_hint:
        kinds = [k if k is not None else h for k, h in zip(kinds, kinds_hint)] + kinds[len(kinds_hint):]
    longest = [max((len(r[c].strip()) for r in body if c < len(r) and r[c]), default=0) for c in range(width)]
    full_rows = len(body) >= 5 and all(len(r) >= width for r in body[-50:])
    lone = Counter(filled[0] for filled in map(_filled, body) if len(filled) == 1)
    lone_columns = frozenset(c for c, n in lone.items() if n >= 3 and n * 20 >= len(body))
    # (when the whole tail is note-shaped, a sparse table's last rows, the rows above its last five)
    alike = body if len(body) >= 5 else [cells for _line, cells in pending[:-5] if cells is not None]
    wordy = frozenset(c for c in range(width) if _wordy(alike[-50:], c))

    words = _column_words(body[-200:], width)

    def fits(cells) -> bool:
        return _fits(cells, kinds, longest, lone_columns, wordy) or _repeats_rows(cells, words)

    start = len(pending)
    for index in range(len(pending) - 1, shaped - 1, -1):
        cells = pending[index][1]
        if cells is None:
            continue
        if fits(cells) and len(_filled(cells)) > 1 and not (allow_hashed and _commented(cells)) \
                and not (len(cells) * 2 <= width and full_rows):
            break    # (a record of a few fields under rows all written whole is a trailer: `T,Locate Reply,2093`)
        if not (_note_shaped(cells, width) or allow_hashed and _commented(cells)) and not _misfits_typed_columns(cells, kinds):
            break    # as wide as the rows, opened like a note, its values fitting their columns: a row
        start = index
    # Lone values that fit and follow the rows directly are the last rows of the table, unless the
    # table has no row that sparse and a sure note follows them: then they begin the notes (`Some` |
    # `also like to write stuff`, right above `| | at the | bottom, |`).
    # A lone date or number in its column of dates or numbers is a row whose values are not in yet
    # (the months to come of a price index), whatever follows.
    sure_note = any(cells is not None and not fits(cells) for _line, cells in pending[start:])
    sparse = width < 3 or not sure_note or len(body) < 5 or any(len(_filled(cells)) <= 1 for cells in body)

    def typed_lone(cells) -> bool:
        filled = _filled(cells)
        return len(filled) == 1 and filled[0] < len(kinds) and kinds[filled[0]] in ("date", "number")

    while start < len(pending) and pending[start][1] is not None and len(_filled(pending[start][1])) <= 1 \
            and (sparse or typed_lone(pending[start][1])) and fits(pending[start][1]) \
            and (start == 0 or pending[start - 1][1] is not None):
        start += 1
    while 0 < start < len(pending) and pending[start - 1][1] is None:
        start -= 1
    if start < len(pending) and all(cells is None for _l, cells in pending[start:]):
        return len(pending)
    return start
