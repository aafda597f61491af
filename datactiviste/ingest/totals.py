"""Totals and subtotals: rows that repeat the sum of other rows (`--keep-totals` keeps them).

A row labelled like a total (`Total`, `TOTAL GÉNÉRAL`, `Ensemble`, `Sous-total`, `Total Dakar`,
`Grand total`…) whose numbers equal, within rounding, the sum of the rows above it, of the rows
since the previous total, of the rows below it (a total written first), or of the rows of the
group it names; a last row named like any other whose every number is the sum of all the rows
above it (`Deutschland` under the Länder), and the rows after it that split it into groups; in a
small table, rows named like any other that sum the block of rows above them, and their grand
total (`France métropolitaine`, `DOM`, `France métropolitaine et DOM`). Left
in, it feeds every later SUM(), GROUP BY and bar chart with a phantom region worth the whole
country. A labelled row whose numbers do not add up is kept, and reported as a suspect total.

Totals are found after the rows are written, with SQL on the typed table: the candidates are
few, their sums are SQLite's, and the rule is the same whether one or several processes read
the file.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass

from datactiviste.ingest.convert import convert_number
from datactiviste.ingest.names import fold, quote

TOTAL_LABEL = re.compile(r"^\s*(sous[-\s]?totaux?|sous[-\s]?total|totaux|total|grand[-\s]?total|ensemble|tous|toutes|"
                         r"totaal|gesamt|insgesamt|"
                         r"sub[-\s]?totals?|totals?|overall|all\s+(regions|countries|districts))\b", re.I)
TOTAL_SUFFIX = re.compile(r"\b(total|totaux|ensemble)\)?\s*$", re.I)   # `Dakar total`, `New South Wales (Total)`
TOTAL_LABEL_WORDS = 8      # `Total des recettes de fonctionnement…`; a longer cell is a sentence ("overall objective to…")
LABEL_COLUMNS = 3          # the label of a total row sits in one of the first text columns
MAX_CANDIDATES = 200       # a table with more "total" rows is a table about totals
FULL_SCAN_ROWS = 100_000   # up to this many rows, every row is looked at (~0.2 s)
EDGE_ROWS = 2000           # beyond, the first and last rows only


@dataclass
class TotalRow:
    rowid: int
    label: str
    values: dict            # numeric column -> value on the row
    matched: list[str]      # columns whose value equals the sum of a group
    # "above", "block", "below", "named", "level", "run" (the k rows right above), "split" (parts of the total above)
    group: str | None
    labels: tuple = ()      # the row's label cells (the first text columns), for the "level" group

    @property
    def adds_up(self) -> bool:
        return self.group is not None


def _close(total: float, value: float, rows: int = 1) -> bool:
    """Equal within rounding: published totals of rounded values can be a few units off.

    A total written with decimals (2.4) of `rows` values rounded the same way (0.0 + 1.4 + 0.8 +
    0.1 = 2.3) can be off by half a unit of its last decimal per value, for the small tables
    that publish such totals (up to SMALL_GROUP rows)."""
    if math.isclose(total, value, rel_tol=0.005, abs_tol=0.5 if float(value).is_integer() else 0.011):
        return True
    if float(value).is_integer() or rows > SMALL_GROUP:
        return False
    decimals = len(repr(float(value)).split(".")[1].rstrip("0")) if "e" not in repr(float(value)) else 6
    return abs(total - value) <= 0.5 * 10 ** -decimals * (rows + 1) + 1e-9


SMALL_GROUP = 50


def _label_of(row, label_columns: list[int]) -> str | None:
    for index in label_columns:
        value = row[index]
        if isinstance(value, str) and (TOTAL_LABEL.match(value) or TOTAL_SUFFIX.search(value)) \
                and len(value.split()) <= TOTAL_LABEL_WORDS:
            return value
    return None


def find_totals(connection: sqlite3.Connection, table: str, columns: list[tuple[str, str]],
                after_rowid: int) -> list[TotalRow]:
    """Rows labelled like a total among the rows after `after_rowid`, each with what its numbers sum.

    `columns`: (name, sql type, kind) of the table's columns. The label is looked for in the
    first text columns (codes included: "Total" often stands in a code column), with LIKE prefixes.
    """
    text = [name for name, sql_type, _kind in columns if sql_type == "TEXT"][:LABEL_COLUMNS]
    numbers = [name for name, sql_type, _kind in columns if sql_type in ("INTEGER", "REAL")]
    if not text or not numbers:
        return []
    first_number = next(i for i, (_name, sql_type, _kind) in enumerate(columns) if sql_type in ("INTEGER", "REAL"))
    leading = max(1, sum(1 for name, _type, _kind in columns[:first_number] if name in text))
    prefixes = ("tot%", "sous%", "ens%", "grand%", "sub%", "overall%", "all %", "%total", "%totaux", "%ensemble", "%total)", "%ensemble)",
                "tous%", "toutes%", "gesamt%", "insgesamt%")
    condition = " OR ".join(f"{quote(name)} LIKE '{prefix}'" for name in text for prefix in prefixes)
    selected = ", ".join(quote(name) for name in text + numbers)
    quoted = quote(table)
    last = connection.execute(f"SELECT max(rowid) FROM {quoted}").fetchone()[0] or 0
    if last - after_rowid <= FULL_SCAN_ROWS:
        ranges = [(after_rowid, last)]
    else:
        # A big table: totals sit at its top or bottom (subtotals between groups are a feature of
        # small published tables); looking there keeps the cost flat whatever the size.
        ranges = [(after_rowid, after_rowid + EDGE_ROWS), (last - EDGE_ROWS, last)]
    found = []
    for low, high in ranges:
        found += connection.execute(
            f"SELECT rowid, {selected} FROM {quoted} WHERE rowid > ? AND rowid <= ? AND ({condition}) "
            f"ORDER BY rowid LIMIT ?", (low, high, MAX_CANDIDATES + 1)).fetchall()
    candidates = []
    for row in found:
        label = _label_of(row[1:1 + len(text)], range(len(text)))
        if label is not None:
            candidates.append(_candidate(row, label, text, numbers))
    if len(candidates) > MAX_CANDIDATES:
        return []
    unlabelled = _last_rows(connection, quoted, text, numbers, after_rowid, {c.rowid for c in candidates})
    if not candidates:
        return _unlabelled(connection, quoted, text, numbers, after_rowid, last, unlabelled, set(), leading)
    rowids = [c.rowid for c in candidates]
    excluded = ",".join(str(r) for r in rowids)
    sums = ", ".join(f"total({quote(name)})" for name in numbers)

    def group_sums(where: str, parameters=()) -> dict:
        row = connection.execute(
            f"SELECT count(*), {sums} FROM {quoted} WHERE rowid > ? AND rowid NOT IN ({excluded}) AND ({where})",
            (after_rowid, *parameters)).fetchone()
        return dict(zip(numbers, row[1:]), rows=row[0]) if row[0] else {}

    for position, candidate in enumerate(candidates):
        # A zero is the sum of zeros anywhere: only the other values can show a sum (a freight
        # line `TOTAL FREIGHT FOR BULGUR` whose flags are all 0 beside rows of 0 is data).
        values = {name: value for name, value in candidate.values.items() if value}
        if not values:
            continue
        previous = rowids[position - 1] if position else after_rowid
        following = rowids[position + 1] if position + 1 < len(rowids) else last + 1
        groups = [("block", f"rowid > {previous} AND rowid < {candidate.rowid}", ()),
                  ("above", f"rowid < {candidate.rowid}", ()),
                  ("below", f"rowid > {candidate.rowid} AND rowid < {following}", ())]
        # A table of two levels (`Transport et logistique` then its `dont | Logistique` rows): the
        # total sums the rows labelled at its own level, those whose other label cells are empty too.
        empty = [name for name, value in zip(text, candidate.labels) if value is None or not str(value).strip()]
        if empty and len(empty) < len(text):
            level = " AND ".join(f"coalesce({quote(name)}, '') = ''" for name in empty)
            filled = " OR ".join(f"coalesce({quote(name)}, '') != ''" for name in text if name not in empty)
            groups.append(("level", f"rowid < {candidate.rowid} AND {level} AND ({filled})", ()))
        named = _named_group(candidate.label)
        if named:
            match_any = " OR ".join(f"{quote(name)} = ? COLLATE NOCASE" for name in text)
            groups.append(("named", f"rowid < {candidate.rowid} AND ({match_any})", (named,) * len(text)))
        for group, where, parameters in groups:
            totals = group_sums(where, parameters)
            # A "total" of one row proves nothing (a supplier called TOTAL SÉNÉGAL billed once
            # is data), unless the label names that row's group: "Total Kédougou" under Kédougou.
            if not totals or (totals["rows"] < 2 and group != "named"):
                continue
            matched = [name for name, value in values.items()
                       if totals.get(name) is not None and _close(totals[name], value, totals["rows"])]
            # Some columns may be no sums (a rate, a per-capita value), but then one sum of two
            # rows is too little: 'IDA total' whose population is that of the two rows above and
            # whose GDP per head is no sum is a named aggregate of a World Bank extract.
            weak = len(matched) == 1 < len(values) and totals["rows"] < 3
            # Rates and changes beside the counts are no sums: two columns that are the sums of
            # five rows or more (the offers and their shares) are no coincidence either.
            enough = len(matched) * 2 >= len(values) or (len(matched) >= 2 and totals["rows"] >= 5)
            if matched and enough and not weak:
                candidate.matched, candidate.group = matched, group
                break
        if candidate.group is None:
            _match_rows_right_above(connection, quoted, numbers, candidate, after_rowid, excluded)
    _one_row_blocks(candidates, group_sums, rowids, after_rowid)
    labelled = _without_label_columns(candidates)
    return labelled + _unlabelled(connection, quoted, text, numbers, after_rowid, last, unlabelled,
                                  {c.rowid for c in labelled if c.adds_up}, leading)


def _unlabelled(connection, quoted: str, text: list[str], numbers: list[str], after_rowid: int, last: int,
                last_rows: list[TotalRow], totals: set[int], leading: int) -> list[TotalRow]:
    """Totals named like rows: the last rows that sum the table (and the rows that split them),
    then, in a small table, the subtotals of consecutive blocks and their grand total (`leading`:
    how many of the `text` columns stand left of the numbers, the rows' labels)."""
    found = _unlabelled_totals(connection, quoted, numbers, after_rowid, last_rows, totals)
    if last - after_rowid > SMALL_TABLE or (last - after_rowid) * len(numbers) > SMALL_TABLE_CELLS:
        return found
    return found + _block_subtotals(connection, quoted, text, numbers, after_rowid, totals | {c.rowid for c in found},
                                    leading)


PROVEN_LABEL = 2    # subtotals sharing one label that add up: the label marks subtotals


def _one_row_blocks(candidates: list[TotalRow], group_sums, rowids: list[int], after_rowid: int) -> None:
    """A subtotal over a block of one row (a section `BUS` of one line, then its `SUB-TOTAL` with
    the same numbers) is a total when its label is one that other rows of the table, two at least,
    prove a subtotal's by adding up: one row alone proves nothing, a label the table uses so does."""
    proven = Counter(c.label.strip().casefold() for c in candidates if c.adds_up)
    for position, candidate in enumerate(candidates):
        values = {name: value for name, value in candidate.values.items() if value}
        if candidate.adds_up or not values or proven[candidate.label.strip().casefold()] < PROVEN_LABEL:
            continue
        previous = rowids[position - 1] if position else after_rowid
        totals = group_sums(f"rowid > {previous} AND rowid < {candidate.rowid}")
        if totals and totals["rows"] == 1 and all(totals.get(name) is not None and _close(totals[name], value)
                                                  for name, value in values.items()):
            candidate.matched, candidate.group = list(values), "block"


UNLABELLED_ROWS = 3     # an unlabelled last row equal to the sum of at least this many rows above it
LAST_ROWS = 3           # the last rows looked at: a country's total and its regions' after it


def _last_rows(connection, quoted: str, text: list[str], numbers: list[str], after_rowid: int,
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
        label = next((str(cell).strip() for cell in labels if cell is not None and str(cell).strip()), None)
        if row[0] not in labelled and label is not None:
            found.append(_candidate(row, label, text, numbers))
    return found


def _candidate(row: tuple, label: str, text: list[str], numbers: list[str]) -> TotalRow:
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
    # Only the numbers count: a misfit kept as text ('n.d.') is no value of the column.
    aggregates = ", ".join(f"total({number}), max({number}), count(nullif({number}, 0)), min({number})" for number in (
        f"CASE WHEN typeof({quote(name)}) IN ('integer', 'real') THEN {quote(name)} END" for name in numbers))
    others = f" AND rowid NOT IN ({','.join(map(str, totals))})" if totals else ""
    row = connection.execute(f"SELECT count(*), {aggregates} FROM {quoted} WHERE rowid > ? AND rowid < ?{others}",
                             (after_rowid, candidates[0].rowid)).fetchone()
    count = row[0]
    # Per column: the ColumnStats of the rows above the candidate looked at.
    above = {name: row[1 + 4 * i:5 + 4 * i] for i, name in enumerate(numbers)}
    above = {name: [stats[0] or 0, stats[1], stats[2], stats[3]] for name, stats in above.items()}
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
            if len(after) >= 2 and all(_close(sum(c.values.get(name) or 0 for c in after), value, len(after))
                                       for name, value in values.items()):
                for part in after:
                    part.matched, part.group = list(values), "split"
                return found + after
            continue
        count += 1             # not a total: one of the rows above the next candidate
        _add_row(above, candidate.values)
    return found


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
    values or more; two sums at least. The other columns, fewer than the sums, must be rates of the
    rows: between their smallest and largest (a total's share, 61.6 % beside the states' 57.8-74 %)."""
    if rows < UNLABELLED_ROWS:
        return []
    sums = [name for name, value in values.items()
            if _close(stats[name][0], value, rows) and (stats[name][1] is None or value > stats[name][1])
            and stats[name][2] >= 2]
    rates = [name for name in values if name not in sums]
    if len(sums) < 2 or len(rates) > len(sums) or not all(
            stats[name][3] is not None and stats[name][3] <= values[name] <= stats[name][1] for name in rates):
        return []
    return sums


SMALL_TABLE = 5000  # subtotals between blocks of rows are a feature of small published tables
SMALL_TABLE_CELLS = 250_000   # numbers walked through in Python at most (~0.1 s)


def _block_subtotals(connection, quoted: str, text: list[str], numbers: list[str], after_rowid: int,
                     totals: set[int], leading: int) -> list[TotalRow]:
    """Rows named like any other that close a block: every number, two at least, is the sum of the
    rows since the previous total, three at least, and above each of them (`France métropolitaine`
    under the 96 departments, then `DOM` under the five overseas ones); a row after two such
    subtotals that is their sum is the grand total (`France métropolitaine et DOM`).

    The same evidence as a last row that sums the table, block by block: a data row whose every
    count equals the sum of the rows since the last total is no coincidence. The `totals` already
    found end a block too. One pass over the table's rows (at most SMALL_TABLE). A subtotal's labels
    (its first `leading` text cells) must be its own: when other rows carry them too and do not add
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
        label = next((str(cell).strip() for cell in labels if cell is not None and str(cell).strip()), None)
        candidate = _candidate(row, label or "", text, numbers)
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
                    _close(sub_sums[name], value, subtotals) for name, value in values.items()):
                candidate.matched, candidate.group = list(values), "above"
                found.append(candidate)
                continue
        block_rows += 1
        _add_row(block, candidate.values)
    if not found:
        return found

    def key(labels) -> tuple:
        return tuple(str(cell).strip().casefold() if cell is not None else "" for cell in labels[:leading])
    carried = Counter(key(row[1:1 + len(text)]) for row in rows)
    found_by_key = Counter(key(c.labels) for c in found)
    return [c for c in found if carried[key(c.labels)] == found_by_key[key(c.labels)]]


LABEL_REPEATS = 3   # rows sharing one total-like label, most not adding up: a value of the column


def _without_label_columns(candidates: list[TotalRow]) -> list[TotalRow]:
    """Drop the candidates whose label is a column's value rather than a row's role.

    A World Bank export names its indicator on every row (`Population, total`), a survey table
    its measure (`Total population`): the same label on several rows, most of them not adding up
    (one may, by chance), says nothing about totals. Subtotals that add up keep their label,
    however often it repeats.
    """
    by_label: dict[str, list[TotalRow]] = {}
    for candidate in candidates:
        by_label.setdefault(candidate.label.strip().casefold(), []).append(candidate)
    repeated = {label for label, rows in by_label.items()
                if len(rows) >= LABEL_REPEATS and sum(row.adds_up for row in rows) * 2 < len(rows)}
    return [c for c in candidates if c.label.strip().casefold() not in repeated]


RUN_ROWS = 200      # rows right above a total that may be what it sums


def _match_rows_right_above(connection, quoted: str, numbers: list[str], candidate: TotalRow,
                            after_rowid: int, excluded: str) -> None:
    """The total of the k rows right above it, for some k >= 2: under a subtotal that carries no
    total label (a pivot table's `January` row over `Iran`, `Pakistan`, `Other`, then `Total Result`).
    Every numeric value of the row must match at the same k, and at least two: a coincidence
    of several sums at once is not one."""
    names = [name for name in numbers if candidate.values.get(name)]     # zeros prove nothing
    if len(names) < 2:
        return
    columns = ", ".join(f"coalesce({quote(name)}, 0)" for name in names)
    rows = connection.execute(
        f"SELECT {columns} FROM {quoted} WHERE rowid > ? AND rowid < ? AND rowid NOT IN ({excluded}) "
        f"ORDER BY rowid DESC LIMIT ?", (after_rowid, candidate.rowid, RUN_ROWS)).fetchall()
    sums = [0.0] * len(names)
    for k, row in enumerate(rows, start=1):
        sums = [total + (value if isinstance(value, (int, float)) else 0) for total, value in zip(sums, row)]
        if k >= 2 and all(_close(total, candidate.values[name], k) for total, name in zip(sums, names)):
            candidate.matched, candidate.group = names, "run"
            return


def _named_group(label: str) -> str | None:
    """'Total Dakar' -> 'Dakar'; 'Sous-total région de Thiès' -> 'région de Thiès'; 'TOTAL' -> None."""
    rest = TOTAL_LABEL.sub("", label, count=1).strip(" :-–—()")
    rest = re.sub(r"^(g[ée]n[ée]ral|general|des?|du|de la|pour|for)\b\s*", "", rest, flags=re.I).strip(" :-–—()")
    if not rest or fold(rest) in ("general", "national", "pays", "country", "fcfa"):
        return None
    return rest


def totals_among_notes(connection: sqlite3.Connection, table: str, columns: list[tuple[str, str, str | None]],
                       after_rowid: int, notes: list[list[str]]) -> list[int]:
    """Which of `notes` (the cells of lines set aside under the table) are unlabelled totals: lines
    holding only numbers, each the sum of its column within rounding (`,,,,,,"15,232,841.74",,` under
    a payments report). `columns`: (name, sql type, decimal separator) of the table's columns."""
    numeric = [(i, name, decimal) for i, (name, sql_type, decimal) in enumerate(columns) if sql_type in ("INTEGER", "REAL")]
    found, sums = [], None
    for position, cells in enumerate(notes):
        filled = [i for i, cell in enumerate(cells) if cell and cell.strip()]
        values = {name: convert_number(cells[i], decimal or ".") for i, name, decimal in numeric if i in filled}
        if not values or len(values) < len(filled) or \
                not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values.values()):
            continue
        if sums is None:
            row = connection.execute(f"SELECT count(*), {', '.join(f'total({quote(n)})' for _i, n, _d in numeric)} "
                                     f"FROM {quote(table)} WHERE rowid > ?", (after_rowid,)).fetchone()
            sums = dict(zip([name for _i, name, _d in numeric], row[1:]), rows=row[0])
        if sums["rows"] >= 2 and all(_close(sums[name], value, sums["rows"]) for name, value in values.items()):
            found.append(position)
    return found
