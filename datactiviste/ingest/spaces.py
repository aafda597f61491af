"""Tables whose columns are separated by spaces: `id region valeur`, R's `write.table`
(`"Mazda RX4" 21 6 160`), the `.txt` and `.dat` exports of scientific and statistics software.

Such a file is read with the space as delimiter after each line is trimmed, a run of spaces
counting as one separator (csv's skipinitialspace) and quotes keeping a cell's own spaces, the way
`read.table` and pandas' `sep=r"\\s+"` read it. Chosen only on strong evidence (space_separated),
since splitting one column of words would move a user's data: no usual delimiter makes a table,
every record is as wide as the table or narrower (a wider one means some cell holds a space), and
a column holds numbers or dates.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from datactiviste.ingest.cells import cell_kind

SPACE = " "
MIN_REGULAR = 0.95    # share of the data records exactly as wide as the table
MIN_TYPED = 0.9       # share of a column's cells that are numbers or dates
_GROUP = re.compile(r"\d{3}(?:[,.]\d+)?")
_LEAD = re.compile(r"[-+]?\d{1,3}")
_QUOTED = re.compile(r'"[^"]*"')
_GAP = re.compile(r"(?<=\S) +(?=\S)")
MAX_MIXED_GAPS = 0.2  # share of lines with both one-space and wider gaps that makes spaces part of cells


def trimmed_lines(lines: Iterable[str]) -> Iterator[str]:
    """Each line without its leading and trailing spaces (one line in, one line out, so the
    reader's line numbers stay the file's)."""
    for line in lines:
        yield line.strip(" \t\r\n") + "\n"


def space_reader(lines: Iterable[str], **options):
    """A csv.reader over `lines` where a run of spaces is one separator."""
    return csv.reader(trimmed_lines(lines), delimiter=SPACE, quotechar='"', doublequote=True,
                      skipinitialspace=True, **options)


def space_separated(sample_lines: list[str], complete: bool = True) -> bool:
    """True when the sample is a table in space-separated columns (see the module's docstring).
    Decided below a leading block of `#` comment lines (NOAA, GISS and R exports open with one)."""
    start = 0
    while start < len(sample_lines) and (sample_lines[start].lstrip().startswith("#") or not sample_lines[start].strip()):
        start += 1
    sample_lines = sample_lines[start:]
    reader = space_reader(sample_lines, strict=False)
    records, previous = [], 0
    for record in reader:
        if reader.line_num - previous > 1:
            return False          # a quoted cell spanning lines: not this layout
        previous = reader.line_num
        if any(cell.strip() for cell in record):
            records.append(record)
    if not complete and len(records) > 1:
        records.pop()
    data = records[1:]
    if len(data) < 2:
        return False
    width = Counter(len(record) for record in data).most_common(1)[0][0]
    regular = [record for record in data if len(record) == width]
    if width < 2 or any(len(record) > width for record in data) or len(regular) < MIN_REGULAR * len(data):
        return False
    typed = [column for column in range(width)
             if sum(1 for record in regular if cell_kind(record[column]) in ("number", "date")) >= MIN_TYPED * len(regular)]
    if not typed:
        return False
    header = records[0]
    # R's write.table writes one label less than the columns (the row names have none), quoted.
    shift = 1 if len(header) == width - 1 and '"' in sample_lines[0] else 0
    if len(header) + shift == width and _labels_over(header, typed, shift):
        return True
    # No header of labels to confirm the split: the first record must read as a row, the spaces
    # must not be those of aligned cells holding spaces, nor those between groups of digits.
    return (len(header) == width and not _aligned_with_spaces_inside(sample_lines)
            and not _digit_groups(records[:1] + regular, width))


def _labels_over(header: list[str], typed: list[int], shift: int) -> bool:
    """The first record is a header: labels, text even above the columns of numbers or dates."""
    return all(cell_kind(cell) == "text" for cell in header) and \
        all(cell_kind(header[column - shift]) == "text" for column in typed if column - shift >= 0)


def _aligned_with_spaces_inside(lines: list[str]) -> bool:
    """`Jean Dupont      SN   221-77-111`: columns aligned with runs of spaces, and single spaces
    inside the cells. Such lines hold gaps of one space and wider ones (quoted cells aside): a
    fixed-width table (delimiters.fixed_width), whose cells a run-of-spaces split would cut."""
    filled = [line for line in lines if line.strip()]
    mixed = 0
    for line in filled:
        gaps = {min(len(gap), 2) for gap in _GAP.findall(_QUOTED.sub("x", line.strip()))}
        mixed += gaps == {1, 2}
    return mixed > MAX_MIXED_GAPS * len(filled)


def _digit_groups(records: list[list[str]], width: int) -> bool:
    """`1 234 567,5`: numbers written with spaces between groups of three digits (the French
    thousands separator), which split into a column of 1 to 3 digits followed by columns of
    exactly three. Then the spaces are inside the numbers, not between columns."""
    return any(all(_GROUP.fullmatch(record[column]) and _LEAD.fullmatch(record[column - 1]) for record in records)
               for column in range(1, width))


def comment_labels(records: list[list[str]], index: int) -> bool:
    """Record `index` is a comment line (`#  decimal  monthly`) or blank: under a run-of-spaces
    split its words are not cells of the table."""
    record = records[index] if index < len(records) else []
    return not any(cell.strip() for cell in record) or record[0] == "#"


def with_row_names_label(headers: list[str], data: list[list[str]]) -> list[str]:
    """R's `write.table` writes one label less than the columns: the row names have none. Then the
    labels belong to the last columns, and the first gets an empty one (named later)."""
    filled = [record for record in data if any(cell.strip() for cell in record)]
    if filled and sum(1 for record in filled if len(record) == len(headers) + 1) >= MIN_REGULAR * len(filled):
        return [""] + headers
    return headers
