"""What a cell holds, coarsely, for the layout decisions: the header (header.py), stacked header rows
(stacked.py), the notes under the table (setaside.py) and the delimiter guess (delimiters.py).

These compare rows by the kind of their cells (a row of labels, a row of numbers), not by their
exact type: that is types.py's, on every value of a column.
"""

from __future__ import annotations

import re

from datactiviste.ingest.shapes import DEFAULT_NULL_MARKERS, FLAGGED_NUMBER_SUFFIX, MARKER_PATTERN, MINUS_SIGNS

NUMBERISH = re.compile(r"[ \xa0]*(?:[+\-" + MINUS_SIGNS + r"]?[ ]?[\d][\d .,\xa0\u202f]*|\(\d[\d .,\xa0\u202f]*\))%?[ \xa0]*\Z")
DATEISH = re.compile(r"(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{4}-\d{2}-\d{2}T?)([ T]\d{1,2}[:h]\d{2}(:\d{2})?\S*)?\Z")
YEAR = re.compile(r"(18|19|20)\d\d\Z")
LETTER = re.compile(r"[^\W\d_]")
# A time series' period: 2018, 2018-12, 2023-T1, 2023-Q4, 2023S2, 2023M07 (Insee, Eurostat, ABS exports).
PERIOD = re.compile(r"(18|19|20)\d\d(?:[-/.]?(?:0[1-9]|1[0-2])|[-\s]?[TQS][1-4]|-?M(?:0[1-9]|1[0-2]))?\Z")
# An HXL hashtag row (humanitarian data): '#country', '#adm1+name', '#org +type +code'.
HXL_TAG = re.compile(r"#[A-Za-z][\w]*(\s*\+\s*[\w-]+)*\s*\Z")


# Cells that say "no value" (shapes.DEFAULT_NULL_MARKERS but x, s, * and ?, which can be labels):
# as empty as a blank cell when rows are compared, so that `NULL` in a number column or a `-`
# placeholder does not make a data row look like labels.
NO_VALUE = frozenset(DEFAULT_NULL_MARKERS) - {"x", "X", "s", "?", "*", "**", "***", "****", "*****"}


def cell_kind(value: str) -> str | None:
    """'date', 'number' or 'text' (None for an empty cell or a no-value marker): a coarse kind to compare rows."""
    value = value.strip(" \xa0\t")
    if not value or value in NO_VALUE or (value[0] in "[(nNsS" and MARKER_PATTERN.fullmatch(value)):
        return None
    if DATEISH.match(value):
        return "date"
    if NUMBERISH.match(value):
        return "number"
    flag = FLAGGED_NUMBER_SUFFIX.search(value)    # `82.44R`, `3103(e)`: a number, flagged
    return "number" if flag and flag.start() and NUMBERISH.match(value[:flag.start()]) else "text"


def is_hxl_row(record: list[str]) -> bool:
    """A row of HXL hashtags (the second header line of humanitarian data), not data."""
    filled = [cell.strip() for cell in record if cell and cell.strip()]
    tags = sum(1 for cell in filled if HXL_TAG.match(cell))
    return tags >= 2 and tags >= 0.6 * len(filled)


def filled_count(record: list[str]) -> int:
    """The cells of a record that hold something (spaces and no-break spaces are nothing)."""
    return sum(1 for cell in record if cell and cell.strip(" \xa0\t"))


def filled_columns(record: list[str]) -> list[int]:
    """The columns where a record holds something (the cells filled_count counts)."""
    return [i for i, cell in enumerate(record) if cell and cell.strip(" \xa0\t")]


def only_values(record: list[str]) -> bool:
    """Every filled cell is a number or a date: a row, or a header of years, not of labels."""
    cells = [c for c in record if c and c.strip(" \xa0\t")]
    return bool(cells) and all(cell_kind(c) in ("number", "date") for c in cells)


# A cell labelling its row a total (`Total`, `TOTAL GÉNÉRAL`, `Ensemble`, `Sous-total`, `All Traffic`):
# what totals.py looks for, and what no row describing the columns under the header says.
TOTAL_LABEL = re.compile(r"^\s*(sous[-\s]?totaux?|sous[-\s]?total|totaux|total|grand[-\s]?total|ensemble|tous|toutes|"
                         r"totaal|gesamt|insgesamt|totale|totali|"
                         r"合計|小計|総計|総数|計|合计|总计|小计|"     # Japanese and Chinese: total, subtotal
                         r"sub[-\s]?totals?|totals?|overall|all\s+[^\W\d_]+)\b", re.I)   # All regions, All Traffic, All items


# The names a tool gives the columns a sheet's first row leaves blank, when it saves the sheet
# again: readxl's `...2`, pandas' `Unnamed: 2` (`Unnamed: 2_level_1` under a header of several
# rows). Blank again in the first rows, where a header or a title row carries them.
_PLACEHOLDER = re.compile(r"\.\.\.\d+\Z|Unnamed: \d+(_level_\d+)?\Z")
PLACEHOLDER_ROWS = 5


def without_placeholders(record: list[str]) -> list[str]:
    """The record with such names blank, when it has two or more (one `Unnamed: 0` is a label)."""
    if sum(1 for cell in record if cell and _PLACEHOLDER.match(cell)) < 2:
        return record
    return ["" if cell and _PLACEHOLDER.match(cell) else cell for cell in record]
