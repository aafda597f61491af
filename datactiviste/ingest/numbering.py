"""Labels that number the columns under a group: weeks 1, 2, 3…, days 01.01., 02.01., the months
in their order (Destatis: `Kalenderwoche` over `1 | 2 | … | 53`, `Monate` over `Januar | Februar`).
Such a row is the header's second row, not a row of values nor a description of the columns;
header.py and stacked.py ask it.
"""

from __future__ import annotations

import re

from datactiviste.ingest.cells import TOTAL_LABEL
from datactiviste.ingest.shapes import MONTH_NUMBER

SEQUENCE = 5        # columns numbered 1, 2, 3, 4, 5 at least: a header of numbers, not a row
_DAY_LABEL = re.compile(r"\d\d?\.\d\d?\.?\Z")    # 01.01., 31.12.: the days of a year as labels


def numbering(values: list[str]) -> bool:
    """Labels that number columns: 1, 2, 3… in a row (weeks), days written `01.01.`, `02.01.`, or
    the months in their order (Januar, Februar…), SEQUENCE at least: the labels under a group
    (`Kalenderwoche`, `Sterbedatum`, `Monate`), not values."""
    if len(values) < SEQUENCE:
        return False
    if all(v.isdigit() for v in values):
        return all(int(b) == int(a) + 1 for a, b in zip(values, values[1:]))
    months = [MONTH_NUMBER.get(v.lower().rstrip(".")) for v in values]
    if all(months):
        return all(b == a % 12 + 1 for a, b in zip(months, months[1:]))
    return all(_DAY_LABEL.match(v) for v in values) and len(set(values)) == len(values)


def numbers_a_group(header: list[str], row: list[str]) -> int | None:
    """The column where `row` starts numbering the columns a group label of `header` spans, from
    the label's own column to the last (Destatis: `Kalenderwoche | | |` over `1 | 2 | 3`, the label
    written again every page of print, a last `Insgesamt`): the second row of a two-row header."""
    width = min(len(header), len(row))
    start = next((c for c in range(width - 1) if header[c].strip() and not header[c + 1].strip()
                  and row[c].strip() and row[c + 1].strip()), None)
    if start is None:
        return None
    end = width
    while end > start and not row[end - 1].strip():
        end -= 1             # blank columns past the table's last one
    values = [row[c].strip() for c in range(start, end)]
    if values and TOTAL_LABEL.match(values[-1]):
        values.pop()         # the total over the numbered columns
    return start if all(values) and numbering(values) else None
