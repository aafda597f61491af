"""Column types decided on every value, fast.

For each column the shapes of its values (shapes.py) are counted over the whole file, chunk by
chunk: one C-speed regular expression checks whether a whole chunk only holds shapes already seen
for that column, and only chunks with something new are classified value by value. The counts
decide the type and the number convention (`decide`), and for dates which part is the day, the
month or the year, on the whole column (`date_order`); convert.py then applies the decision.
Nothing is dropped: a value that does not fit stays as text and is reported as an anomaly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from datactiviste.ingest.shapes import (ALL_DATE_SHAPES, CODE_SHAPES, COMMA_CONVENTION, COMMA_DECIMAL_EVIDENCE,
                                        DATETIME_SHAPES, DECIMAL_SHAPES, DEFAULT_NULL_MARKERS, DOT_CONVENTION,
                                        DOT_DECIMAL_EVIDENCE, FLAGGED_NUMBER_SUFFIX, MARKER_PATTERN, MONTH_SHAPES,
                                        NUMBER_SHAPES, OPTIONAL_SPACE, ORDERED_SHAPES, SPACE, TWO_DIGIT_SHAPES,
                                        UNIT_FINDER, WORD_SHAPES_SET, classify, union_pattern,
                                        without_prefix_unit)


@dataclass
class ColumnProfile:
    """What the values of one column look like, counted over the whole file."""

    shapes: dict[str, int] = field(default_factory=dict)
    empty: int = 0
    markers: dict[str, int] = field(default_factory=dict)
    text: int = 0
    units: dict[str, int] = field(default_factory=dict)
    day_first_proof: int = 0     # a date whose first part is > 12
    month_first_proof: int = 0   # a date whose second part is > 12
    year_first_proof: int = 0    # a two-digit-year date whose first part can only be a year (00, 32-99)
    year_last_proof: int = 0     # a two-digit-year date whose last part can only be a year
    month_proof: int = 0         # a 2024-03 value that is not a year range like 2011-12
    whitespace_only: int = 0     # cells made of spaces only (become NULL like empty ones)
    settled_text: bool = False   # enough text seen: no need to look further
    # Set by the DATE/DATETIME converters when a value may not have converted (or a batch was not
    # checked): the anomaly scan then reads the column; left False it skips it (see _converted_date).
    dates_unproven: bool = False
    utc_converted: bool = False  # date-times written with a zone (Z, +01:00) were converted to UTC
    code_text: int = 0           # text values shaped like alphanumeric codes (2A, 2B, 97A, A12)
    flagged: int = 0             # text values that are numbers with a flag (3103(e), 418*): not held against a number type
    # Columns whose name says dates (Profiler.compact_watch): whether batches of their values were all
    # YYYYMMDD days (20140701), and whether one was not (see _check_compact).
    compact_dates: bool = False
    compact_misfit: bool = False
    _union: re.Pattern | None = None
    _strict: re.Pattern | None = None   # the same without spaces around values (None: it failed)
    _union_key: frozenset | None = None



def merge_profiles(profiles: list[ColumnProfile], others: list[ColumnProfile]) -> None:
    """Add the profiles of another part of the same file (loaded by another process) into `profiles`."""
    for profile, other in zip(profiles, others):
        for counts, more in ((profile.shapes, other.shapes), (profile.markers, other.markers),
                             (profile.units, other.units)):
            for key, count in more.items():
                counts[key] = counts.get(key, 0) + count
        profile.empty += other.empty
        profile.text += other.text
        profile.code_text += other.code_text
        profile.flagged += other.flagged
        profile.day_first_proof += other.day_first_proof
        profile.month_first_proof += other.month_first_proof
        profile.year_first_proof += other.year_first_proof
        profile.year_last_proof += other.year_last_proof
        profile.month_proof += other.month_proof
        profile.whitespace_only += other.whitespace_only
        profile.dates_unproven = profile.dates_unproven or other.dates_unproven
        profile.utc_converted = profile.utc_converted or other.utc_converted
        profile.compact_dates = profile.compact_dates or other.compact_dates
        profile.compact_misfit = profile.compact_misfit or other.compact_misfit
        profile.settled_text = (profile.settled_text or other.settled_text
                                or profile.text > MAX_TEXT_FOR_TYPED)


MAX_TEXT_FOR_TYPED = 1000  # a typed column tolerates at most this many misfits...
MISFIT_SHARE = 0.01        # ...and at most this share of its non-empty values

# Line-start patterns searched in "\n" + joined values: a leading literal "\n" lets the regex engine
# jump from line break to line break (5x faster than "^" with re.M, which tries every position).
_BLANK_LINE = re.compile("\n[ \t\xa0\u202f\u2009]+(?=\n|\\Z)")
# In the fast path every line already has a known shape, so these only need to tell the
# d/m/y forms (four- or two-digit year) apart.
_DAY_FIRST = re.compile("\n" + OPTIONAL_SPACE + r"(?:1[3-9]|2\d|3[01])[/.-]\d{1,2}[/.-]\d{2}")
_MONTH_FIRST = re.compile("\n" + OPTIONAL_SPACE + r"\d{1,2}[/.-](?:1[3-9]|2\d|3[01])[/.-]\d{2}")
_ONLY_YEAR = r"(?:00|3[2-9]|[4-9]\d)"     # two digits that cannot be a day or a month
_YEAR_FIRST = re.compile("\n" + OPTIONAL_SPACE + _ONLY_YEAR + r"[/.-]\d{1,2}[/.-]\d{2}(?!\d)")
_YEAR_LAST = re.compile("\n" + OPTIONAL_SPACE + r"\d{1,2}[/.-]\d{1,2}[/.-]" + _ONLY_YEAR + r"(?!\d)")
# 2011-12 is as likely a school or budget year as December 2011: a column is months only if
# one value is not such a range (YYYY-MM where MM is the year after YY).
_YEAR_RANGES = "|".join(f"{year:02d}[/-]{year + 1:02d}" for year in range(12))
_TRUE_MONTH = re.compile("\n" + OPTIONAL_SPACE + r"(?!\d\d(?:" + _YEAR_RANGES + ")" + OPTIONAL_SPACE + r"(?:\n|\Z))"
                         r"[12]\d{3}[/-](?:0[1-9]|1[0-2])" + OPTIONAL_SPACE + r"(?:\n|\Z)")


# One YYYYMMDD day of 1900-2099 per line, or an empty line: a whole batch checked in one C-speed match.
_COMPACT_DAY = r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_COMPACT_DAYS = re.compile(f"(?:{_COMPACT_DAY})?(?:\n(?:{_COMPACT_DAY})?)*")


class Profiler:
    """Accumulates a ColumnProfile per column from chunks of rows.

    `compact_watch`: positions of the columns whose name says dates; their batches are also
    checked for YYYYMMDD days (20140701), which decide() then reads as dates."""

    def __init__(self, width: int, null_markers=DEFAULT_NULL_MARKERS, compact_watch=(), marker_families=True):
        self.markers = frozenset(null_markers)
        # MARKER_PATTERN's marks too, unless the user listed the marks (--null)
        self.marker_families = marker_families
        self.columns = [ColumnProfile() for _ in range(width)]
        self.compact_watch = frozenset(compact_watch)

    def add_chunk(self, columns: list[tuple], joined_columns: list[str] | None = None) -> None:
        """`columns` is the chunk transposed: one tuple of strings (or None) per column;
        `joined_columns`, when the caller has them, each column's values joined by line breaks."""
        if joined_columns is None:
            joined_columns = ["\n".join(values) for values in columns]
        for position, (profile, values, joined) in enumerate(zip(self.columns, columns, joined_columns)):
            if position in self.compact_watch and not profile.compact_misfit and not profile.settled_text:
                _check_compact(profile, values, joined)
            if profile.settled_text:
                _count_blanks(profile, values, joined)
                continue
            seen = (frozenset(profile.shapes), frozenset(profile.markers), bool(profile.units))
            if profile._union_key != seen:
                # The most frequent shapes first: the regex tries alternatives in order.
                ordered = sorted(seen[0], key=lambda shape: -profile.shapes[shape])
                profile._union = union_pattern(ordered, seen[1], units=seen[2])
                profile._strict = union_pattern(ordered, seen[1], units=seen[2], spaces=False)
                profile._union_key = seen
            one_per_line = joined.count("\n") == len(values) - 1
            lines = joined + "\n"
            if one_per_line and profile._strict is not None and profile._strict.fullmatch(lines):
                blanks = values.count("")       # no value has spaces around it, no cell is only spaces
                profile.empty += blanks
            elif one_per_line and profile._union.fullmatch(lines):
                profile._strict = None          # spaces around values: not tried again until new shapes
                blanks = _count_blanks(profile, values, joined)
            else:
                self._classify_each(profile, values)
                continue
            # Fast path: only known shapes, markers and blanks. Count what the decision needs.
            marker_count = 0
            # The pattern holds only the markers seen before: without any, the chunk has none.
            for marker in seen[1].intersection(values) if seen[1] else ():
                count = values.count(marker)
                profile.markers[marker] = profile.markers.get(marker, 0) + count
                marker_count += count
            # Without a unit in the pattern, a matched value has none, unless a marker or a
            # date in words holds such letters: only then look.
            if seen[2] or seen[1] or seen[0] & WORD_SHAPES_SET:
                self._count_units(profile, joined)
            if seen[0] & ALL_DATE_SHAPES:
                _search_proofs(profile, seen[0], "\n" + joined)
            # Shape counts are only kept as "seen" flags in the fast path; credit the
            # typed values to the most frequent seen shape so totals stay right.
            typed = len(values) - blanks - marker_count
            if typed and profile.shapes:
                top = max(profile.shapes, key=profile.shapes.get)
                profile.shapes[top] += typed

    def _classify_each(self, profile: ColumnProfile, values) -> None:
        markers = self.markers
        for index, value in enumerate(values):
            if profile.settled_text:  # the column is text whatever follows: just count the blanks
                rest = values[index:]
                _count_blanks(profile, rest, "\n".join(rest))
                return
            if not value or not value.strip(SPACE):
                profile.empty += 1
                if value:
                    profile.whitespace_only += 1
                continue
            stripped = value.strip(SPACE)
            if stripped in markers or self.marker_families and MARKER_PATTERN.fullmatch(stripped):
                profile.markers[stripped] = profile.markers.get(stripped, 0) + 1
                continue
            shape = classify(value)
            if shape is None:
                profile.text += 1
                if _ALPHANUMERIC_CODE.fullmatch(stripped):
                    profile.code_text += 1
                flag = FLAGGED_NUMBER_SUFFIX.search(stripped)
                if flag and classify(stripped[:flag.start()]) in NUMBER_SHAPES:
                    profile.flagged += 1
                if profile.text > MAX_TEXT_FOR_TYPED:
                    profile.settled_text = True
                continue
            profile.shapes[shape] = profile.shapes.get(shape, 0) + 1
            if shape in CODE_SHAPES:
                profile.settled_text = True   # a code with a leading zero: the column is text, whatever follows
            if shape in NUMBER_SHAPES:
                unit = None if value[-1:].isdigit() else UNIT_FINDER.search(value)  # units end the value
                if unit:
                    profile.units[unit.group(1)] = profile.units.get(unit.group(1), 0) + 1
                elif not value[:1].isdigit():
                    prefix = without_prefix_unit(value)[1]      # or open it: £55,723.12
                    if prefix:
                        profile.units[prefix] = profile.units.get(prefix, 0) + 1
            elif shape in ORDERED_SHAPES or shape == "date_month_ym":
                _search_proofs(profile, {shape}, "\n" + stripped, every=True)

    @staticmethod
    def _count_units(profile: ColumnProfile, joined: str) -> None:
        if profile.units or any(u in joined for u in ("%", "CFA", "XOF", "XAF", "€", "EUR", "$", "USD")):
            for line in joined.split("\n"):
                unit = UNIT_FINDER.search(line)
                if unit and classify(line):
                    profile.units[unit.group(1)] = profile.units.get(unit.group(1), 0) + 1


