"""A quote opened in a cell and never closed: the lines after it read into that one cell.

`2;"Keur Massar;20` then `3;Pikine;30`, `4;Rufisque;40`…: the csv module takes the quote as the
start of a quoted cell and reads on, across line breaks, up to the next quote of the file or its
end. Nothing fails: the table just loses those rows into one cell (a 50 000-line file became two
rows). A cell over MAX_FIELD already stops the import (delimited._csv_failure); this catches the
shorter ones. The evidence is the cell itself: its first line completes the row the quote opened
in, and its other lines are as wide as the table when split on the delimiter, as rows are; a real
multi-line cell (an address, a comment, even one with semicolons) is not written so.

Checked only on the records whose cells hold line breaks (delimited.csv_batches computes their
lines anyway), so files without such cells pay nothing.
"""

from __future__ import annotations

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.ingest.strayquotes import split_line

MIN_SWALLOWED = 5      # rows read into one cell before it is called a runaway quote
SHARE_LIKE_ROWS = 0.9  # of the cell's lines (after its first) that must be as wide as the table


def swallowed_rows(record: list[str], width: int, delimiter: str) -> tuple[int, int] | None:
    """(0-based position of the cell, lines that look like rows) when a cell of `record` holds
    rows of a `width`-column table, None otherwise (also when the width is unknown or 1)."""
    if width < 2:
        return None
    for position, cell in enumerate(record):
        if cell.count("\n") + cell.count("\r") < MIN_SWALLOWED:
            continue
        first, *rest = cell.splitlines()
        # The quote's own line ends its row: the cells before it and those of its first line make
        # the table's width (`2;"Keur Massar;2000`), where a real quoted cell's first line is only
        # the start of one value and the record goes on after the closing quote.
        if position + len(split_line(first, delimiter) or [""]) != width:
            continue
        if not _ends_open(record, position, rest[-1] if rest else first, width, delimiter):
            continue
        lines = [line for line in rest if line.strip()]
        like_rows = sum(1 for line in lines if len(split_line(line, delimiter)) == width)
        if like_rows >= MIN_SWALLOWED and like_rows >= SHARE_LIKE_ROWS * len(lines):
            return position, like_rows
    return None


def _ends_open(record: list[str], position: int, last: str, width: int, delimiter: str) -> bool:
    """The cell at `position` (its last line `last`) ends as only a quote left open ends: at the
    end of the file (the record cut short, or the file's last line break inside the cell), or at
    the next quote of the file, the rest of that line read on as text and cells
    (`31;"Pikine, Dakar";310` leaves the cell ending `31;Pikine, Dakar"`, and 310 after it)."""
    cell = record[position]
    if cell.endswith(("\n", "\r", delimiter)) or position == len(record) - 1 and len(record) < width:
        return True
    return '"' in last and len(split_line(last, delimiter)) + len(record) - position - 1 == width


def refuse(path, line: int, position: int, rows: int, headers: tuple[str, ...]) -> DatactivisteError:
    """The error for a quote opened on `line` in cell `position` that swallowed `rows` rows."""
    label = headers[position] if position < len(headers) and headers[position].strip() else position + 1
    return DatactivisteError(
        _("A quote (\") opened on line {line} is never closed: the {rows} lines after it, which look like "
          "rows, would be read into one cell.").format(line=line, rows=rows),
        path=str(path), line=line, column=label,
        hint=_("Open the file in a text editor, go to that line and close the quote or remove it "
               "(a \" at the start of a cell opens a quoted cell), then import again."))
