"""Stacked headers: `Région` over `2019 | 2020`, a group label over the labels it groups, units or
notes under the labels, merged cells carried over their span, one label per column at the end
(`Population — 2019`). find_header (header.py) finds the header row; stack_header grows it.
"""

from __future__ import annotations

import re
from collections import Counter

from datactiviste.ingest.cells import PERIOD, YEAR, cell_kind, filled_count
from datactiviste.ingest.header import HeaderGuess
from datactiviste.ingest.numbering import numbering, numbers_a_group
from datactiviste.ingest.rows import label_sections

_UNIT_NOTE = re.compile(r"\([^()]*[^\W\d_][^()]*\)|\[[^\[\]]*[^\W\d_][^\[\]]*\]")   # (in grams), [FCFA], not (12)
# A unit written bare under a label (`£` under each year, `%`, `€ million`, `'000s`, `FCFA`), not a value:
# a currency or percent sign with its scale, a scale, or a currency code.
_UNIT_WORD = re.compile(r"(?i:[£$€¥₣](?:\s?(?:'?000s?|m|mn|bn|k|millions?|billions?|thousands?))?|'?000s?|"
                        r"millions?|billions?|thousands?|milliers?|milliards?|%|‰|per ?cent|pour ?cent|"
                        r"eur|usd|gbp|fcfa|cfa|xof|xaf|no\.|nb\.?|number|nombre|ha|km2|km²|tonnes?)\Z")

# --- stacked header rows (`Région` over `2019 | 2020`) -------------------------------------------

Merge = tuple[tuple[int, int], tuple[int, int]]   # ((first row, first column), (last row, last column)), 0-based
STACK_DEPTH = 3
SECTION_LOOK = 500      # rows under a header looked at for section titles
_KEY_AND_VALUE = re.compile(r"[^:\n]*[^\W\d_][^:\n]*:\s*\S")      # `Year of data: 2011`, not `10:30`


def stack_header(records: list[list[str]], guess: HeaderGuess, merges: list[Merge] | None = None) -> HeaderGuess:
    """The header of `guess` grown into a stacked header: sub-header rows under it (years or
    labels filling the blanks a merged group leaves, `Population` over `2019 | 2020`) and group
    rows right above it (`Région | Population | | Superficie |`) become one header whose labels
    `stacked_labels` joins. `merges` are the sheet's merged ranges (workbooks), when known."""
    if guess.below or guess.reason in ("no-header", "no-header-detected", "no-clean-header", "skip-lines"):
        return guess
    index, above = guess.index, 0
    kinds = _column_kinds(records, _body_rows(records, index, guess.width), guess.width)
    while above < STACK_DEPTH and index + 1 < len(records) and _sub_header(records, index, kinds, merges):
        index, above = index + 1, above + 1
    while not guess.preamble_above and above < STACK_DEPTH and index - above - 1 >= 0 and \
            _group_row(records, index - above - 1, index - above, merges):
        above += 1
    if above == 0:
        return guess
    return HeaderGuess(index=index, width=guess.width, reason="stacked-merged", below=guess.below, above=above)


def _body_rows(records: list[list[str]], index: int, width: int) -> list[int]:
    return [i for i in range(index + 1, min(len(records), index + 200)) if filled_count(records[i]) >= min(2, width)]