def _search_proofs(profile: ColumnProfile, shapes, lines: str, every: bool = False) -> None:
    """Look in "\n"-prefixed lines for what decides a date column's order (one C search each).

    Proof is all the decision needs: the fast path stops looking once found (`every`: count it).
    """
    if shapes & ORDERED_SHAPES:
        if profile.day_first_proof and profile.month_first_proof and not every:
            # Both orders proven: count every value, the column goes with the large majority.
            profile.day_first_proof += len(_DAY_FIRST.findall(lines))
            profile.month_first_proof += len(_MONTH_FIRST.findall(lines))
        else:
            if (every or not profile.day_first_proof) and _DAY_FIRST.search(lines):
                profile.day_first_proof += 1
            if (every or not profile.month_first_proof) and _MONTH_FIRST.search(lines):
                profile.month_first_proof += 1
        if shapes & TWO_DIGIT_SHAPES:
            if (every or not profile.year_first_proof) and _YEAR_FIRST.search(lines):
                profile.year_first_proof += 1
            if (every or not profile.year_last_proof) and _YEAR_LAST.search(lines):
                profile.year_last_proof += 1
    if "date_month_ym" in shapes and (every or not profile.month_proof) and _TRUE_MONTH.search(lines):
        profile.month_proof += 1


def _check_compact(profile: ColumnProfile, values, joined: str) -> None:
    """Note whether a batch of a date-named column holds only YYYYMMDD days and blanks (one C match)."""
    if joined.count("\n") == len(values) - 1 and _COMPACT_DAYS.fullmatch(joined):
        profile.compact_dates = profile.compact_dates or bool(joined.strip("\n"))
    else:
        profile.compact_misfit = True


