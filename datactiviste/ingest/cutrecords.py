"""Records cut in two by a line break that was not quoted, joined again.

A cell typed with a line break inside (`Réhabilitation⏎des latrines`) and written without quotes
splits its record into two short ones: `2;Ecole B;Réhabilitation` and `des latrines;800;2024-02-03`.
Padded as two rows, the second puts a description in the `id` column, a number in `nom`, a date
in `description`: nothing is lost, but everything is moved and the columns' types break.

Joined only on evidence: consecutive short records whose fields add up to exactly the table's
width once the cell cut in two counts once, and whose second part fits the columns it lands on
(by the shapes of the batch's full rows) better than it fits the columns it would start at as a
row of its own. A file whose short rows are rows (trailing empty fields left out) keeps them:
their first cell fits the first column. A cut in the last column, when it is text, leaves a
full record and lines of one cell under it: joined when each line reads as the cell going on
(a small letter first, not a note) and does not fit the first column. The joined record starts on the first piece's line; the
cell holds the line break, as a quoted one would (so line counting stays right: line_after).
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from datactiviste.ingest.rows import is_blank
from datactiviste.ingest.setaside import NOTE_START, column_kinds, value_kind

MAX_PIECES = 4        # a cell cut by more line breaks than this is left as rows
MAX_BLANKS = 2        # blank lines inside the cut cell (a paragraph break)
KIND_SAMPLE = 500     # full rows whose shapes tell each column's kind
KIND_SHARE = 0.8      # a column is of one kind when this share of its filled cells is


def _full_row_kinds(records: list[list[str]], width: int) -> list[str | None]:
    """Each column's kind among the batch's full rows, None where mixed or unknown."""
    full = [record for record in records if len(record) == width][:KIND_SAMPLE]
    return column_kinds(full, width, share=KIND_SHARE, least=3)


def _fit(cells: list[str], first_column: int, kinds: list[str | None]) -> int:
    """+1 for each filled cell of the column's kind, -1 for each of another kind."""
    score = 0
    for offset, cell in enumerate(cells):
        column = first_column + offset
        expected = kinds[column] if column < len(kinds) else None
        kind = value_kind(cell)
        if expected and kind:
            score += 1 if kind == expected else -1
    return score


def _pieces(records: list[list[str]], first: int, width: int) -> list[int] | None:
    """The indexes of the records that make one record of `width` fields from `first` on, or None."""
    fields, pieces, blanks = len(records[first]), [first], 0
    index = first + 1
    while index < len(records) and len(pieces) < MAX_PIECES:
        record = records[index]
        if is_blank(record):
            blanks += 1
            if blanks > MAX_BLANKS:
                return None
        else:
            if len(record) >= width:
                return None
            fields += len(record) - 1
            pieces.append(index)
            if fields >= width:
                return pieces if fields == width else None
        index += 1
    return None


def _joins(records: list[list[str]], pieces: list[int], kinds: list[str | None]) -> bool:
    """True when the later pieces fit the columns they land on, joined, better than as rows."""
    column = len(records[pieces[0]]) - 1      # the column of the cell cut in two
    joined = alone = 0
    for index in pieces[1:]:
        piece = records[index]
        if kinds[column] not in (None, "text"):
            return False                      # only a text cell holds a line break
        joined += _fit(piece[1:], column + 1, kinds)
        alone += _fit(piece, 0, kinds)
        column += len(piece) - 1
    return joined >= 1 and joined > alone


def _continuation(value: str) -> bool:
    """A line that goes on with the cell above: it starts with a small letter (`des latrines`);
    a section title, a note (`source : …`) or a row does not."""
    value = value.strip()
    return bool(value) and value[0].isalpha() and value[0].islower() and not NOTE_START.match(value)


def _tail_pieces(records: list[list[str]], first: int, width: int, kinds: list[str | None]) -> list[int] | None:
    """A full record whose last cell, in a text column, goes on over one-cell lines: the
    indexes of the record and of those lines, or None. The lines must read as a continuation
    (_continuation) and not fit the first column, which must not be text (labels); no blank line
    between (a note under the table's last row comes after one)."""
    record = records[first]
    if len(record) != width or kinds[-1] != "text" or not record[-1].strip() or kinds[0] in (None, "text"):
        return None
    pieces, index = [first], first + 1
    while index < len(records) and len(pieces) < MAX_PIECES:
        line = records[index]
        if len(line) == 1 and _continuation(line[0]) and value_kind(line[0]) != kinds[0]:
            pieces.append(index)
        else:
            break
        index += 1
    return pieces if len(pieces) > 1 else None


def rejoined(starts: list[int], records: list[list[str]], width: int,
             on_join: Callable[[int], None] | None = None) -> tuple[list[int], list[list[str]]]:
    """The batch with its cut records joined; `on_join(line)` is told each joined record's line."""
    kinds = _full_row_kinds(records, width)
    if not any(kinds):
        return starts, records
    kept_starts, kept = [], []
    index = 0
    while index < len(records):
        record = records[index]
        pieces = None
        if 0 < len(record) < width and not is_blank(record):
            pieces = _pieces(records, index, width)
            if pieces and not _joins(records, pieces, kinds):
                pieces = None
        elif len(record) == width and index + 1 < len(records) and len(records[index + 1]) == 1:
            pieces = _tail_pieces(records, index, width, kinds)
        if pieces:
            cells = list(record)
            previous = index
            for piece in pieces[1:]:
                breaks = "\n" * (piece - previous)      # blank lines inside the cell kept
                cells[-1] = cells[-1] + breaks + records[piece][0]
                cells += records[piece][1:]
                previous = piece
            kept_starts.append(starts[index])
            kept.append(cells)
            if on_join:
                on_join(starts[index])
            index = pieces[-1] + 1
            continue
        kept_starts.append(starts[index])
        kept.append(record)
        index += 1
    return kept_starts, kept


def _held_tail(records: list[list[str]], width: int) -> int:
    """How many records at the end of a batch might be the first pieces of a cut record: the
    short ones and the full one above them (its last cell may go on in the next batch)."""
    count = 0
    for record in reversed(records[-(MAX_PIECES + MAX_BLANKS):]):
        count += 1
        if len(record) >= width:
            break
    return count if count < len(records) else 0


def rejoined_batches(batches: Iterable, width: int, on_join: Callable[[int], None] | None = None) -> Iterator:
    """The batches with their cut records joined, a record cut across two batches included (the
    short records ending a batch are held back for the next)."""
    held_starts: list[int] = []
    held: list[list[str]] = []
    for starts, records in batches:
        if held:
            starts, records = held_starts + starts, held + records
            held_starts, held = [], []
        if records and min(map(len, records)) < width:
            starts, records = rejoined(starts, records, width, on_join)
        tail = _held_tail(records, width)
        if tail:
            held_starts, held = starts[-tail:], records[-tail:]
            starts, records = starts[:-tail], records[:-tail]
        if records:
            yield starts, records
    if held:
        yield held_starts, held
