"""Rows that are the sums of other rows: what a total candidate is (TotalRow, `close` within
rounding), and the totals that carry no total word, named like any other row: a last row whose
every number is the sum of all the rows above it (`Deutschland` under the Länder) and the rows
after it that split it into groups; in a small table, rows that sum the block of rows above them,
and their grand total (`France métropolitaine`, `DOM`, `France métropolitaine et DOM`). The
labelled totals and the search as a whole are totals.py's.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from datactiviste.ingest.names import quote

FULL_SCAN_ROWS = 100_000   # up to this many rows, every row is looked at (~0.2 s)
UNLABELLED_ROWS = 3     # an unlabelled last row equal to the sum of at least this many rows above it
UNLABELLED_SMALLEST = 10   # ...and its sums this large at least: 2 | 3 over 1 | 1 and 1 | 2 is a coincidence
LAST_ROWS = 3           # the last rows looked at: a country's total and its regions' after it
SMALL_TABLE = 5000  # subtotals between blocks of rows are a feature of small published tables
SMALL_TABLE_CELLS = 250_000   # numbers walked through in Python at most (~0.1 s)
TELLING_SUMS = 5           # different sums that prove a total beside more columns of rates
EXACT_SUMS = 3             # ...and beside as many columns of values that are no rates of the rows
SMALL_GROUP = 50           # up to this many rows, a total of rounded decimals may be off by half a unit each


@dataclass
class TotalRow:
    rowid: int
    label: str
    values: dict            # numeric column -> value on the row
    matched: list[str]      # columns whose value equals the sum of a group
    # "above", "block", "below", "named", "level", "kind" (the rows of one value of a column of levels),
    # "levels-below", "levels-above" (the rows at the top level, the parts of subtotals written first left out),
    # "run" (the k rows right above), "split" (parts of the total above)
    group: str | None
    labels: tuple = ()      # the row's label cells (the first text columns), for the "level" group

    @property
    def adds_up(self) -> bool:
        return self.group is not None


def close(total: float, value: float, rows: int = 1, labelled: bool = True) -> bool:
    """Equal within rounding: published totals of rounded values can be a few units off.

    A total written with decimals (2.4) of `rows` values rounded the same way (0.0 + 1.4 + 0.8 +
    0.1 = 2.3) can be off by half a unit of its last decimal per value, for the small tables
    that publish such totals (up to SMALL_GROUP rows). A row labelled like a total may also be
    off by 0.5 % (a total of values rounded to thousands); a row named like the others
    (`labelled` False) must add up to that rounding alone: 1 518 beside 21 + 1 500 is a row.
    A sum over empty cells (SQL's NULL) adds up to nothing."""
    if total is None or value is None:
        return False
    if math.isclose(total, value, rel_tol=0.005 if labelled else 0.0,
                    abs_tol=0.5 if float(value).is_integer() else 0.011):
        return True
    if float(value).is_integer() or rows > SMALL_GROUP:
        return False
    decimals = len(repr(float(value)).split(".")[1].rstrip("0")) if "e" not in repr(float(value)) else 6
    return abs(total - value) <= 0.5 * 10 ** -decimals * (rows + 1) + 1e-9


def named_totals(connection, quoted: str, text: list[str], numbers: list[str], after_rowid: int, last: int,
                last_candidates: list[TotalRow], totals: set[int]) -> list[TotalRow]:
    """Totals named like rows: the last rows that sum the table (and the rows that split them),
    then, in a small table, the subtotals of consecutive blocks and their grand total."""
    found = _unlabelled_totals(connection, quoted, numbers, after_rowid, last_candidates, totals)
    if last - after_rowid <= FULL_SCAN_ROWS:    # a published table that opens on its total is small
        found += _leading_totals(connection, quoted, text, numbers, after_rowid, totals | {c.rowid for c in found})
    if last - after_rowid > SMALL_TABLE or (last - after_rowid) * len(numbers) > SMALL_TABLE_CELLS:
        return found
    return found + _block_subtotals(connection, quoted, text, numbers, after_rowid, totals | {c.rowid for c in found})


def last_rows(connection, quoted: str, text: list[str], numbers: list[str], after_rowid: int,
               labelled: set[int]) -> list[TotalRow]:
    """The last rows of the table that no label marks as totals: candidates for a total named like
    a row (`Deutschland` under the 16 Länder, `France métropolitaine`, `Australia` under its states),
    set aside only if every number of the row is the sum of the rows above it."""
    selected = ", ".join(quote(name) for name in text + numbers)
    rows = connection.execute(f"SELECT rowid, {selected} FROM {quoted} WHERE rowid > ? ORDER BY rowid DESC LIMIT ?",
                              (after_rowid, LAST_ROWS)).fetchall()
    found = []
    for row in rows:
        labels = row[1:1 + len(text)]
        label = _first_label(labels)
        if row[0] not in labelled and label is not None:
            found.append(total_candidate(row, label, text, numbers))
    return found


def _first_label(labels) -> str | None:
    """The first filled label cell of a row, stripped: what names a total named like a row."""
    return next((str(cell).strip() for cell in labels if cell is not None and str(cell).strip()), None)


def total_candidate(row: tuple, label: str, text: list[str], numbers: list[str]) -> TotalRow:
    """A total candidate from a `SELECT rowid, <text columns>, <number columns>` row: its numbers
    (a misfit kept as text is none)."""
    values = {name: value for name, value in zip(numbers, row[1 + len(text):])
              if isinstance(value, (int, float)) and not isinstance(value, bool)}
    return TotalRow(rowid=row[0], label=label, values=values, matched=[], group=None,
                    labels=tuple(row[1:1 + len(text)]))


def _unlabelled_totals(connection, quoted: str, numbers: list[str], after_rowid: int, candidates: list[TotalRow],
                       totals: set[int]) -> list[TotalRow]:
    """The `candidates` (last rows, no total label) whose every number, two at least, is the sum of
    all the rows above them, three at least, but the totals already found (`totals`' rowids).

    One scan of the rows above the first candidate (none past FULL_SCAN_ROWS rows: a published table
    that ends on its total is small); the candidates above another are added to its sums in Python."""
    candidates = sorted(candidates, key=lambda c: c.rowid)
    if not any(len([v for v in c.values.values() if v]) >= 2 for c in candidates) or \
            candidates[0].rowid - after_rowid > FULL_SCAN_ROWS:
        return []
    count, above = _column_stats(connection, quoted, numbers, "rowid > ? AND rowid < ?",
                                 (after_rowid, candidates[0].rowid), totals)
    found = []
    for position, candidate in enumerate(candidates):
        values = {name: value for name, value in candidate.values.items() if value}
        matched = _sums_of(values, above, count)
        if matched:
            candidate.matched, candidate.group = matched, "above"
            found.append(candidate)
            # The rows after it, two or more, may split it into groups (`Früheres Bundesgebiet`,
            # `Neue Länder` under `Deutschland`): then their numbers add up to it, column by column.
            after = candidates[position + 1:]
            if len(after) >= 2 and all(close(sum(c.values.get(name) or 0 for c in after), value, len(after), False)
                                       for name, value in values.items()):
                for part in after:
                    part.matched, part.group = list(values), "split"
                return found + after
            continue
        count += 1             # not a total: one of the rows above the next candidate
        _add_row(above, candidate.values)
    return found


SUBTOTAL_CHANCE_ROWS = 500   # past this many rows, two subtotals found may be chance
PART_RUN = 1000   # the parts of a subtotal written first: at most this many rows right under it (Oaxaca: 570)


def top_level_rows(connection, quoted: str, numbers: list[str], where: str, parameters: tuple = ()) -> list[int] | None:
    """The rowids among those `where` says that are at the top level of a hierarchy: the rows that
    are the parts of a row right above them (a subtotal written first: `Buenos Aires` over
    `24 Partidos` and `Resto`, a sector over its branches) left out, nested levels too. None when
    no row has such parts, or the rows are not a small table (the walk is in Python)."""
    rows = _numbers_of(connection, quoted, numbers, where, parameters)
    found = _subtotals_over_parts(rows) if rows else None
    if not found:
        return None
    parts = {index for run in found.values() for index in run}
    return [row[0] for index, row in enumerate(rows) if index not in parts]


def subtotals_over_parts(connection, quoted: str, numbers: list[str], after_rowid: int) -> list[int]:
    """The rowids of the rows that are the sums of the rows right under them (subtotals written
    over their parts), two at least (one may be chance): kept as rows, the report says so, since
    a SUM() over their column counts their parts twice."""
    rows = _numbers_of(connection, quoted, numbers, "rowid > ?", (after_rowid,)) if numbers else None
    if rows:
        rows = _without_rates(rows)
    found = _subtotals_over_parts(rows) if rows else None
    # As for a last row that sums the table: two different sums of UNLABELLED_SMALLEST or more on
    # the row (2 over 1 and 1 in one column is chance in a table of small counts or codes).
    telling = [index for index in sorted(found or ())
               if len({value for value in rows[index][1:] if value and abs(value) >= UNLABELLED_SMALLEST}) >= 2]
    # Two in a long dataset may be chance (29 | 149 beside 21 | 109 and 8 | 40 among 2 500 sites'
    # counts): there, three at least; a published table of levels has them all along.
    enough = 2 if rows and len(rows) <= SUBTOTAL_CHANCE_ROWS else 3
    if len(telling) < enough and found:
        # One count per row (households beside their shares): many exact sums of large counts that
        # are no round amounts (5 000 000 + 10 000 000 over 15 000 000 is chance among funding
        # rounds), their parts most of the table (a table of levels has them all along), are no
        # chance either: Kenya's 47 counties over their sub-counties.
        single = [index for index in sorted(found) if any(value and abs(value) >= ONE_SUM_SMALLEST and value % 100
                                                          for value in rows[index][1:])]
        parts = sum(len(found[index]) + 1 for index in single)
        telling = single if len(single) >= MANY_SUBTOTALS and 2 * parts >= len(rows) else []
    return [rows[index][0] for index in telling] if len(telling) >= enough else []


MANY_SUBTOTALS = 5      # subtotals of one count each, at least, to prove a table of levels


def _without_rates(rows: list[tuple]) -> list[tuple]:
    """The rows without their columns of shares (decimals between 0 and 100 only, beside a column
    of counts): a share is no sum of its parts' shares, and would hide the subtotals the counts prove."""
    width = len(rows[0])
    rates = set()
    for column in range(1, width):
        values = [row[column] for row in rows if row[column] is not None]
        if values and all(0 <= value <= 100 for value in values) and any(not float(v).is_integer() for v in values):
            rates.add(column)
    if not rates or len(rates) == width - 1:
        return rows
    keep = [0] + [column for column in range(1, width) if column not in rates]
    return [tuple(row[column] for column in keep) for row in rows]


def _typed(name: str) -> str:
    """The column's value when it is a number: a misfit kept as text ('n.d.') is no value of it."""
    return f"CASE WHEN typeof({quote(name)}) IN ('integer', 'real') THEN {quote(name)} END"


def _numbers_of(connection, quoted: str, numbers: list[str], where: str, parameters: tuple) -> list[tuple] | None:
    values = ", ".join(_typed(name) for name in numbers)
    rows = connection.execute(f"SELECT rowid, {values} FROM {quoted} WHERE {where} ORDER BY rowid LIMIT ?",
                              (*parameters, SMALL_TABLE + 1)).fetchall()
    return rows if 3 <= len(rows) <= SMALL_TABLE else None


def _subtotals_over_parts(rows: list[tuple]) -> dict[int, range] | None:
    """{index of a subtotal: indexes of its parts}: a part is one of two rows or more right under a
    row whose every number other than 0 is their exact sum (nested levels: the parts' own parts are
    parts). With a total that sums the rows left, two such equalities: no coincidence. None past
    the walk's budget."""
    found: dict[int, range] = {}
    inside = -1                        # the last index of the parts found so far
    budget = 4 * SMALL_TABLE_CELLS     # additions at most (~0.3 s); most rows stop after a few
    for i, row in enumerate(rows):
        filled = [k for k in range(1, len(row)) if row[k]]
        if i <= inside or not filled:
            continue
        sums = dict.fromkeys(filled, 0.0)
        for j in range(i + 1, min(len(rows), i + 1 + PART_RUN)):
            budget -= len(filled)
            if budget < 0:
                return None
            if not any(rows[j][k] for k in filled):
                break          # a row with nothing where the row has its numbers is no part of it
            for k in filled:
                sums[k] += rows[j][k] or 0
            if j - i >= 2 and all(close(sums[k], row[k], j - i, labelled=False) for k in filled):
                found[i], inside = range(i + 1, j + 1), j
                break
            if all(row[k] > 0 and sums[k] > row[k] * 1.01 for k in filled):
                break          # past the row's value in every column: no run from here sums it
    return found


FIRST_ROWS = 2    # the first rows looked at for a total written first (`Tunisia` over its governorates)


def _leading_totals(connection, quoted: str, text: list[str], numbers: list[str], after_rowid: int,
                    totals: set[int]) -> list[TotalRow]:
    """A first row named like any other whose every number, two at least, is the sum of all the
    rows under it, three at least (`Tunisia` over its 24 governorates, `Suisse` over its 2 172
    communes: the total written first), or whose one count is exactly the sum of many
    (_one_exact_sum). The same evidence as a last row that sums the table;
    the second row is looked at too (a first row of the header read as data may sit above it)."""
    selected = ", ".join(quote(name) for name in text + numbers)
    first = connection.execute(f"SELECT rowid, {selected} FROM {quoted} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                               (after_rowid, FIRST_ROWS)).fetchall()
    for row in first:
        label = _first_label(row[1:1 + len(text)])
        if row[0] in totals or label is None:
            continue
        candidate = total_candidate(row, label, text, numbers)
        values = {name: value for name, value in candidate.values.items() if value}
        if not values:
            continue
        count, stats = _column_stats(connection, quoted, numbers, "rowid > ?", (row[0],), totals)
        matched = _sums_of(values, stats, count) if len(values) >= 2 else []
        if not matched:
            matched = _one_exact_sum(connection, quoted, values, stats, count, f"rowid > {int(row[0])}")
        if not matched:
            # Subtotals under it written over their parts (a sector over its branches): the
            # total is the sum of the rows at the top level.
            others = f" AND rowid NOT IN ({','.join(map(str, totals))})" if totals else ""
            top = top_level_rows(connection, quoted, numbers, f"rowid > {int(row[0])}{others}")
            if top:
                count, stats = _column_stats(connection, quoted, numbers, f"rowid IN ({','.join(map(str, top))})", (), totals)
                matched = _sums_of(values, stats, count)
        if matched:
            candidate.matched, candidate.group = matched, "below"
            return [candidate]
    return []


ONE_SUM_ROWS = 20        # a first row's one count equal to the sum of this many rows under it, at least
ONE_SUM_SMALLEST = 1000  # ...and this large: `Wallonie | 257514` over its 262 communes


def _one_exact_sum(connection, quoted: str, values: dict, stats: dict, rows: int, where: str) -> list[str]:
    """The one column where a first row's whole number is exactly the sum of the rows under it,
    many and large (ONE_SUM_ROWS, ONE_SUM_SMALLEST: no coincidence), when its other numbers are
    codes (each row's its own: `3000` beside the communes' `25005`…); else []."""
    if rows < ONE_SUM_ROWS:
        return []
    sums = [name for name, value in values.items() if float(value).is_integer() and value >= ONE_SUM_SMALLEST
            and stats[name][0] == value and stats[name][1] is not None and value > stats[name][1]]
    if len(sums) != 1:
        return []
    for name in values:
        if name not in sums:
            column = _typed(name)
            distinct, filled = connection.execute(f"SELECT count(DISTINCT {column}), count({column}) FROM {quoted} "
                                                  f"WHERE {where}").fetchone()
            if distinct < filled or not float(values[name]).is_integer():
                return []
    return sums


def _column_stats(connection, quoted: str, numbers: list[str], where: str, parameters: tuple,
                  totals: set[int]) -> tuple[int, dict]:
    """(rows, per column [sum, largest, values other than 0, smallest]) of the rows `where` says,
    but the totals already found: what _sums_of compares a row with. Only the numbers count: a
    misfit kept as text ('n.d.') is no value of the column."""
    aggregates = ", ".join(f"total({number}), max({number}), count(nullif({number}, 0)), min({number})"
                           for number in map(_typed, numbers))
    others = f" AND rowid NOT IN ({','.join(map(str, totals))})" if totals else ""
    row = connection.execute(f"SELECT count(*), {aggregates} FROM {quoted} WHERE {where}{others}", parameters).fetchone()
    stats = {name: row[1 + 4 * i:5 + 4 * i] for i, name in enumerate(numbers)}
    return row[0], {name: [column[0] or 0, column[1], column[2], column[3]] for name, column in stats.items()}


def _add_row(stats: dict, values: dict) -> None:
    """Add a row's numbers to per-column [sum, largest, values other than 0, smallest]."""
    for name, value in values.items():
        column = stats[name]
        column[0] += value
        column[1] = value if column[1] is None else max(column[1], value)
        column[2] += bool(value)
        column[3] = value if column[3] is None else min(column[3], value)


def _sums_of(values: dict, stats: dict, rows: int) -> list[str]:
    """The columns where `values` (a row's numbers other than 0) are the sums of `rows` rows whose
    per-column [sum, largest, values other than 0, smallest] are `stats`, when the row is their total;
    else []. Each sum above the largest of the rows (a sum of counts, not `0, 1, 2` over `3`), of two
    values or more; two sums at least, of which two different values of UNLABELLED_SMALLEST or more.
    The other columns, fewer than the sums, must be rates of the rows: between their smallest and
    largest (a total's share, 61.6 % beside the states' 57.8-74 %)."""
    if rows < UNLABELLED_ROWS:
        return []
    sums = [name for name, value in values.items()
            if close(stats[name][0], value, rows, False) and (stats[name][1] is None or value > stats[name][1])
            and stats[name][2] >= 2]
    rates = [name for name in values if name not in sums]
    # Two sums that are one number (a column and its copy: 2 and 2 over 1 + 1) are one coincidence,
    # and so are sums of a few small counts (2 | 3 over 1 | 1 and 1 | 2).
    telling = {values[name] for name in sums if abs(values[name]) >= UNLABELLED_SMALLEST}
    # (A rate of a column some rows leave empty, a party standing in a few constituencies only, may
    # be below its smallest: the total's share counts the rows without it as none.)
    # Rates may outnumber the sums (each count beside its share, `CDU_Erststimmen_rel`) when five
    # different sums at least say the row is the total: that many is no coincidence.
    if len(telling) < 2 or (len(rates) > len(sums) and len(telling) < TELLING_SUMS):
        return []
    # Three different exact sums are no coincidence whatever the other columns hold: a total's
    # confidence intervals are narrower than any of its parts' (BFS: Switzerland over its districts).
    if len(telling) < EXACT_SUMS and not all(
            stats[name][3] is not None and (stats[name][3] if stats[name][2] >= rows else 0) <= values[name] <= stats[name][1]
            for name in rates):
        return []
    return sums


def _block_subtotals(connection, quoted: str, text: list[str], numbers: list[str], after_rowid: int,
                     totals: set[int]) -> list[TotalRow]:
    """Rows named like any other that close blocks, two blocks at least (one block that its next row
    happens to sum is chance as often as a subtotal): every number, two at least, is the sum of the
    rows since the previous total, three at least, and above each of them (`France métropolitaine`
    under the 96 departments, then `DOM` under the five overseas ones); a row after two such
    subtotals that is their sum is the grand total (`France métropolitaine et DOM`).

    The same evidence as a last row that sums the table, block by block: a data row whose every
    count equals the sum of the rows since the last total is no coincidence. The `totals` already
    found end a block too. One pass over the table's rows (at most SMALL_TABLE). A subtotal's labels
    (all its label cells: the county alone, not the precincts' county and name) must be its own: when other rows carry them too and do not add
    up (a dataset's `Permanent | Permanent` aggregate rows, some missing a suppressed count), the
    label names a kind of row, and the rows stay, all of them."""
    selected = ", ".join(quote(name) for name in text + numbers)
    rows = connection.execute(f"SELECT rowid, {selected} FROM {quoted} WHERE rowid > ? ORDER BY rowid",
                              (after_rowid,)).fetchall()
    found: list[TotalRow] = []
    subtotals, sub_sums = 0, dict.fromkeys(numbers, 0.0)

    def new_block():
        return 0, {name: [0.0, None, 0, None] for name in numbers}   # rows, ColumnStats as in _sums_of

    block_rows, block = new_block()
    for row in rows:
        if row[0] in totals:
            block_rows, block = new_block()
            continue
        labels = row[1:1 + len(text)]
        label = _first_label(labels)
        candidate = total_candidate(row, label or "", text, numbers)
        values = {name: value for name, value in candidate.values.items() if value}
        if label is not None and len(values) >= 2:
            matched = _sums_of(values, block, block_rows)
            if matched:
                candidate.matched, candidate.group = matched, "block"
                found.append(candidate)
                subtotals += 1
                for name, value in values.items():
                    sub_sums[name] += value
                block_rows, block = new_block()
                continue
            if block_rows == 0 and subtotals >= 2 and all(
                    close(sub_sums[name], value, subtotals, False) for name, value in values.items()):
                candidate.matched, candidate.group = list(values), "above"
                found.append(candidate)
                continue
        block_rows += 1
        _add_row(block, candidate.values)
    if subtotals < 2:
        return []         # one block closed by its sum is a coincidence as likely as a subtotal: the pattern recurs

    def key(labels) -> tuple:
        return tuple(str(cell).strip().casefold() if cell is not None else "" for cell in labels)
    carried = Counter(key(row[1:1 + len(text)]) for row in rows)
    found_by_key = Counter(key(c.labels) for c in found)
    return [c for c in found if carried[key(c.labels)] == found_by_key[key(c.labels)]]