def _count_blanks(profile: ColumnProfile, values, joined: str) -> int:
    """Add empty cells to the profile and note whether space-only cells exist; returns the count.

    Space-only cells count as empty, and choose the text converter; one C-speed search per batch.
    """
    blanks = values.count("")
    lines = "\n" + joined
    if _BLANK_LINE.search(lines):
        whitespace = len(_BLANK_LINE.findall(lines)) if joined.count("\n") == len(values) - 1 else sum(
            1 for v in values if v and not v.strip(SPACE))
        profile.whitespace_only += whitespace
        blanks += whitespace
    profile.empty += blanks
    return blanks


@dataclass
class ColumnType:
    """The decision for one column, with what the report needs to explain it."""

    sql_type: str                 # INTEGER, REAL, TEXT, DATE, DATETIME
    kind: str = "text"            # text, integer, real, date, datetime, code, empty
    decimal: str | None = None    # "," or "." for numbers
    date_order: str | None = None  # "dmy", "mdy", "ymd", "yyyymmdd" (20140701) or a --date-format
    unit: str | None = None
    reason: str = ""              # an English tag explained by the report
    overridden: bool = False
    order_from: str | None = None  # the column whose dates proved this one's order (decisions.py)
    # True when the profile proved every value has a shape written in this column's convention:
    # SQL can then convert by removing separators, with no value-by-value check.
    uniform: bool = False


