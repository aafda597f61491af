"""Which records are not data: notes under the table and rows that repeat a total.

Every non-blank record of a file becomes a table row, except what this module sets aside on
strong evidence, each one counted and named in the report (line, first characters, reason, and
the option that keeps it):

- **notes** under the table (`--keep-notes` keeps them): note-shaped records at the very end —
  one filled cell, or clearly narrower than the table — that do *not* fit the column types. A
  record whose values fit the columns is data whatever its first word ("Source d'eau;puits;31").
- **totals and subtotals** (`--keep-totals` keeps them): a row labelled like a total (`Total`,
  `TOTAL GÉNÉRAL`, `Ensemble`, `Sous-total`, `Total Dakar`, `Grand total`…) whose numbers equal,
  within rounding, the sum of the rows above it, of the rows since the previous total, of the
  rows below it (a total written first), or of the rows of the group it names. Left in, it feeds
  every later SUM(), GROUP BY and bar chart with a phantom region worth the whole country.
  A labelled row whose numbers do not add up is kept, and reported as a suspect total.

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

from datactiviste.ingest.header import _NO_VALUE, _cell_kind
from datactiviste.ingest.convert import convert_number
from datactiviste.ingest.shapes import ALL_DATE_SHAPES, NUMBER_SHAPES, classify
from datactiviste.ingest.names import fold, quote

NOTE_START = re.compile(r"^\s*(sources?|notes?|nota|nb|n\.b\.|quelle|lecture|champ|remarques?|avertissement|"
                        r"m[ée]thodologie|d[ée]finitions?|l[ée]gende|legend|data extracted|\*+|\(\d+\)|\(\*+\)|\d+\s*[.)]|[a-z]\))(\s|:|$)",
                        re.I)
TOTAL_LABEL = re.compile(r"^\s*(sous[-\s]?totaux?|sous[-\s]?total|totaux|total|grand[-\s]?total|ensemble|tous|toutes|"
                         r"totaal|gesamt|insgesamt|"
                         r"sub[-\s]?totals?|totals?|overall|all\s+(regions|countries|districts))\b", re.I)
TOTAL_SUFFIX = re.compile(r"\b(total|totaux|ensemble)\s*$", re.I)
TOTAL_LABEL_WORDS = 8      # `Total des recettes de fonctionnement…`; a longer cell is a sentence ("overall objective to…")
LABEL_COLUMNS = 3          # the label of a total row sits in one of the first text columns
MAX_CANDIDATES = 200       # a table with more "total" rows is a table about totals
FULL_SCAN_ROWS = 100_000   # up to this many rows, every row is looked at (~0.2 s)
EDGE_ROWS = 2000           # beyond, the first and last rows only


# --- notes under the table ----------------------------------------------------------------------

def _filled(cells) -> list[int]:
    return [i for i, cell in enumerate(cells) if cell and cell.strip(" \t\xa0\u202f")]


def _note_like(text: str, longest: int, wordy: bool = False) -> bool:
    """Reads as a sentence or a note rather than a value of its column (`wordy`: a column whose
    own values read so, `Japan:  Honshu:  S. Of, 2015`, where only a `Source :`-like start tells)."""
    text = text.strip()
    if NOTE_START.match(text):
        return True
    if wordy:
        return False
    words = text.split()
    # `s:` `*:` `Legend:` — a key of a legend or a label of a note: a value of a column never ends so.
    return (text.endswith((".", ":")) and len(words) >= 2) or text.endswith(":") or ": " in text or len(words) >= 6 or \
        (longest and len(text) > max(24, 2 * longest))


def value_kind(value: str) -> str | None:
    """'date', 'number' or 'text' (None: empty): header.py's coarse kind, with the dates and
    numbers the importer reads in words or other forms (`Feb-15`, `janvier 2024`, `12 %`) told
    apart from text, so that a lone `####` under a column of months reads as a note."""
    kind = _cell_kind(value)
    if kind == "text":
        shape = classify(value)
        if shape in ALL_DATE_SHAPES:
            return "date"
        if shape in NUMBER_SHAPES:
            return "number"
    return kind


def column_kinds(records, width: int) -> list[str | None]:
    """The majority kind ('date', 'number' or 'text') of each column in `records`."""
    kinds = []
    for column in range(width):
        counter = Counter(value_kind(r[column]) for r in records if column < len(r) and r[column])
        counter.pop(None, None)
        kinds.append(counter.most_common(1)[0][0] if counter else None)
    return kinds


def _fits(cells, kinds, longest, lone_columns: frozenset = frozenset(), wordy: frozenset = frozenset()) -> bool:
    """The record's filled values could be values of their columns (a data row, not a note).
    `lone_columns`: columns where the table itself has many rows of that one cell (a codebook's
    answers under each question): a lone value there is a row like them, unless it starts like a note."""
    filled = _filled(cells)
    if not filled:
        return True
    if len(filled) == 1:
        index = filled[0]
        value = cells[index]
        if index in lone_columns and not NOTE_START.match(value):
            return True
        kind = kinds[index] if index < len(kinds) else None
        if kind in ("number", "date"):
            return value_kind(value) == kind
        return not _note_like(value, longest[index] if index < len(longest) else 0, index in wordy)
    first = cells[filled[0]]
    if _note_like(first, longest[filled[0]] if filled[0] < len(longest) else 0, filled[0] in wordy) \
            and value_kind(first) == "text":
        return False
    # A missing-value mark (`-`, `..`, `n/a`) fits a column of numbers or dates: months with no data yet.
    agree = sum(1 for i in filled if i < len(kinds) and (kinds[i] is None or value_kind(cells[i]) == kinds[i]
                                                         or kinds[i] != "text" and cells[i].strip() in _NO_VALUE))
    return agree == len(filled)


def _wordy(rows: list[list[str]], column: int) -> bool:
    """A third or more of the column's values (five at least) read like notes themselves."""
    values = [r[column] for r in rows if column < len(r) and r[column] and r[column].strip()]
    return len(values) >= 5 and sum(1 for v in values if _note_like(v, 0)) * 3 >= len(values)