def _column_kinds(records: list[list[str]], rows: list[int], width: int) -> list[str | None]:
    """The majority kind of each column in the lower half of `rows` (the body, past any sub-header)."""
    rows = rows[len(rows) // 2:] if len(rows) > 4 else rows[1:] or rows
    kinds = []
    for column in range(width):
        counter = Counter(cell_kind(records[i][column]) for i in rows if column < len(records[i]))
        counter.pop(None, None)
        kinds.append(counter.most_common(1)[0][0] if counter else None)
    return kinds


def _merged_over(merges: list[Merge] | None, row: int, column: int) -> tuple[int, int] | None:
    """The columns a merged range covering (row, column) spans, if any."""
    for (top, left), (bottom, right) in merges or ():
        if top <= row <= bottom and left <= column <= right:
            return left, right
    return None


def _sub_header(records: list[list[str]], index: int, kinds: list[str | None], merges: list[Merge] | None) -> bool:
    """Row index+1 continues the header at `index`: it fills cells that the header leaves blank to
    the right of a label (a merged group), it leaves the body's label columns empty, and its values
    are words or years, where the body holds other numbers."""
    header, row = records[index], records[index + 1]
    filled = [c for c, cell in enumerate(row) if cell and cell.strip()]
    if filled == [0] and header and not header[0].strip() and filled_count(header) >= 2 and not row[0][:1].isspace() \
            and cell_kind(row[0]) == "text" and index + 2 < len(records) and filled_count(records[index + 2]) >= 2:
        # The row labels' name under a header that leaves their column blank (Stata's `region`
        # under `| Pas malnutri | Malnutri | Total`); an indented one is a section row, and so is
        # the first of the section titles that recur down the label column (`New South Wales Divisions`).
        return 0 not in label_sections(records[index + 1:index + 1 + SECTION_LOOK], len(header), header=header)
    if filled == [0] and _cross_tab_corner(records, index):
        return True    # OECD.Stat, Eurostat: `Time | 2008 | 2009` over `Country | |`, the row variable's name
    labels = [c for c, kind in enumerate(kinds) if kind == "text"]
    if filled and 0 not in filled and labels and not any(c < len(row) and row[c].strip() for c in labels) and \
            all(c < len(kinds) and kinds[c] == "number" and (cell_kind(row[c]) == "text" or YEAR.match(row[c].strip()))
                for c in filled):
        return True    # a dimension's value over the numbers, the row labels' columns left blank (SIDRA's
        #                `| | | | 2010` then `| | | | Total` under `Cód. | Município | … | Ano x Sexo`)
    if len(filled) < 2:
        return False
    dated = [c for c in filled if c > 0]
    if filled[0] == 0 and cell_kind(row[0]) == "text" and len(dated) >= 3 and \
            all(cell_kind(row[c]) == "date" and c < len(kinds) and kinds[c] == "number" and c < len(header)
                and header[c].strip() for c in dated) and numbering([header[c].strip() for c in dated]):
        return True    # the weeks' last days under their numbers, over counts (ONS: `Week number | 1 | 2 …`
        #                over `Week ended | 06/01/2017 | 13/01/2017 …`)
    units = [c for c in filled if c > 0]
    if filled[0] == 0 and header and not header[0].strip() and len(units) >= 2 and \
            cell_kind(row[0]) == "text" and all(_UNIT_WORD.match(row[c].strip()) for c in units):
        return True    # the row labels' name beside the units (ABS: `Age group (years) | no. | no. | %`
        #                under `| 2016 | 2017 | 2016`, the header leaving the first column blank)
    if sum(1 for c in filled if c < len(header) and header[c].strip()) * 2 >= filled_count(header) and \
            (all(_UNIT_NOTE.match(row[c].strip()) for c in filled) or _bare_units(row, filled, kinds)):
        return True    # a row of units or notes under the labels: `(in grams)`, `(km²)`, `[FCFA]`, `£`
    start = numbers_a_group(header, row)
    if start is not None and all(cell_kind(row[c]) == "text" for c in filled if c < start):
        return True    # weeks 1, 2, 3… or days 01.01., 02.01. under `Kalenderwoche`, the label
        #                columns' words continuing theirs (`Lfd.` over `Nr.`)
    under_group = [c for c in filled if c < len(header) and not header[c].strip()
                   and (_merged_over(merges, index, c) is not None if merges else
                        any(header[k].strip() for k in range(c)))]
    if not under_group:
        return False
    for column in filled:
        value = row[column].strip()
        kind = kinds[column] if column < len(kinds) else None
        label = header[column].strip() if column < len(header) else ""
        if value == label:
            continue                # a label spanning both rows, written in each
        span = _merged_over(merges, index, column) if merges else _blank_span(header, row, column)
        if kind == "text" and label and not (span and span[1] > span[0]):
            return False            # a label column of the body holds a value: a data row
            # (under a label spanning several columns, `Sense of purpose` over `Sex | Age group`,
            # merged or leaving blanks this row fills, the words are the labels of the columns it groups)
        if cell_kind(value) != "text" and not (YEAR.match(value) and kind in ("number", None)):
            return False
    return True


def _bare_units(row: list[str], filled: list[int], kinds: list[str | None]) -> bool:
    """Every filled cell is a bare unit (`£`, `%`, `€ million`) over a column of numbers, and the row leaves
    the body's text columns blank: a row of data always names its row in them."""
    return all(c < len(kinds) and kinds[c] == "number" and _UNIT_WORD.match(row[c].strip()) and
               cell_kind(row[c]) == "text" for c in filled) and \
        not any(kind == "text" and c < len(row) and row[c].strip() for c, kind in enumerate(kinds))


def _cross_tab_corner(records: list[list[str]], index: int, scan: int = 200) -> bool:
    """Row index+1 holds only the row variable's name (`Country`), under a header whose first cell names
    the column variable and whose other cells are its values, periods (`Time | 2008 | 2009 …`): the corner
    of a cross-tab as OECD.Stat and Eurostat export it. Not when another row under it fills only the first
    column over a row of values (section titles, or rows whose values are all missing: then the lone
    cell may be data too)."""
    header, row = records[index], records[index + 1]
    periods = [c for c, cell in enumerate(header) if c and cell.strip()]
    if len(periods) < 2 or cell_kind(header[0]) != "text" or PERIOD.match(header[0].strip()) or \
            not all(PERIOD.match(header[c].strip()) for c in periods):
        return False
    if row[0][:1].isspace() or cell_kind(row[0]) != "text":
        return False

    def values_row(i: int) -> bool:
        return i < len(records) and sum(1 for c in periods if c < len(records[i]) and records[i][c].strip()) * 2 \
            >= len(periods)

    if not values_row(index + 2):
        return False
    return not any(records[i][:1] and records[i][0].strip() and filled_count(records[i]) == 1 and values_row(i + 1)
                   for i in range(index + 2, min(len(records), index + 2 + scan)))


def _blank_span(header: list[str], row: list[str], column: int) -> tuple[int, int] | None:
    """Without merge information, the columns a header label spans: itself and the blanks right of
    it that the row under it fills (`Solde | ` over `En cours | En fin`). Not the first column's
    label: the row labels' name never groups columns."""
    if column == 0 or column >= len(header):
        return None
    end = column
    while end + 1 < len(header) and not header[end + 1].strip() and end + 1 < len(row) and row[end + 1].strip():
        end += 1
    return column, end


def _group_row(records: list[list[str]], row: int, header: int, merges: list[Merge] | None) -> bool:
    """Row `row`, right above the header row `header`, holds group labels over it (not a title:
    a title is one cell, in the first column or across the whole table, or a long first cell opening
    the row of groups, or a merged label cutting across the labels merged under it)."""
    upper, lower = records[row], records[header]
    filled = [c for c, cell in enumerate(upper) if cell and cell.strip()]
    if not filled or any(cell_kind(upper[c]) not in ("text", None) and not YEAR.match(upper[c].strip())
                         for c in filled):
        return False
    if upper[filled[0]].lstrip().startswith("#"):
        return False         # `# Colonnes : id, nom` over `#id,nom,valeur`: a comment line split by its commas
    if upper[filled[0]].strip().endswith(":") or all(_KEY_AND_VALUE.match(upper[c].strip()) for c in filled):
        return False         # `Data refreshed on: | … | Dec-27 2020`, `Year: 2011 | Country: Senegal`:
        #                      keys and their values (a sheet's title block), not groups
    width = len(lower)
    if numbers_a_group(upper, lower) is not None:
        return True          # `Monate` over `Januar | Februar | …`, `Kalenderwoche` over `1 | 2 | …`
    over = [c for c in filled if 0 < c < width]
    if len(over) >= 2 and all(_UNIT_WORD.match(lower[c].strip()) for c in over):
        return True          # the labels over a row of units (ABS: `0-4 | 5-9` over `S/T name | no. | no.`,
        #                      the header found on the units row that also names the first columns)
    repeated, times = Counter(lower[c].strip() for c in over).most_common(1)[0] if over else ("", 0)
    if repeated and times >= 3 and times * 3 >= 2 * len(over) and len({upper[c].strip() for c in over}) == len(over):
        return True          # distinct labels over one label repeated (UNHCR: `AUL | CAN | FIN` over `P | P | P`)
    lower_filled = [c for c, cell in enumerate(lower) if cell and cell.strip()]
    if lower_filled and len(filled) + len(lower_filled) >= 3 and all(c >= width or not lower[c].strip() for c in filled) \
            and all(c >= len(upper) or not upper[c].strip() for c in lower_filled) and min(filled) > max(lower_filled):
        return True          # one header written over two rows: the values' labels above, the row labels'
        #                      below (BFS: `| | Steuerbares Einkommen…` over `Regions-ID | Regionsname | |`)
    if len(filled) >= width > filled_count(lower):
        return True          # labels over every column above a sparser row of sub-labels (`DAC 5 | CRS |
        #                      voluntary code | DESCRIPTION` over `CODE | CODE`): one header, merged or not
    if merges:
        spans = [_merged_over(merges, row, c) for c in filled]
        grouped = [s for s in spans if s and s[1] > s[0] and not (s[0] == 0 and s[1] >= width - 1)]
        if not grouped or _crosses(grouped, merges, row, header):
            return False
        if filled == [0]:
            return False     # one label merged from the row labels' column across the first groups
            #                  (`Households by possession of ICTs 2014` over A:G of A:P): a title
    elif len(filled) < 2:
        return False
    if filled[0] == 0 and lower and lower[0].strip() and len(upper[0].split()) >= 4 and \
            len(filled) > 1 and filled[1] > 1 and all(lower[k].strip() for k in range(1, min(filled[1], width))):
        return False         # `Travel to Work Areas, Great Britain | | | | Employment - | …` over labels
        #                      from the first column: the table's title opens the row, groups beside it
    # Over a header row that names every column from the first (`Name | Profession | … `, not a
    # sub-header row `| 2019 | 2020 | km2` under the labels), each label must group columns: span
    # two or more (merged, or blanks to its right over labelled columns), or name a column the
    # header row leaves blank. A one-column label over a labelled column (`or | merging | | | |
    # cells` over `Name … Date of death`) is prose, not a group. The first column is the row labels'.
    if not lower or not lower[0].strip() or len(filled) >= min(len(lower), len(upper)):
        return True          # under it a sub-header row, or above a row as full as the header
    for position, column in enumerate(filled):
        if column == 0 or column >= width or not lower[column].strip():
            continue
        if merges:
            span = _merged_over(merges, row, column)
            if span and span[1] > span[0]:
                continue
        following = filled[position + 1] if position + 1 < len(filled) else width
        if not any(lower[k].strip() for k in range(column + 1, min(following, width))):
            return False
    return True


def _crosses(spans: list[tuple[int, int]], merges: list[Merge], row: int, header: int) -> bool:
    """A merged label of row `row` that cuts across a label merged on the header row under it (`England
    Level Data` over C:D, above `A&E attendances` over D:F): a title laid over the table, not a group
    (a group holds the whole of each label it stands over)."""
    below = [(left, right) for (top, left), (bottom, right) in merges if row < top <= header <= bottom and right > left]
    return any(left <= b_right and b_left <= right and not (left <= b_left and b_right <= right)
               for left, right in spans for b_left, b_right in below)


def stacked_labels(records: list[list[str]], guess: HeaderGuess, merges: list[Merge] | None = None) -> list[str]:
    """One label per column for a stacked header: the rows' labels from top to bottom joined with
    " — " (`Population — 2019`). A merged cell lends its label to every column it covers; without
    merge information a group label is carried to the right over blanks that have a label below
    them, up to the next label of its row or the end of the group above it."""
    top = guess.index - guess.above
    width = max(len(records[i]) for i in range(top, guess.index + 1))
    rows = [[(c or "").strip() for c in records[i]] + [""] * (width - len(records[i]))
            for i in range(top, guess.index + 1)]
    for level, row in enumerate(rows):
        if merges:
            for column in range(width):
                span = None if row[column] else _merged_over(merges, top + level, column)
                if span:
                    row[column] = _merged_value(records, merges, top + level, column)
            continue
        if level == len(rows) - 1:
            break
        source = None
        for column in range(width):
            if row[column]:
                source = column
            elif source is not None and any(r[column] for r in rows[level + 1:]) and \
                    all(rows[up][column] == rows[up][source] for up in range(level)):
                row[column] = row[source]
            else:
                source = None
    labels = []
    for column in range(width):
        parts: list[str] = []
        for row in rows:
            if row[column] and row[column] not in parts:
                parts.append(row[column])
        labels.append(" — ".join(parts))
    return labels


def _merged_value(records: list[list[str]], merges: list[Merge], row: int, column: int) -> str:
    for (top, left), (bottom, right) in merges:
        if top <= row <= bottom and left <= column <= right:
            return (records[top][left] or "").strip() if left < len(records[top]) else ""
    return ""