_ALPHANUMERIC_CODE = re.compile(r"(?=.*\d)\d{0,3}[A-Z]{1,2}\d{0,4}")   # 2A, 2B, 2A004 (Corsican communes), 97A, A12


# Marks that only ever stand for a missing number: a float's NaN, a spreadsheet's errors.
MISSING_NUMBER_MARKS = frozenset({"NaN", "nan", "NAN", "#N/A", "#N/D", "#DIV/0!", "#VALUE!", "#VALEUR!", "#NOMBRE!",
                                  "#NUM!", "#REF!", "#NAME?", "#NOM?", "#NULL!"})

# Marks that only ever say "no value", whatever the column: not `x`, `-` or `*` (a tick, a
# nothing, a call), nor `NC` (North Carolina).
MISSING_WORDS = MISSING_NUMBER_MARKS | {"NA", "N/A", "n/a", "na", "N.A.", "nd", "ND", "n.d.", "N.D.", "NR", "nr", "N.R.",
                                        "n.r.", "null", "NULL", "None", "\\N", "..", "...", "…", "///",
                                        "[c]", "[x]", "[z]", "[low]", "[w]", "[d]", "[u]"}


def decide(profile: ColumnProfile, file_decimal: str | None, code_name: bool = False,
           code_list: bool = False, decimal_given: bool = False) -> ColumnType:
    """Choose the column type from its profile (see the module docstring).

    `code_name`: the column's name says it holds codes (département, code_*, id): then numbers
    beside codes with letters (Corsica's 2A and 2B among the 01-95 of French départements) are
    codes too, and the column is text; elsewhere a few such values are misfits of a number column.
    `code_list`: the name says codes in words: numbers beside `24,27` are codes, some listed.
    A column whose name says dates (Profiler.compact_watch) and whose every value is a YYYYMMDD
    day is a DATE column (`date_order` "yyyymmdd"): FEC accounting exports, INSEE's deaths files."""
    if code_name and profile.code_text:
        return ColumnType("TEXT", kind="code", reason="alphanumeric-codes")
    if code_list and profile.shapes.get("int") and set(profile.shapes) & {"dec_comma", "comma3"}:
        # `84` beside `24,27` under `Code Officiel Région`: lists of codes, never decimals of a code.
        return ColumnType("TEXT", kind="code", reason="code-lists")
    typed = sum(profile.shapes.values())
    non_empty = typed + profile.text
    if non_empty == 0:
        if profile.markers and set(profile.markers) <= MISSING_NUMBER_MARKS:
            # Only a number's own missing marks (`NaN` written by pandas, Excel's `#N/A`): a column
            # of numbers with none known, as its neighbours' NaN are (empty, reported).
            return ColumnType("REAL", kind="real", reason="only-missing-numbers")
        if profile.markers and all(mark in MISSING_WORDS or MARKER_PATTERN.fullmatch(mark) for mark in profile.markers):
            # Marks that can only say "no value" (`NA` all down an R export's column, `NULL` in a
            # dump): an empty column, the marks reported. Nothing else in it is touched.
            return ColumnType("TEXT", reason="only-missing-marks")
        # Marks that may mean something (`x` ticked in a work plan's months): kept as written.
        return ColumnType("TEXT", reason="only-markers") if profile.markers else \
            ColumnType("TEXT", kind="empty", reason="empty")
    allowed = min(MAX_TEXT_FOR_TYPED, int(non_empty * MISFIT_SHARE))
    shapes = set(profile.shapes)
    if "zero_code" in shapes:
        return ColumnType("TEXT", kind="code", reason="leading-zeros")
    if "long_int" in shapes:
        return ColumnType("TEXT", kind="code", reason="long-numbers")
    numbers = sum(n for s, n in profile.shapes.items() if s in NUMBER_SHAPES)
    dates = sum(n for s, n in profile.shapes.items() if s in ALL_DATE_SHAPES)
    if "date_month_ym" in shapes and not profile.month_proof:
        dates -= profile.shapes["date_month_ym"]   # 2010-11, 2011-12: year ranges, not months
    if profile.compact_dates and not profile.compact_misfit and shapes == {"int"} and not profile.text:
        return ColumnType("DATE", kind="date", date_order="yyyymmdd", reason="compact-dates")
    flagged = min(profile.flagged, numbers)   # numbers with flags count as numbers while they are fewer
    if numbers and numbers >= non_empty - allowed - flagged:
        decimal = number_convention(shapes, file_decimal)
        decimal_shapes = DECIMAL_SHAPES | ({"comma3"} if decimal == "," else {"dot3"})
        is_real = bool(shapes & decimal_shapes)
        # The column's unit is the one most of its numbers carry; a few others are misfits (one
        # `12000000%` among amounts makes no column of percentages).
        top = max(profile.units, key=profile.units.get) if profile.units else None
        unit = top if top is not None and profile.units[top] * 2 >= numbers else None
        uniform = not profile.text and shapes <= (COMMA_CONVENTION if decimal == "," else DOT_CONVENTION) \
            and set(profile.units) <= ({"%"} if unit == "%" else set())
        if {"comma3", "dot3"} <= shapes and not shapes & (COMMA_DECIMAL_EVIDENCE | DOT_DECIMAL_EVIDENCE) \
                and not decimal_given:
            # `3,000` beside `3.000` and nothing else to tell the decimal separator: read one way,
            # one of them is a thousand times off. Kept as written (SQLite would turn a "3.000"
            # misfit of a REAL column into 3.0 all the same).
            return ColumnType("TEXT", kind="text", reason="ambiguous-separators")
        return ColumnType("REAL" if is_real else "INTEGER", kind="real" if is_real else "integer",
                          decimal=decimal, unit=unit, uniform=uniform,
                          reason="numbers" if not profile.text else "numbers-with-misfits")
    if dates and dates >= non_empty - allowed:
        date_shapes = shapes & ALL_DATE_SHAPES
        if date_shapes & set(DATETIME_SHAPES):
            kind = "datetime"
        else:
            kind = "month" if date_shapes <= MONTH_SHAPES else "date"
        reason = "dates-two-digit-years" if date_shapes & TWO_DIGIT_SHAPES else ("months" if kind == "month" else "dates")
        return ColumnType("DATETIME" if kind == "datetime" else "DATE", kind=kind,
                          date_order=date_order(profile, date_shapes), reason=reason)
    return ColumnType("TEXT", kind="text", reason="text")