def _total_labelled(cells) -> bool:
    filled = _filled(cells)
    return len(filled) >= 2 and any(TOTAL_LABEL.match(cells[i]) and len(cells[i].split()) <= TOTAL_LABEL_WORDS
                                    for i in filled[:LABEL_COLUMNS])


def _note_shaped(cells, width: int) -> bool:
    """One filled cell, or clearly narrower than the table: a few cells, wherever they sit (a note
    broken over `| | at the | bottom, | |`), or in a narrow table two cells one of which is a
    sentence (`INFO | Cells in this table have been randomly adjusted…`); whether they fit the
    columns is _fits' to say."""
    filled = _filled(cells)
    if len(filled) <= 1:
        return True
    if width < 4:
        return width == 3 and len(filled) == 2 and any(len(cells[i].split()) >= 6 for i in filled)
    return filled[-1] + 1 <= max(2, width // 3) or len(filled) <= max(2, width // 3)


def _commented(cells) -> bool:
    """The record begins with `#` (a `# Source: …` line), not with a number mark such as `#1`."""
    first = next((cell.strip() for cell in cells if cell and cell.strip()), "")
    return first.startswith("#") and not first[1:2].isdigit()


# Under a header with no row, up to this many note-shaped lines are its notes (a source, a
# definition); more are the content of a sheet laid out as lines of text (a questionnaire), kept as rows.
NOTES_ALONE = 5


def footer_start(pending: list, width: int, kinds_hint: list[str | None] | None = None, rows_above: bool = True) -> int:
    """Index in `pending` [(line, cells or None for blank)] where the notes under the table begin
    (see _notes_start). `rows_above`: rows of the table come before `pending` (read earlier); without
    them, NOTES_ALONE such lines or more are the sheet's content, kept as rows."""
    start = _notes_start(pending, width, kinds_hint)
    block = _notes_table(pending, width)
    if block is not None and block < start:
        return block
    if start == 0 and not rows_above and sum(cells is not None for _line, cells in pending) >= NOTES_ALONE:
        return len(pending)
    return start


def _notes_table(pending: list, width: int) -> int | None:
    """Index in `pending` of the blank line above a narrower table of its own under the data:
    UNdata's `fnSeqID | Footnote` over the numbered footnotes of a 6-column table. Its first record
    is labels in the first columns, at most half the table's width, one of them a word where the
    rows have numbers or dates; every record under it is about as narrow (one field more: a quote
    inside a note splits it), none labelled like a total. None when there is no such block."""
    if width < 4:
        return None
    for blank in (i for i, (_line, cells) in enumerate(pending) if cells is None):
        body = [cells for _line, cells in pending[:blank] if cells is not None]
        below = [cells for _line, cells in pending[blank + 1:] if cells is not None]
        if len(body) < 3 or len(below) < 2:
            continue
        head, notes = below[0], below[1:]
        labels = _filled(head)
        if not 2 <= len(labels) <= width // 2 or labels != list(range(len(labels))):
            continue
        kinds = column_kinds(body, width)
        if not all(value_kind(head[i]) == "text" for i in labels) or \
                not any(kinds[i] in ("number", "date") for i in labels):
            continue
        if all(_filled(cells) and _filled(cells)[-1] <= len(labels) and not _total_labelled(cells) for cells in notes):
            return blank
    return None


def _notes_start(pending: list, width: int, kinds_hint: list[str | None] | None) -> int:
    """Index in `pending` [(line, cells or None for blank)] where the notes under the table begin.

    Only the trailing run of note-shaped records (and blank lines) can be notes. In it, a record
    of several values that fit the columns is data, and so is everything above it; a lone value
    that fits its column is data while it follows the rows directly, and a note once a blank line
    or a sure note separates it from them (the "Fußnoten" heading of a notes block).
    """
    # `#` lines under rows that never begin with `#` are notes, however wide (`# R. C. Reid, J. M.
    # Prausnitz, …` has as many commas as the rows).
    hashed = any(cells is not None and _commented(cells) for _line, cells in pending)
    for allow_hashed in ((True, False) if hashed else (False,)):
        shaped = len(pending)
        for index in range(len(pending) - 1, -1, -1):
            cells = pending[index][1]
            if cells is None:
                continue
            if not (_note_shaped(cells, width) or allow_hashed and _commented(cells)) or _total_labelled(cells):
                break            # a TOTAL row is for the totals rule, which checks its sums
            if width == 1 and not (NOTE_START.match(cells[0]) or allow_hashed and _commented(cells)):
                break            # in one column every record is one cell: only a `Source :`-like line is a note
            shaped = index
        body = [cells for _line, cells in pending[:shaped] if cells is not None]
        if not (allow_hashed and (not body or any(_commented(cells) for cells in body))):
            break
    if shaped == len(pending):
        return len(pending)
    kinds = column_kinds(body, width)
    if kinds_hint:
        kinds = [k if k is not None else h for k, h in zip(kinds, kinds_hint)] + kinds[len(kinds_hint):]
    longest = [max((len(r[c].strip()) for r in body if c < len(r) and r[c]), default=0) for c in range(width)]
    full_rows = len(body) >= 5 and all(len(r) >= width for r in body[-50:])
    lone = Counter(filled[0] for filled in map(_filled, body) if len(filled) == 1)
    lone_columns = frozenset(c for c, n in lone.items() if n >= 3 and n * 20 >= len(body))
    # (when the whole tail is note-shaped, a sparse table's last rows, the rows above its last five)
    alike = body if len(body) >= 5 else [cells for _line, cells in pending[:-5] if cells is not None]
    wordy = frozenset(c for c in range(width) if _wordy(alike[-50:], c))

    def fits(cells) -> bool:
        return _fits(cells, kinds, longest, lone_columns, wordy)

    start = len(pending)
    for index in range(len(pending) - 1, shaped - 1, -1):
        cells = pending[index][1]
        if cells is None:
            continue
        if fits(cells) and len(_filled(cells)) > 1 and not (allow_hashed and _commented(cells)) \
                and not (len(cells) * 2 <= width and full_rows):
            break    # (a record of a few fields under rows all written whole is a trailer: `T,Locate Reply,2093`)
        start = index
    # Lone values that fit and follow the rows directly are the last rows of the table, unless the
    # table has no row that sparse and a sure note follows them: then they begin the notes (`Some` |
    # `also like to write stuff`, right above `| | at the | bottom, |`).
    sure_note = any(cells is not None and not fits(cells) for _line, cells in pending[start:])
    sparse = width < 3 or not sure_note or len(body) < 5 or any(len(_filled(cells)) <= 1 for cells in body)
    while sparse and start < len(pending) and pending[start][1] is not None and len(_filled(pending[start][1])) <= 1 \
            and fits(pending[start][1]) and (start == 0 or pending[start - 1][1] is not None):
        start += 1
    while 0 < start < len(pending) and pending[start - 1][1] is None:
        start -= 1
    if start < len(pending) and all(cells is None for _l, cells in pending[start:]):
        return len(pending)
    return start


# --- totals ---------------------------------------------------------------------------------------

@dataclass
class TotalRow:
    rowid: int
    label: str
    values: dict            # numeric column -> value on the row
    matched: list[str]      # columns whose value equals the sum of a group
    group: str | None       # "above", "block", "below", "named", "level", "run" (the k rows right above), "split" (parts of the total above)
    labels: tuple = ()      # the row's label cells (the first text columns), for the "level" group
    labelled: bool = True   # False: one of the last rows, named like any row (`Deutschland` under the Länder)

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
    prefixes = ("tot%", "sous%", "ens%", "grand%", "sub%", "overall%", "all %", "%total", "%totaux", "%ensemble",
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
            values = {name: value for name, value in zip(numbers, row[1 + len(text):])
                      if isinstance(value, (int, float)) and not isinstance(value, bool)}
            candidates.append(TotalRow(rowid=row[0], label=label, values=values, matched=[], group=None,
                                       labels=tuple(row[1:1 + len(text)])))
    if len(candidates) > MAX_CANDIDATES:
        return []
    unlabelled = _last_rows(connection, quoted, text, numbers, after_rowid, {c.rowid for c in candidates})
    if not candidates:
        return _unlabelled_totals(connection, quoted, numbers, after_rowid, unlabelled, set())
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
    labelled = _without_label_columns(candidates)
    return labelled + _unlabelled_totals(connection, quoted, numbers, after_rowid, unlabelled,
                                         {c.rowid for c in labelled if c.adds_up})


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
        if row[0] in labelled or label is None:
            continue
        values = {name: value for name, value in zip(numbers, row[1 + len(text):])
                  if isinstance(value, (int, float)) and not isinstance(value, bool)}
        found.append(TotalRow(rowid=row[0], label=label, values=values, matched=[], group=None,
                              labels=tuple(labels), labelled=False))
    return found


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
    aggregates = ", ".join(f"total({quote(name)}), max({quote(name)}), count(nullif({quote(name)}, 0))"
                           for name in numbers)
    others = f" AND rowid NOT IN ({','.join(map(str, totals))})" if totals else ""
    row = connection.execute(f"SELECT count(*), {aggregates} FROM {quoted} WHERE rowid > ? AND rowid < ?{others}",
                             (after_rowid, candidates[0].rowid)).fetchone()
    count = row[0]
    # Per column: [sum, largest value, values other than 0] of the rows above the candidate looked at.
    above = {name: [row[1 + 3 * i] or 0, row[2 + 3 * i], row[3 + 3 * i]] for i, name in enumerate(numbers)}
    found = []
    for position, candidate in enumerate(candidates):
        values = {name: value for name, value in candidate.values.items() if value}
        # Each column's sum of several rows: above the largest of them (a sum of counts, not
        # `0, 1, 2` over `3`), from two values or more.
        if len(values) >= 2 and count >= UNLABELLED_ROWS and all(
                _close(above[name][0], value, count) and (above[name][1] is None or value > above[name][1])
                and above[name][2] >= 2 for name, value in values.items()):
            candidate.matched, candidate.group = list(values), "above"
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
        for name, value in candidate.values.items():
            column = above[name]
            column[0] += value
            column[1] = value if column[1] is None else max(column[1], value)
            column[2] += bool(value)
    return found


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
