"""Totals and subtotals: rows that repeat the sum of other rows (`--keep-totals` keeps them).

A row labelled like a total (`Total`, `TOTAL GÉNÉRAL`, `Ensemble`, `Sous-total`, `Total Dakar`,
`Grand total`…) whose numbers equal, within rounding, the sum of the rows above it, of the rows
since the previous total, of the rows below it (a total written first), or of the rows of the
group it names; and rows named like any other whose numbers are sums (`Deutschland` under the
Länder, `France métropolitaine` under the departments: sums.py). Left in, it feeds every later SUM(), GROUP BY and bar chart with a phantom region worth the whole
country. A labelled row whose numbers do not add up is kept, and reported as a suspect total.

Totals are found after the rows are written, with SQL on the typed table: the candidates are
few, their sums are SQLite's, and the rule is the same whether one or several processes read
the file.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter

from datactiviste.ingest.cells import TOTAL_LABEL
from datactiviste.ingest.convert import convert_number
from datactiviste.ingest.names import fold, names_no_quantity, quote
from datactiviste.ingest.sums import (FULL_SCAN_ROWS, SMALL_TABLE, TotalRow, close, last_rows, named_totals, top_level_rows,
                                     total_candidate)

TOTAL_SUFFIX = re.compile(r"\b(total|totaux|ensemble)\)?\s*$", re.I)   # `Dakar total`, `New South Wales (Total)`
# `All ages`, `All Traffic`, `All persons aged 15+`; a longer name starting with All is a name
# (`ALL HALLOWS PRE-SCHOOL AND DAY CARE` among a lottery's beneficiaries).
ALL_LABEL, ALL_LABEL_WORDS = re.compile(r"\s*all\s", re.I), 4
TOTAL_LABEL_WORDS = 8      # `Total des recettes de fonctionnement…`; a longer cell is a sentence ("overall objective to…")
LABEL_COLUMNS = 3          # the label of a total row sits in one of the first text columns
MAX_CANDIDATES = 200       # a table with more "total" rows is a table about totals
LEVELS = 6                 # a column of levels (Province, Health zone…) holds this many values at most
EDGE_ROWS = 2000           # beyond, the first and last rows only


# `Population, total`, `Population ages 0-14, total`: a measure's name, the way indicator lists
# (World Bank, FAO) write it; a total row is `Total`, `Total Dakar`, `Dakar total`.
MEASURE_NAME = re.compile(r"[^\W\d_][^,]*,\s*total\s*\Z", re.I)


def _label_of(row, label_columns: list[int]) -> str | None:
    for index in label_columns:
        value = row[index]
        if isinstance(value, str) and (TOTAL_LABEL.match(value) or TOTAL_SUFFIX.search(value)) \
                and len(value.split()) <= (ALL_LABEL_WORDS if ALL_LABEL.match(value) else TOTAL_LABEL_WORDS) \
                and not MEASURE_NAME.match(value.strip()):
            return value
    return None


def find_totals(connection: sqlite3.Connection, table: str, columns: list[tuple[str, str]],
                after_rowid: int) -> list[TotalRow]:
    """Rows labelled like a total among the rows after `after_rowid`, each with what its numbers sum.

    `columns`: (name, sql type, kind) of the table's columns. The label is looked for in the
    first text columns (codes included: "Total" often stands in a code column), with LIKE prefixes.
    """
    plain = [name for name, sql_type, _kind in columns if sql_type == "TEXT"][:LABEL_COLUMNS]
    numbers = [name for name, sql_type, _kind in columns if sql_type in ("INTEGER", "REAL")]
    if not numbers:
        return []
    first_number = next(i for i, (_name, sql_type, _kind) in enumerate(columns) if sql_type in ("INTEGER", "REAL"))
    # A date column naming the rows (`Report date | Cases`) holds the total's label as a misfit.
    text = plain + [name for name, sql_type, _kind in columns[:first_number] if sql_type in ("DATE", "DATETIME")]
    if not text:
        return []
    prefixes = ("tot%", "sous%", "ens%", "grand%", "sub%", "overall%", "all %", "%total", "%totaux", "%ensemble", "%total)", "%ensemble)",
                "tous%", "toutes%", "gesamt%", "insgesamt%", "合計%", "小計%", "総計%", "総数%", "計%", "合计%",
                "总计%", "小计%")
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
            candidates.append(total_candidate(row, label, text, numbers))
    if len(candidates) > MAX_CANDIDATES:
        return []
    unlabelled = last_rows(connection, quoted, plain, numbers, after_rowid, {c.rowid for c in candidates}) if plain else []
    if not candidates:
        return named_totals(connection, quoted, plain, numbers, after_rowid, last, unlabelled, set()) if plain else []
    rowids = [c.rowid for c in candidates]
    excluded = ",".join(str(r) for r in rowids)
    sums = ", ".join(f"total({quote(name)})" for name in numbers)
    counted = ", ".join(f"count({quote(name)})" for name in numbers)

    def group_sums(where: str, parameters=()) -> dict:
        row = connection.execute(
            f"SELECT count(*), {sums}, {counted} FROM {quoted} WHERE rowid > ? AND rowid NOT IN ({excluded}) AND ({where})",
            (after_rowid, *parameters)).fetchone()
        if not row[0]:
            return {}
        return dict(zip(numbers, row[1:1 + len(numbers)]), rows=row[0],
                    filled=dict(zip(numbers, row[1 + len(numbers):])))

    for position, candidate in enumerate(candidates):
        # A zero is the sum of zeros anywhere: only the other values can show a sum (a freight
        # line `TOTAL FREIGHT FOR BULGUR` whose flags are all 0 beside rows of 0 is data).
        values = _quantities(candidate)
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
        # A long table with a column of levels (`Province` rows over their `Health zone` rows) and
        # the total written `Total` in it: the total sums one level, the rows of one value there.
        for name, value in zip(text, candidate.labels):
            if isinstance(value, str) and TOTAL_LABEL.match(value) and last - after_rowid <= FULL_SCAN_ROWS:
                kinds = connection.execute(
                    f"SELECT {quote(name)}, count(*) FROM {quoted} WHERE rowid > ? AND rowid < ? AND rowid NOT IN "
                    f"({excluded}) GROUP BY {quote(name)} LIMIT ?", (after_rowid, candidate.rowid, LEVELS + 1)).fetchall()
                if 2 <= len(kinds) <= LEVELS:
                    groups += [("kind", f"rowid < {candidate.rowid} AND {quote(name)} = ?", (kind,))
                               for kind, count in kinds if kind is not None and count >= 2]
        named = _named_group(candidate.label)
        if named:
            match_any = " OR ".join(f"{quote(name)} = ? COLLATE NOCASE" for name in text)
            groups.append(("named", f"rowid < {candidate.rowid} AND ({match_any})", (named,) * len(text)))
        if last - after_rowid <= SMALL_TABLE:
            # Subtotals written over their parts (`Total` over provinces, `Buenos Aires` over its two
            # parts): the total sums the rows at the top level.
            for side, where in (("below", f"rowid > {candidate.rowid} AND rowid < {following}"),
                                ("above", f"rowid > {previous} AND rowid < {candidate.rowid}")):
                top = top_level_rows(connection, quoted, numbers, f"{where} AND rowid NOT IN ({excluded})")
                if top:
                    groups.append((f"levels-{side}", f"rowid IN ({','.join(map(str, top))})", ()))
        for group, where, parameters in groups:
            totals = group_sums(where, parameters)
            # A "total" of one row proves nothing (a supplier called TOTAL SÉNÉGAL billed once
            # is data), unless the label names that row's group: "Total Kédougou" under Kédougou.
            if not totals or (totals["rows"] < 2 and group != "named"):
                continue
            matched = [name for name, value in values.items()
                       if totals.get(name) is not None and close(totals[name], value, totals["rows"])]
            # A column some of whose rows hide their value (`nc`, `s`: statistical secrecy, empty
            # here) cannot show a sum the total holds more than: it is left out of the evidence.
            hidden = {name for name, value in values.items() if name not in matched and totals.get(name) is not None
                      and totals["filled"][name] < totals["rows"] and value > totals[name]}
            checked = {name: value for name, value in values.items() if name not in hidden}
            # Some columns may be no sums (a rate, a per-capita value), but then one sum of two
            # rows is too little: 'IDA total' whose population is that of the two rows above and
            # whose GDP per head is no sum is a named aggregate of a World Bank extract.
            weak = len(matched) == 1 < len(checked) and totals["rows"] < 3
            # Rates and changes beside the counts are no sums: two columns that are the sums of
            # five rows or more (the offers and their shares) are no coincidence either.
            # Unless the others are more than the sums (`Insgesamt` of the Länder and the federal
            # government under the Länder alone): then the row holds more than these rows, and stays.
            beyond = [name for name, value in checked.items() if name not in matched and totals.get(name) is not None
                      and totals[name] >= 0 and value > totals[name] and not close(totals[name], value, totals["rows"])]
            enough = len(matched) * 2 >= len(checked) or (len(matched) >= 2 and totals["rows"] >= 5
                                                          and len(beyond) * 2 < len(checked) - len(matched))
            if matched and enough and not weak:
                candidate.matched, candidate.group = matched, group
                break
        if candidate.group is None:
            _match_rows_right_above(connection, quoted, numbers, candidate, after_rowid, excluded)
    _one_row_blocks(candidates, group_sums, rowids, after_rowid)
    if len(candidates) >= MEASURE_LABELS and sum(c.adds_up for c in candidates) * 2 < len(candidates):
        # Many total-like labels, most adding up to nothing: they name measures (a World Bank
        # indicator list: `Population, total`, `Total reserves`, `Population ages 0-14, total`),
        # and the few that equal a sum of other measures are still measures, rows of their own.
        for candidate in candidates:
            candidate.matched, candidate.group = [], None
    candidates = _plausible_suspects(connection, quoted, numbers, candidates, rowids, after_rowid, excluded)
    labelled = _without_label_columns(candidates)
    named = named_totals(connection, quoted, plain, numbers, after_rowid, last, unlabelled,
                         {c.rowid for c in labelled if c.adds_up}) if plain else []
    # A labelled total that did not add up over the rows may close blocks each closed by a subtotal
    # named like its rows (Kansas: `Totals` under the counties, each under its precincts): found there.
    found_there = {c.rowid for c in named}
    return [c for c in labelled if c.rowid not in found_there] + named


def _quantities(candidate: TotalRow) -> dict:
    """The values of a labelled candidate that a total may sum: not its zeros (a zero is the sum of
    zeros anywhere), nor its codes and years (names_no_quantity: subcodes 1 + 2 = 3 beside a
    `Total Flows % GNI` label are a code list's, not a sum). Only for rows labelled like a total:
    under no label, an identifier that continues its sequence is what shows a row is data."""
    return {name: value for name, value in candidate.values.items() if value and not names_no_quantity(name)}


PROVEN_LABEL = 2    # subtotals sharing one label that add up: the label marks subtotals
# A cell that says nothing but "total" (`Total:`, `TOTALS`, `Total général`): over one row equal to it
# in two numbers or more, a total of that one row (a contest with one precinct), whatever else the
# table holds; `TOTAL SÉNÉGAL` billed once is a supplier.
BARE_TOTAL = re.compile(r"\s*(?:grand[-\s]?)?(?:totals?|totaux|totales?|ensemble|gesamt|insgesamt)"
                        r"(?:\s+g[ée]n[ée]ral)?\s*:?\s*\Z", re.I)


def _one_row_blocks(candidates: list[TotalRow], group_sums, rowids: list[int], after_rowid: int) -> None:
    """A subtotal over a block of one row (a section `BUS` of one line, then its `SUB-TOTAL` with
    the same numbers) is a total when its label is one that other rows of the table, two at least,
    prove a subtotal's by adding up: one row alone proves nothing, a label the table uses so does."""
    proven = Counter(c.label.strip().casefold() for c in candidates if c.adds_up)
    for position, candidate in enumerate(candidates):
        values = _quantities(candidate)
        bare = BARE_TOTAL.match(candidate.label) and len(values) >= 2
        if candidate.adds_up or not values or (proven[candidate.label.strip().casefold()] < PROVEN_LABEL and not bare):
            continue
        previous = rowids[position - 1] if position else after_rowid
        totals = group_sums(f"rowid > {previous} AND rowid < {candidate.rowid}")
        if totals and totals["rows"] == 1 and all(totals.get(name) is not None and close(totals[name], value)
                                                  for name, value in values.items()):
            candidate.matched, candidate.group = list(values), "block"


MEASURE_LABELS = 5  # total-like labels, none adding up: the labels name measures (`Population, total`)


def _plausible_suspects(connection, quoted: str, numbers: list[str], candidates: list[TotalRow],
                        rowids: list[int], after_rowid: int, excluded: str) -> list[TotalRow]:
    """The candidates, without those that do not add up and do not pose as a total either, so that
    `inspect` flags only a total that may be wrong ("looks like a total but does not add up").

    Not suspect: any of them when many labels (MEASURE_LABELS) and none adds up (a World Bank
    extract of one country names its measures `Population, total`, `Labor force, total`); a row
    smaller than some row above it in most of its numbers (no total of non-negative parts is).
    A row equal to the one row since the previous total is a subtotal of a group of one when other
    totals of the table add up (`Total group B` under its one row), else it stays suspect."""
    if len(candidates) >= MEASURE_LABELS and not any(c.adds_up for c in candidates):
        return []
    kept = []
    for position, candidate in enumerate(candidates):
        values = _quantities(candidate)
        if candidate.adds_up or not values:
            kept.append(candidate)
            continue
        previous = rowids[position - 1] if position else after_rowid
        names = [name for name in numbers if name in values]
        row = connection.execute(
            f"SELECT count(*), {', '.join(f'max({quote(name)}), min({quote(name)})' for name in names)} FROM {quoted} "
            f"WHERE rowid > ? AND rowid < ? AND rowid NOT IN ({excluded})", (previous, candidate.rowid)).fetchone()
        count, bounds = row[0], row[1:]
        if count == 1 and all(close(bounds[2 * i], values[name]) for i, name in enumerate(names)):
            if any(other.adds_up for other in candidates):
                candidate.matched, candidate.group = names, "block"   # the table's subtotals: of a group of one here
            else:
                candidate.matched = names   # equal to the one row above: said so, not "does not add up"
            kept.append(candidate)          # alone, a `TOTAL SENEGAL` supplier billed as much as the row above
            continue
        below = sum(1 for i, name in enumerate(names)
                    if bounds[2 * i + 1] is not None and bounds[2 * i + 1] >= 0 and _number(bounds[2 * i]) > values[name])
        if count and below * 2 > len(names):
            continue
        kept.append(candidate)
    return kept


def _number(value) -> float:
    return value if isinstance(value, (int, float)) else float("-inf")


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
    names = [name for name in numbers if name in _quantities(candidate)]
    if len(names) < 2:
        return
    columns = ", ".join(f"coalesce({quote(name)}, 0)" for name in names)
    rows = connection.execute(
        f"SELECT {columns} FROM {quoted} WHERE rowid > ? AND rowid < ? AND rowid NOT IN ({excluded}) "
        f"ORDER BY rowid DESC LIMIT ?", (after_rowid, candidate.rowid, RUN_ROWS)).fetchall()
    sums = [0.0] * len(names)
    for k, row in enumerate(rows, start=1):
        sums = [total + (value if isinstance(value, (int, float)) else 0) for total, value in zip(sums, row)]
        if k >= 2 and all(close(total, candidate.values[name], k) for total, name in zip(sums, names)):
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
        if sums["rows"] >= 2 and all(close(sums[name], value, sums["rows"]) for name, value in values.items()):
            found.append(position)
    return found