ORDER_MAJORITY = 4


def date_order(profile: ColumnProfile, shapes: set[str]) -> str:
    """Which part is the day, the month and the year, decided on the whole column.

    d/m/y is the French default; m/d/y when a second part is over 12 and no first part is, or
    when such dates outnumber those whose first part is over 12 by ORDER_MAJORITY to one.
    With two-digit years (02.03.20) a first part that can only be a year (00, 32-99) and no last
    part that can only be one means yy.mm.dd ("ymd"). Columns without such forms are read
    in the order they are written (ISO year first, 12 janv. 2024 day first, Jan 12, 2024 month first).
    """
    if shapes & TWO_DIGIT_SHAPES and profile.year_first_proof and not profile.year_last_proof:
        return "ymd"
    if shapes & ORDERED_SHAPES:
        # (both orders proven: the month first when its values outnumber the others ORDER_MAJORITY
        # to one, a few mistyped days among US dates; else the French default)
        return "mdy" if profile.month_first_proof > ORDER_MAJORITY * profile.day_first_proof else "dmy"
    if shapes & {"date_ymd", "datetime_ymd", "datetime_compact", "date_month_ym"}:
        return "ymd"
    if "date_text_mdy" in shapes and not shapes & {"date_text", "datetime_text"}:
        return "mdy"
    return "dmy"


def number_convention(shapes: set[str], file_decimal: str | None) -> str:
    """Which character is the decimal separator for this column: ',' or '.'."""
    comma = bool(shapes & COMMA_DECIMAL_EVIDENCE)
    dot = bool(shapes & DOT_DECIMAL_EVIDENCE)
    if comma and not dot:
        return ","
    if dot and not comma:
        return "."
    return file_decimal or ","


def file_convention(profiles: list[ColumnProfile], delimiter: str | None) -> str | None:
    """The decimal separator the file shows elsewhere, else what its delimiter suggests."""
    comma = sum(1 for p in profiles if set(p.shapes) & COMMA_DECIMAL_EVIDENCE)
    dot = sum(1 for p in profiles if set(p.shapes) & DOT_DECIMAL_EVIDENCE)
    if comma > dot:
        return ","
    if dot > comma:
        return "."
    if delimiter == ",":
        return "."   # a comma-separated file rarely writes decimals with commas
    if delimiter is None:
        return "."   # workbooks and JSON store numbers, not text
    return ","       # ; tab | : the French convention
