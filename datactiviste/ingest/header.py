"""Where the table starts: the header row, found on the first records (delimiters.py splits them).

The header is the first record of the table block (rows as wide as the table with at least two
filled cells), moved down past stacked header rows when the body's column types show the real
header is lower (a row that is not "data-like" right before the first data rows); a file whose
first record reads like its rows has no header.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from datactiviste.ingest.cells import (LETTER, NO_VALUE, PERIOD, TOTAL_LABEL, YEAR, cell_kind, filled_count,
                                       is_hxl_row, only_values)
from datactiviste.ingest.numbering import numbering, numbers_a_group
from datactiviste.ingest.shapes import FLAGGED_NUMBER_SUFFIX

@dataclass
class HeaderGuess:
    index: int              # position of the header in the records given
    width: int
    reason: str             # "first-row", "after-preamble", "stacked-header", "comments", "no-header-detected"
    below: int = 0          # header rows under the header record (an HXL hashtag row), not data
    below_reason: str = "header-tags"   # or "header-metadata": Unit, Frequency, Series ID rows
    above: int = 0          # rows above `index` that belong to a stacked header (see stack_header)
    preamble_above: bool = False   # the rows above are known to be preamble, not a stacked header's


_KEY_VALUE = re.compile(r".*[:=]\Z|(?i:(?:data |)(?:last |most recently )?(?:updated|refreshed|extracted|generated|"
                        r"mis à jour|mise à jour|extrait|date|source|as of|au)\b)")


def _notes_row(record: list[str]) -> bool:
    """A record of a key and its value (`Data refreshed on: | Dec-27 2020`) or of explanations
    (cells of sentences, over several lines: `Y : la personne a actuellement un mandat…`)."""
    cells = [c.strip() for c in record if c and c.strip()]
    return bool(cells) and (bool(_KEY_VALUE.match(cells[0])) or
                            any("\n" in c or len(c.split()) >= 6 for c in cells))


def _row_names_header(records: list[list[str]], i: int) -> bool:
    """R's write.csv header: an empty label over the row numbers, then labels (`"","x"` over
    `"1","ACCTS"`); with one column of values it fills a single cell, yet it is the header."""
    record = records[i]
    following = records[i + 1] if i + 1 < len(records) else []
    return len(record) >= 2 and not record[0].strip() and all(cell_kind(c) == "text" for c in record[1:]) \
        and len(following) == len(record) and following[0].strip() == "1"


def _years(values) -> bool:
    """Every value is a year, or a year with its footnote's digit stuck to it in a run of years
    (`2019, 2020, 2021, 20222, 20232`: provisional years; `20201;20162;20133;20101`: GENESIS's
    notes on each year): the run, stripped of those digits, goes one way, three years at least
    when a footnote digit is taken off."""
    years, footnoted = [], False
    for value in values:
        flag = FLAGGED_NUMBER_SUFFIX.search(value)     # ` 2015 *`, `2019(p)`: a year with its flag
        value = value[:flag.start()].strip() if flag and flag.start() else value.strip()
        if YEAR.match(value):
            years.append(int(value))
        elif len(value) == 5 and value.isdigit() and YEAR.match(value[:4]):
            years.append(int(value[:4]))
            footnoted = True
        else:
            return False
    if not footnoted:
        return bool(years)
    steps = {b > a for a, b in zip(years, years[1:]) if b != a}
    return len(years) >= 3 and len(set(years)) == len(years) and len(steps) == 1


def _all_labels(record: list[str]) -> bool:
    """Every cell filled, with words: a header, however much wider than the rows under it."""
    return all(cell_kind(cell) == "text" for cell in record)


def find_header(records: list[list[str]]) -> HeaderGuess | None:
    """Find the header among the first records (None when there is no non-empty record)."""
    candidates = [i for i, r in enumerate(records) if filled_count(r) >= 1]
    if not candidates:
        return None
    named = candidates[0] if _row_names_header(records, candidates[0]) else None
    wide = [i for i in candidates if filled_count(records[i]) >= 2 or i == named]
    if not wide:  # a one-column file: a first value like the values under it is a row
        first, rest = candidates[0], [records[i] for i in candidates[1:]]
        if only_values(records[first]) and rest and sum(map(only_values, rest)) * 5 >= len(rest) * 4:
            return HeaderGuess(index=first, width=1, reason="no-header-detected")
        return HeaderGuess(index=first, width=1, reason="first-row")
    # The table's width: the record length that holds the most cells (not the most records: three
    # `key<TAB>value` lines above a two-row table of 19 fields are not a 2-column table).
    lengths = Counter(len(records[i]) for i in wide)
    width = max(lengths, key=lambda length: (length * lengths[length], lengths[length]))

    def fits(i: int) -> bool:
        record = records[i]
        # As wide as the table (a trailing empty extra field is tolerated), two cells filled.
        trimmed = len(record)
        while trimmed > width and not record[trimmed - 1].strip():
            trimmed -= 1
        # The first wide record may name more columns than most rows fill: an exporter that
        # drops trailing empty fields writes the header whole and the rows short (by one column,
        # or by dozens when the last columns are rarely filled: then it names them all in words).
        return (filled_count(record) >= min(2, width) or i == named) and (trimmed in (width, width - 1) or
                                                     (i == wide[0] and (trimmed == width + 1 or
                                                                        trimmed > width and _all_labels(record[:trimmed]))))

    block = [i for i in wide if fits(i)]
    if not block:
        block = wide
    # A sparse first record right above a row of labels naming nearly every column is a line of
    # the preamble (`Data refreshed on: | | | Dec-27 2020` as wide as the sheet, but two cells).
    while len(block) > 2 and filled_count(records[block[0]]) * 3 <= width and block[1] == block[0] + 1 \
            and filled_count(records[block[1]]) * 5 >= width * 4 and _all_labels(records[block[1]]) \
            and _notes_row(records[block[0]]):
        block = block[1:]
    block = block[_key_value_rows(records, block):]
    first = block[0]
    if first == candidates[0] and only_values(records[first]) and not _years_over_values(records, block):
        # A first record of numbers or dates is a row (a header names its columns in words, or
        # in years over other numbers); kept as a row, nothing is lost.
        return HeaderGuess(index=first, width=width, reason="no-header-detected")
    if first == candidates[0] and _labels_recur_as_values(records, block):
        return HeaderGuess(index=first, width=width, reason="no-header-detected")
    # Column types of the body: the majority kind in the second half of the block.
    body = block[len(block) // 2:] if len(block) > 4 else block[1:]
    kinds: list[str | None] = []
    for column in range(width):
        counter = Counter(cell_kind(records[i][column]) for i in body if column < len(records[i]))
        counter.pop(None, None)
        kinds.append(counter.most_common(1)[0][0] if counter else None)

    def agreement(i: int) -> float:
        """The share of the record's cells whose kind is their column's in the body."""
        record = records[i]
        checked = agree = 0
        for column, kind in enumerate(kinds[:len(record)]):
            cell = cell_kind(record[column])
            if kind is None or cell is None:
                continue
            checked += 1
            agree += cell == kind
        return agree / checked if checked else 0.0

    typed_values = {column: {records[i][column].strip() for i in body if column < len(records[i])}
                    for column, kind in enumerate(kinds) if kind in ("number", "date")}

    def words_where_numbers(i: int) -> bool:
        """Words where the body has numbers or dates, in two columns or more, none of them a value
        of its column (`URN | Places | Inspection date`, `Episode I | Episode II` over rankings)."""
        cells = [(column, records[i][column].strip()) for column in typed_values if column < len(records[i])
                 and records[i][column].strip() and records[i][column].strip() not in NO_VALUE]
        return len(cells) >= 2 and all(cell_kind(value) == "text" and LETTER.search(value)
                                       and value not in typed_values[column] for column, value in cells)

    # Two rows of labels: a first row of groups, leaving blank cells that the row under it fills
    # with such words. Both are labels however well their text cells match the body's text
    # columns. (Under a first row naming every column, words there are answers in free text.)
    second = block[1] if len(block) > 2 else None
    filled_blanks = [] if second is None else [
        column for column, cell in enumerate(records[second])
        if column < len(records[first]) and not records[first][column].strip() and cell.strip()]
    stacked = second is not None and words_where_numbers(second) and bool(filled_blanks)
    # Blanks right of a label filled: groups over their labels (`Solde | ` over `Solde | En fin`).
    # A first row blank only over the first column names every column: rows under it describe them.
    groups_over_labels = stacked and any(column > 0 for column in filled_blanks)

    def data_like(i: int) -> bool:
        return agreement(i) >= 0.8 and any(k in ("number", "date") for k in kinds) and \
            not (stacked and i in (first, second))

    def typed_agreement(i: int) -> float:
        """The same on the number and date columns only: a row of labels has none there."""
        typed = [(c, k) for c, k in enumerate(kinds[:len(records[i])]) if k in ("number", "date")]
        cells = [(c, k) for c, k in typed if cell_kind(records[i][c]) is not None]
        return sum(1 for c, k in cells if cell_kind(records[i][c]) == k) / len(cells) if cells else 0.0

    def years_as_labels(i: int) -> bool:
        """Numbers of the record are years over columns of other numbers: 'Région;2019;2020'."""
        numbers = [(column, records[i][column].strip()) for column, kind in enumerate(kinds[:len(records[i])])
                   if kind == "number" and cell_kind(records[i][column]) == "number"]
        if numbered_columns(i):
            return True
        if not numbers or not _years(value for _column, value in numbers):
            return False
        return not all(YEAR.match(records[j][column].strip()) for column, _value in numbers
                       for j in body[:20] if column < len(records[j]) and records[j][column].strip())

    def numbered_columns(i: int) -> bool:
        """The record numbers its columns, 1, 2, 3… (`Week number,1,2,…,52` over weekly counts), and
        the rows under it do not: labels, not a row."""
        def counts(j: int) -> bool:
            values = [records[j][c].strip() for c in range(1, len(records[j])) if records[j][c].strip()]
            return all(v.isdigit() for v in values) and numbering(values)
        return counts(i) and not any(counts(j) for j in body[:20])

    # The data starts at the first of three consecutive data-like rows; the header is just above.
    data_start = None
    for position, i in enumerate(block[:60]):
        window = block[position:position + 3]
        if len(window) == 3 and all(data_like(j) for j in window) or \
                (len(block) - position < 3 and all(data_like(j) for j in block[position:])):
            data_start = position
            break
    reason = "first-row" if first == candidates[0] else "after-preamble"
    def reads_like_data(i: int) -> bool:
        """Every number or date column of the body has a number or date in this record."""
        typed = [column for column, kind in enumerate(kinds) if kind in ("number", "date")]
        return bool(typed) and all(column < len(records[i]) and cell_kind(records[i][column]) == kinds[column]
                                   for column in typed)

    # Above the first wide record, at most a few narrow ones (a batch file's `H,Locate Reply,GORLTR`
    # header record, 3 fields of 10): preamble, whatever the first wide record turns out to be.
    above = [i for i in candidates if i < first]
    narrow_above = len(above) <= 3 and all(filled_count(records[i]) * 3 <= width for i in above)
    # Or the records above are rows with few cells filled, each where the body has its kind
    # (`0,""` over `0,"df <- read()"`): the table starts at the first of them.
    # A title (`RESULTATS DU BACCALAUREAT…,,,,,,,`: text in a text column, nothing else) is no such row.
    rows_above = bool(above) and len(above) <= 3 and all(data_like(i) and typed_agreement(i) > 0 for i in above)
    if data_start == 0 and (narrow_above or rows_above) and len(block) >= 3 and reads_like_data(first) \
            and not years_as_labels(first) and not is_hxl_row(records[first]):
        # The very first record reads like the rows under it (its numbers where they have
        # numbers, its dates where they have dates): the file has no header.
        return HeaderGuess(index=candidates[0] if rows_above else first, width=width, reason="no-header-detected")
    if data_start is not None and data_start > 1 and not any(data_like(i) for i in block[:data_start]):
        described = _with_metadata(records, HeaderGuess(index=first, width=width, reason=reason))
        if described.below and first + 1 + described.below == block[data_start] and not groups_over_labels \
                or described.preamble_above and described.index == block[data_start - 1]:
            return described    # the labels, then rows describing the columns (unit, frequency), or under them
        header = block[data_start - 1]
        named = _with_names(records, HeaderGuess(index=first, width=width, reason=reason)) if data_start == 2 else None
        if named is not None and named.below:
            return named        # readable labels, then the variables' names
        if data_start == 2 and first == candidates[0] and _all_labels(records[first]) and \
                typed_agreement(header) >= 0.5 and not years_as_labels(header):
            # The record right above the data is a row with a typo (`Batha,2009,Total,500ZER`: a
            # year and a word where the columns hold them, one misfit), under a row of labels.
            return _rows_under(records, HeaderGuess(index=first, width=width, reason=reason))
        if data_start >= 2 and _total_over_rows(records[header], kinds):
            # `Total Votes | 90 | 182` right above the rows: their total written first, a row (the
            # totals stage sets it aside), under the labels (`| Kurt J. Canova | Phyllis E. Toups`).
            header = block[data_start - 2]
        if records[header] == records[first]:
            # The same header written several times (exports pasted together): the first one is
            # the header, the repeats are dropped and reported by the loader.
            return HeaderGuess(index=first, width=width, reason=reason)
        return _rows_under(records, HeaderGuess(index=header, width=width, reason="stacked-header"))
    below = _header_under_title_block(records, block, body, data_like, typed_agreement)
    if below is not None:
        return _rows_under(records, HeaderGuess(index=below, width=width, reason="after-preamble"))
    return _rows_under(records, HeaderGuess(index=first, width=width, reason=reason))


def _total_over_rows(record: list[str], kinds: list[str | None]) -> bool:
    """A row labelled like a total in its first cells whose other cells, two at least, are numbers
    where the body has numbers: a total, not labels."""
    labelled = [c for c, cell in enumerate(record[:3]) if cell and TOTAL_LABEL.match(cell)]
    if not labelled:
        return False
    values = [c for c, cell in enumerate(record) if c > labelled[0] and cell and cell.strip()]
    return len(values) >= 2 and all(c < len(kinds) and kinds[c] == "number" and cell_kind(record[c]) == "number"
                                    for c in values)


def _header_under_title_block(records, block, body, data_like, typed_agreement) -> int | None:
    """The header of a sheet saved as CSV with its title block above the table (instructions,
    `Country: | Senegal`, `Year: | 2011`): every line is padded to the sheet's width, so width does not
    tell the title lines from the table; how many cells they fill does. The header is the row of
    labels right above the first three rows that fill more than half as many cells as the body's
    rows and read like them; above it, no such row (a row with few cells that happens to hold a
    number where the body has numbers is a title line, not data). None when that does not hold."""
    counts = sorted(filled_count(records[i]) for i in body)
    if not counts or counts[len(counts) // 2] < 4:
        return None      # narrow tables: two or three filled cells do not tell a title from a row
    typical = counts[len(counts) // 2]

    def dense_data(i: int) -> bool:
        return filled_count(records[i]) * 2 > typical and data_like(i)

    for position in range(2, min(len(block) - 2, 60)):
        if not all(dense_data(i) for i in block[position:position + 3]):
            continue
        header = block[position - 1]
        if filled_count(records[header]) * 2 <= typical or data_like(header) or typed_agreement(header) >= 0.5 \
                or records[header] == records[block[0]] or any(dense_data(i) for i in block[:position - 1]):
            return None
        return header
    return None


KEY_VALUE_COLUMNS = 3      # a title block's `name | value` sits in the sheet's first columns


def _key_value_row(record: list[str]) -> bool:
    """A title block's line: a name and its value at the left (`Time frequency | | Annual`, `Last updated: |
    01/12/2022`), the name in words."""
    filled = [c for c, cell in enumerate(record) if cell and cell.strip(" \xa0\t")]
    return 1 <= len(filled) <= 2 and filled[-1] < KEY_VALUE_COLUMNS and cell_kind(record[filled[0]]) == "text" \
        and bool(LETTER.search(record[filled[0]]))


def _key_value_rows(records: list[list[str]], block: list[int]) -> int:
    """How many of the block's first records are a key-value title block (Eurostat's `Dataset: | …`,
    `Time frequency | Annual`, `Unit of measure | Number`) over the header: rows of a name and its value at
    the left, right above a row of labels filling three times as many cells (words, or the periods of a
    time series), itself above rows of values as full as it. 0 when that does not hold: a narrow first row
    above rows of values is a row, not a title."""
    run = 0
    while run < min(len(block) - 4, METADATA_ROWS) and _key_value_row(records[block[run]]):
        run += 1
    if not run:
        return 0
    labels = records[block[run]]
    cells = [cell.strip() for cell in labels if cell and cell.strip(" \xa0\t")]
    if len(cells) < 6 or len(cells) < 3 * max(filled_count(records[i]) for i in block[:run]) or \
            not all(cell_kind(cell) == "text" or PERIOD.match(cell) for cell in cells):
        return 0

    def values(i: int) -> bool:
        record = records[i]
        return filled_count(record) * 2 >= len(cells) and any(
            cell_kind(cell) in ("number", "date") and not PERIOD.match(cell.strip()) for cell in record)

    return run if all(values(i) for i in block[run + 1:run + 4]) else 0



def _years_over_values(records: list[list[str]], block: list[int]) -> bool:
    """The first record is years (`2019 | 2020 | 2021`) and the rows under it hold other numbers."""
    first = records[block[0]]
    columns = [column for column, cell in enumerate(first) if cell and cell.strip()]
    if not all(YEAR.match(first[column].strip()) for column in columns):
        return False
    return any(column < len(records[i]) and records[i][column].strip() and not YEAR.match(records[i][column].strip())
               for i in block[1:20] for column in columns)


def _labels_recur_as_values(records: list[list[str]], block: list[int]) -> bool:
    """The first record's values come back, each in its own column, in the rows under it: a file
    without a header whose columns are all text (`"ABW","Latin America & Caribbean","High income"`),
    where the first row is data. A header never repeats as values of its columns, except a whole
    header pasted again (an export appended to another), which is not counted here."""
    first = records[block[0]]
    cells = {column: cell.strip() for column, cell in enumerate(first) if cell and cell.strip()}
    if len(cells) < 2 or len(block) < 3:
        return False
    seen: set[int] = set()
    for i in block[1:200]:
        record = records[i]
        if record == first:
            continue
        seen.update(column for column, cell in cells.items() if column < len(record) and record[column].strip() == cell)
    return len(seen) >= 2 and 3 * len(seen) >= len(cells)


def _rows_under(records: list[list[str]], guess: HeaderGuess) -> HeaderGuess:
    """The header with the rows under its labels that belong to it: HXL tags, a series' metadata
    rows, or the variables' names (each leaves a guess that already has such rows as it is)."""
    return _with_names(records, _with_metadata(records, _with_tags(records, guess)))


def _with_tags(records: list[list[str]], guess: HeaderGuess) -> HeaderGuess:
    """HXL hashtag rows under the labels are part of the header (one, sometimes a second partial
    one); chosen as the header itself (it sits right above the data), the labels above it are the header."""
    index = guess.index
    if is_hxl_row(records[index]) and index > 0 and filled_count(records[index - 1]) >= 2 \
            and not is_hxl_row(records[index - 1]):
        index -= 1
    below = 0
    while index + 1 + below < len(records) and below < 3 and is_hxl_row(records[index + 1 + below]):
        below += 1
    if not below:
        return guess
    return HeaderGuess(index=index, width=guess.width, reason=guess.reason, below=below)


_VARIABLE_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")


def _with_names(records: list[list[str]], guess: HeaderGuess) -> HeaderGuess:
    """A row of variable names under readable labels (`Official MFL accessible online` over
    `mfl_online`, a codebook's two header lines) is part of the header: every cell filled with a
    lowercase name, distinct, a few of them in snake_case, under labels some of which are words."""
    index = guess.index
    if guess.below or index + 2 >= len(records):
        return guess
    header, row = records[index], records[index + 1]
    names = [cell.strip() for cell in row if cell and cell.strip()]
    if len(names) < 3 or len(names) * 5 < len(header) * 4 or len(set(names)) < len(names) or \
            not all(_VARIABLE_NAME.match(name) for name in names) or sum("_" in name for name in names) * 4 < len(names) or \
            not any(" " in cell.strip() for cell in header) or records[index + 2] == row:
        return guess
    following = [cell.strip() for cell in records[index + 2] if cell and cell.strip()]
    if following and all(_VARIABLE_NAME.match(cell) for cell in following):
        return guess           # the rows below are written so too: a table of names, not a header
    return HeaderGuess(index=index, width=guess.width, reason=guess.reason, below=1, below_reason="header-names")


METADATA_ROWS = 12
# The label of a time series' period column (`Date`, `Year`, `Période`, `Mois`): the labels row.
PERIOD_LABEL = re.compile(r"(?i:dates?|years?|months?|weeks?|days?|quarters?|periods?|time|ann[ée]es?|mois|"
                          r"semaines?|jours?|trimestres?|p[ée]riodes?|jahr|datum|monat|fecha|a[ñn]o|mes|periodo|"
                          r"data|anno|jaar|maand)\Z")


def _with_metadata(records: list[list[str]], guess: HeaderGuess) -> HeaderGuess:
    """Rows that describe the columns under their labels (`Unit | 000 Hours…`, `Frequency |
    Quarter…`, `Series ID | A84426256L…`: statistics offices' time series) are part of the header:
    a run of rows each named by a short, distinct word label in the first column, above rows whose
    first column is dates or numbers throughout. Without that contrast they are rows."""
    if guess.below:
        return guess
    index, run = guess.index, 0
    if index + 1 < len(records) and numbers_a_group(records[index], records[index + 1]) is not None:
        return guess         # the header's second row (stacked.py), not a description of the columns
    while run < METADATA_ROWS and index + 1 + run < len(records):
        record = records[index + 1 + run]
        label = record[0].strip(" \xa0\t") if record else ""
        if not label or cell_kind(label) != "text" or PERIOD.match(label) or len(label.split()) > 4:
            break
        if any(TOTAL_LABEL.match(cell) for cell in record[:3] if cell):
            break    # `not specified | Total | 139952767 | …`: the table's total, not a description of its columns
        if filled_count(record) < 2:
            # `Période | |`, the periods' own label, right above the first period: the header's last row.
            following = records[index + 2 + run][0].strip() if index + 2 + run < len(records) and \
                records[index + 2 + run] else ""
            if run and PERIOD.match(following):
                run += 1
            break
        run += 1
    body = [r for r in records[index + 1 + run:index + 1 + run + 200] if filled_count(r) >= 2]
    if not run or len(body) < 5 or len(body) < 2 * run:
        return guess
    labels = {records[index + 1 + i][0].strip() for i in range(run)}
    firsts = Counter("date" if PERIOD.match(r[0].strip()) else cell_kind(r[0]) for r in body if r and r[0].strip())
    if len(labels) < run or firsts["date"] + firsts["number"] < 0.95 * len(body):
        return guess
    last = records[index + run]
    if filled_count(records[index]) * 3 <= guess.width and filled_count(last) * 5 >= guess.width * 4:
        # A sparse row over a row naming every column: titles (`Indice des prix… | | … | © OFS`,
        # the Swiss CPI's base dates), or groups (`TOTAL | CABECERA | RESTO` over the years of
        # each: stack_header decides), not labels with rows describing them.
        return HeaderGuess(index=index + run, width=guess.width, reason="after-preamble")
    if PERIOD_LABEL.match(last[0].strip()) and not PERIOD_LABEL.match(records[index][0].strip()) and \
            filled_count(last) >= 2:
        # `Date | Henry Hub Spot Price` last, over the dates: the labels, under a link and a
        # series key (`Back to Contents`, `Sourcekey | RNGWHHD`: EIA sheets) that are preamble.
        return HeaderGuess(index=index + run, width=guess.width, reason="after-preamble", preamble_above=True)
    return HeaderGuess(index=index, width=guess.width, reason=guess.reason, below=run, below_reason="header-metadata")
