"""Column types decided on every value, fast, and the converters that apply them.

Each value belongs to a *shape* (integer, French decimal `12,5`, space-grouped `1 234 567`,
day-first date...). For each column we count shapes over the whole file, chunk by chunk:
one C-speed regular expression checks whether a whole chunk only holds shapes already seen
for that column, and only chunks with something new are classified value by value. The shapes
decide the type and the number convention; `column_converter` then converts a batch column at a
time. Nothing is dropped: a value that does not fit stays as text and is reported as an anomaly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

SPACE = " \t\xa0\u202f\u2009"
_SP = "[ \t\xa0\u202f\u2009]*"
_SIGN = r"(?:[+-] ?)?"
_GROUP_SPACE = "[ \xa0\u202f\u2009]"
# A unit written after the number: percent or a currency (FCFA, F CFA, XOF, €, $...).
UNITS = ("%", "FCFA", "F CFA", "CFA", "XOF", "XAF", "€", "EUR", "$", "USD")
_UNIT = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"

# Shapes. Order matters only for the per-value classifier (first match wins).
SHAPES: dict[str, str] = {
    "int": _SIGN + r"(?:0|[1-9]\d*)",
    "zero_code": r"0\d+",                                    # 01001: a code, must stay text
    "dot3": _SIGN + r"[1-9]\d{0,2}\.\d{3}",                  # 1.234  thousands or decimal?
    "comma3": _SIGN + r"[1-9]\d{0,2},\d{3}",                 # 1,234  thousands or decimal?
    "dec_dot": _SIGN + r"\d*\.\d+",                          # 12.5 .5
    "dec_comma": _SIGN + r"\d*,\d+",                         # 12,5
    "grp_space_int": _SIGN + r"\d{1,3}(?:" + _GROUP_SPACE + r"\d{3})+",
    "grp_space_comma": _SIGN + r"\d{1,3}(?:" + _GROUP_SPACE + r"\d{3})+,\d+",
    "grp_space_dot": _SIGN + r"\d{1,3}(?:" + _GROUP_SPACE + r"\d{3})+\.\d+",
    "grp_dot_int": _SIGN + r"\d{1,3}(?:\.\d{3}){2,}",        # 200.000.000
    "grp_dot_comma": _SIGN + r"\d{1,3}(?:\.\d{3})+,\d+",     # 1.234,56
    "grp_comma_int": _SIGN + r"\d{1,3}(?:,\d{3}){2,}",       # 1,234,567
    "grp_comma_dot": _SIGN + r"\d{1,3}(?:,\d{3})+\.\d+",     # 1,234.56
    "date_dmy": r"\d{1,2}([/.-])\d{1,2}\1\d{4}",
    "date_ymd": r"\d{4}([/.-])\d{1,2}\2\d{1,2}",
    "datetime_dmy": r"\d{1,2}([/.-])\d{1,2}\3\d{4}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?",
    "datetime_ymd": r"\d{4}([/.-])\d{1,2}\4\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
}
NUMBER_SHAPES = [s for s in SHAPES if not s.startswith(("date", "datetime")) and s != "zero_code"]
DATE_SHAPES = ["date_dmy", "date_ymd"]
DATETIME_SHAPES = ["datetime_dmy", "datetime_ymd"]
DECIMAL_SHAPES = {"dec_dot", "dec_comma", "grp_space_comma", "grp_space_dot", "grp_dot_comma", "grp_comma_dot"}
# Shapes whose separators mean the same thing under one convention (used for uniform columns).
COMMA_CONVENTION = {"int", "grp_space_int", "grp_space_comma", "dec_comma", "comma3", "dot3",
                    "grp_dot_int", "grp_dot_comma"}
DOT_CONVENTION = {"int", "grp_space_int", "grp_space_dot", "dec_dot", "dot3", "comma3",
                  "grp_comma_int", "grp_comma_dot"}
COMMA_DECIMAL_EVIDENCE = {"dec_comma", "grp_space_comma", "grp_dot_comma", "grp_dot_int"}
DOT_DECIMAL_EVIDENCE = {"dec_dot", "grp_space_dot", "grp_comma_dot", "grp_comma_int"}

# Markers that mean "no value" in numeric and date columns (text columns keep them: "NA" is
# also Namibia). Empty and blank cells are NULL everywhere.
DEFAULT_NULL_MARKERS = ("NA", "N/A", "n/a", "na", "N.A.", "nd", "ND", "n.d.", "N.D.", "NC", "nc",
                        "-", "--", "—", "–", ".", "..", "...", "…", "*", "**", "***", "****", "*****",
                        "x", "X", "s", "#N/A", "#VALUE!", "#DIV/0!", "NaN", "nan", "null", "NULL",
                        "None", "?")

# Named groups make a per-value classifier: the first non-empty group names the shape.
_UNIT_SUFFIX = "(?:" + _SP + _UNIT + ")?"


def _build_classifier() -> re.Pattern:
    parts = []
    for name, pattern in SHAPES.items():
        # Backreferences \1..\4 refer to groups inside each shape; make them named per shape.
        local = pattern
        for number in range(4, 0, -1):
            local = local.replace(f"\\{number}", f"(?P={name}_sep)")
        local = re.sub(r"\(\[/\.-\]\)", f"(?P<{name}_sep>[/.-])", local, count=1)
        suffix = _UNIT_SUFFIX if name in NUMBER_SHAPES else ""
        parts.append(f"(?P<{name}>{local}{suffix})")
    return re.compile(_SP + "(?:" + "|".join(parts) + ")" + _SP + r"\Z")


_CLASSIFIER = _build_classifier()
_UNIT_FINDER = re.compile(_SP + "(" + _UNIT + ")" + _SP + r"\Z")


def classify(value: str) -> str | None:
    """The shape of one value, or None for text."""
    match = _CLASSIFIER.match(value)
    if not match:
        return None
    return match.lastgroup  # the shape's group closes after its inner separator group


def _union_pattern(shapes: list[str], markers, units: bool = True) -> re.Pattern:
    """A multi-line pattern matching a '\\n'-joined chunk made only of these shapes/markers.

    Only what the column has shown so far goes in (markers seen, units if any were seen): the
    smaller the pattern, the faster; anything new fails the match and is classified one by one.
    """
    alternatives = []
    for name in shapes:
        pattern = SHAPES[name]
        # Inside one alternation the group numbers shift: rewrite backreferences by name.
        for number in range(4, 0, -1):
            pattern = pattern.replace(f"\\{number}", f"(?P={name}_s)")
        pattern = re.sub(r"\(\[/\.-\]\)", f"(?P<{name}_s>[/.-])", pattern, count=1)
        suffix = _UNIT_SUFFIX if name in NUMBER_SHAPES and units else ""
        alternatives.append(pattern + suffix)
    alternatives += [re.escape(m) for m in sorted(markers, key=len, reverse=True)]
    alternatives.append(_SP)  # empty or blank, tried last
    one = _SP + "(?:" + "|".join(f"(?:{a})" for a in alternatives) + ")" + _SP
    # One copy of the line pattern (group names must be unique), each line ending in \n or at the end.
    return re.compile(f"(?:{one}(?:\n|\\Z))+")


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
    whitespace_only: int = 0     # cells made of spaces only (become NULL like empty ones)
    settled_text: bool = False   # enough text seen: no need to look further
    _union: re.Pattern | None = None
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
        profile.day_first_proof += other.day_first_proof
        profile.month_first_proof += other.month_first_proof
        profile.whitespace_only += other.whitespace_only
        profile.settled_text = (profile.settled_text or other.settled_text
                                or profile.text > MAX_TEXT_FOR_TYPED)


MAX_TEXT_FOR_TYPED = 1000  # a typed column tolerates at most this many misfits...
MISFIT_SHARE = 0.01        # ...and at most this share of its non-empty values

# Line-start patterns searched in "\n" + joined values: a leading literal "\n" lets the regex engine
# jump from line break to line break (5x faster than "^" with re.M, which tries every position).
_BLANK_LINE = re.compile("\n[ \t\xa0\u202f\u2009]+(?=\n|\\Z)")
_DAY_FIRST = re.compile("\n" + _SP + r"(?:1[3-9]|2\d|3[01])[/.-]\d{1,2}[/.-]\d{4}")
_MONTH_FIRST = re.compile("\n" + _SP + r"\d{1,2}[/.-](?:1[3-9]|2\d|3[01])[/.-]\d{4}")


class Profiler:
    """Accumulates a ColumnProfile per column from chunks of rows."""

    def __init__(self, width: int, null_markers=DEFAULT_NULL_MARKERS):
        self.markers = frozenset(null_markers)
        self.columns = [ColumnProfile() for _ in range(width)]

    def add_chunk(self, columns: list[tuple]) -> None:
        """`columns` is the chunk transposed: one tuple of strings (or None) per column."""
        markers = self.markers
        for profile, values in zip(self.columns, columns):
            joined = "\n".join(values)
            if profile.settled_text:
                _count_blanks(profile, values, joined)
                continue
            seen = (frozenset(profile.shapes), frozenset(profile.markers), bool(profile.units))
            if profile._union_key != seen:
                # The most frequent shapes first: the regex tries alternatives in order.
                ordered = sorted(seen[0], key=lambda shape: -profile.shapes[shape])
                profile._union = _union_pattern(ordered, seen[1], units=seen[2])
                profile._union_key = seen
            if joined.count("\n") == len(values) - 1 and profile._union.fullmatch(joined):
                # Fast path: only known shapes, markers and blanks. Count what the decision needs.
                blanks = _count_blanks(profile, values, joined)
                marker_count = 0
                for marker in markers.intersection(values):
                    count = values.count(marker)
                    profile.markers[marker] = profile.markers.get(marker, 0) + count
                    marker_count += count
                self._count_units(profile, joined)
                if seen[0] & {"date_dmy", "datetime_dmy"}:
                    # Proof is all the decision needs: stop looking once found.
                    if not profile.day_first_proof and _DAY_FIRST.search("\n" + joined):
                        profile.day_first_proof += 1
                    if not profile.month_first_proof and _MONTH_FIRST.search("\n" + joined):
                        profile.month_first_proof += 1
                # Shape counts are only kept as "seen" flags in the fast path; credit the
                # typed values to the most frequent seen shape so totals stay right.
                typed = len(values) - blanks - marker_count
                if typed and profile.shapes:
                    top = max(profile.shapes, key=profile.shapes.get)
                    profile.shapes[top] += typed
                continue
            self._classify_each(profile, values)

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
            if stripped in markers:
                profile.markers[stripped] = profile.markers.get(stripped, 0) + 1
                continue
            shape = classify(value)
            if shape is None:
                profile.text += 1
                if profile.text > MAX_TEXT_FOR_TYPED:
                    profile.settled_text = True
                continue
            profile.shapes[shape] = profile.shapes.get(shape, 0) + 1
            if shape == "zero_code":
                profile.settled_text = True   # a code with a leading zero: the column is text, whatever follows
            if shape in NUMBER_SHAPES:
                unit = None if value[-1:].isdigit() else _UNIT_FINDER.search(value)  # units end the value
                if unit:
                    profile.units[unit.group(1)] = profile.units.get(unit.group(1), 0) + 1
            elif shape in ("date_dmy", "datetime_dmy"):
                first, second = re.split(r"[/.-]", stripped, maxsplit=2)[:2]
                if int(first) > 12:
                    profile.day_first_proof += 1
                if int(second) > 12:
                    profile.month_first_proof += 1

    @staticmethod
    def _count_units(profile: ColumnProfile, joined: str) -> None:
        if profile.units or any(u in joined for u in ("%", "CFA", "XOF", "XAF", "€", "EUR", "$", "USD")):
            for line in joined.split("\n"):
                unit = _UNIT_FINDER.search(line)
                if unit and classify(line):
                    profile.units[unit.group(1)] = profile.units.get(unit.group(1), 0) + 1


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
    date_order: str | None = None  # "dmy", "mdy" or "ymd"
    unit: str | None = None
    reason: str = ""              # an English tag explained by the report
    overridden: bool = False
    # True when the profile proved every value has a shape written in this column's convention:
    # SQL can then convert by removing separators, with no value-by-value check.
    uniform: bool = False


def decide(profile: ColumnProfile, file_decimal: str | None) -> ColumnType:
    """Choose the column type from its profile (see the module docstring)."""
    typed = sum(profile.shapes.values())
    non_empty = typed + profile.text
    if non_empty == 0:
        return ColumnType("TEXT", kind="empty", reason="empty")
    allowed = min(MAX_TEXT_FOR_TYPED, int(non_empty * MISFIT_SHARE))
    shapes = set(profile.shapes)
    if "zero_code" in shapes:
        return ColumnType("TEXT", kind="code", reason="leading-zeros")
    numbers = sum(n for s, n in profile.shapes.items() if s in NUMBER_SHAPES)
    dates = sum(n for s, n in profile.shapes.items() if s in DATE_SHAPES + DATETIME_SHAPES)
    if numbers and numbers >= non_empty - allowed:
        decimal = number_convention(shapes, file_decimal)
        decimal_shapes = DECIMAL_SHAPES | ({"comma3"} if decimal == "," else {"dot3"})
        is_real = bool(shapes & decimal_shapes)
        unit = max(profile.units, key=profile.units.get) if profile.units else None
        uniform = not profile.text and shapes <= (COMMA_CONVENTION if decimal == "," else DOT_CONVENTION) \
            and set(profile.units) <= {"%"}
        return ColumnType("REAL" if is_real else "INTEGER", kind="real" if is_real else "integer",
                          decimal=decimal, unit=unit, uniform=uniform,
                          reason="numbers" if not profile.text else "numbers-with-misfits")
    if dates and dates >= non_empty - allowed:
        has_time = bool(shapes & set(DATETIME_SHAPES))
        if shapes & {"date_dmy", "datetime_dmy"}:
            if profile.month_first_proof and not profile.day_first_proof:
                order = "mdy"
            else:
                order = "dmy"
        else:
            order = "ymd"
        return ColumnType("DATETIME" if has_time else "DATE", kind="datetime" if has_time else "date",
                          date_order=order, reason="dates")
    return ColumnType("TEXT", kind="text", reason="text")


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


def convert_number(value, decimal: str):
    """Python side of the conversion for values the SQL fast path does not handle.

    Returns a float or int when the value is unambiguously a number under the column's
    convention, else the value unchanged (kept as text, reported as an anomaly).
    """
    if value is None:
        return None
    text = str(value).strip(SPACE)
    unit = _UNIT_FINDER.search(text)
    if unit:
        text = text[:unit.start()].strip(SPACE)
    shape = classify(text)
    if shape is None or shape not in NUMBER_SHAPES:
        return value
    if shape in (DOT_DECIMAL_EVIDENCE if decimal == "," else COMMA_DECIMAL_EVIDENCE):
        return value  # 41.7 in a comma-decimal column: the other convention, keep and report
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").strip(SPACE)
    for space in " \xa0\u202f\u2009":
        digits = digits.replace(space, "")
    thousands = "." if decimal == "," else ","
    digits = digits.replace(thousands, "").replace(decimal, ".")
    try:
        number = float(digits) if "." in digits else int(digits)
    except ValueError:
        return value
    return sign * number


def convert_date(value, order: str):
    """ISO text for a date or date-time under the column's order, else the value unchanged."""
    if value is None:
        return None
    text = str(value).strip(SPACE)
    shape = classify(text)
    if shape not in DATE_SHAPES + DATETIME_SHAPES:
        return value
    date_part, _, time_part = text.replace("T", " ").partition(" ")
    parts = re.split(r"[/.-]", date_part)
    if shape.endswith("ymd"):
        year, month, day = parts
    elif order == "mdy":
        month, day, year = parts
    else:
        day, month, year = parts
    try:
        import datetime

        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return value
    iso = date.isoformat()
    if time_part:
        time_bits = re.match(r"(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?(.*)$", time_part.strip())
        if not time_bits:
            return value
        hour, minute, second = int(time_bits.group(1)), int(time_bits.group(2)), int(time_bits.group(3) or 0)
        if hour > 23 or minute > 59 or second > 59:
            return value
        iso += f" {hour:02d}:{minute:02d}:{second:02d}" + (time_bits.group(4) or "") + time_bits.group(5)
    return iso


# --- conversion in Python, column by column ---------------------------------------------------
# The second pass converts a whole batch column at a time. For columns the profiler proved
# uniform, the work is a few C-speed string operations on the joined column; other columns go
# value by value through convert_number/convert_date, which keep misfits unchanged.

_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d\Z")
_FIXED_DATES = re.compile(r"(?:\d\d[/.-]\d\d[/.-]\d{4}(?:\n|\Z))+")


def _marker_pattern(markers) -> re.Pattern | None:
    if not markers:
        return None
    alternatives = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
    return re.compile("^" + _SP + "(?:" + alternatives + ")" + _SP + "$", re.M)


def column_converter(decision: ColumnType, profile: ColumnProfile, markers) -> "Callable":
    """A function turning one column of a batch (tuple of raw strings) into values to insert."""
    marker_set = frozenset(markers)
    if decision.sql_type == "TEXT":
        if profile.whitespace_only:
            return lambda values: [v if v and v.strip(SPACE) else None for v in values]
        # Empty cells become NULL; a batch without any ('' not in values, one C scan) goes as is.
        return lambda values: values if "" not in values else [v or None for v in values]
    present = _marker_pattern(set(profile.markers) & marker_set) if not decision.overridden else _marker_pattern(marker_set)

    def is_missing(value: str) -> bool:
        stripped = value.strip(SPACE)
        return not stripped or stripped in marker_set

    if decision.sql_type in ("INTEGER", "REAL") and decision.uniform and not decision.overridden:
        removals = [" ", "\xa0", "\u202f", "\u2009", "\t", "%", "." if decision.decimal == "," else ","]

        def convert_uniform(values):
            text = "\n".join(values)
            if present is not None:
                text = present.sub("", text)
            for character in removals:
                if character in text:
                    text = text.replace(character, "")
            if decision.decimal == ",":
                text = text.replace(",", ".")
            converted = text.split("\n")
            return converted if "" not in converted else [v or None for v in converted]
        return convert_uniform
    if decision.sql_type in ("INTEGER", "REAL"):
        decimal = decision.decimal or "."
        return lambda values: [None if is_missing(v) else convert_number(v, decimal) for v in values]
    order = decision.date_order or "dmy"
    if "%" in order:
        import datetime as _datetime

        has_time = any(code in order for code in ("%H", "%I", "%M", "%S"))

        def convert_format(value):
            try:
                parsed = _datetime.datetime.strptime(value.strip(SPACE), order)
            except ValueError:
                return value
            return parsed.isoformat(sep=" ") if has_time else parsed.date().isoformat()
        return lambda values: [None if is_missing(v) else convert_format(v) for v in values]
    if decision.sql_type == "DATE" and order in ("dmy", "mdy"):
        day, month = (slice(0, 2), slice(3, 5)) if order == "dmy" else (slice(3, 5), slice(0, 2))

        def convert_date_value(v):
            # dd/mm/yyyy with a day up to 28 exists in every month: slice it; the rest (1-digit
            # forms, days 29-31, misfits) goes through convert_date, which checks the calendar.
            if is_missing(v):
                return None
            if len(v) == 10 and v[2] in "/.-" and v[5] == v[2] and "01" <= v[day] <= "28" and "01" <= v[month] <= "12" \
                    and v[6:10].isdigit() and v[0:2].isdigit() and v[3:5].isdigit():
                return v[6:10] + "-" + v[month] + "-" + v[day]
            return convert_date(v, order)

        def convert_dates(values):
            joined = "\n".join(values)
            if _FIXED_DATES.fullmatch(joined):
                # The whole batch is dd/mm/yyyy (checked in C): slice, then check the rare days > 28.
                if order == "dmy":
                    converted = [v[6:10] + "-" + v[3:5] + "-" + v[:2] for v in values]
                else:
                    converted = [v[6:10] + "-" + v[:2] + "-" + v[3:5] for v in values]
                for index, value in enumerate(converted):
                    if not ("01" <= value[8:] <= "28" and "01" <= value[5:7] <= "12"):
                        converted[index] = convert_date(values[index], order)
                return converted
            return [convert_date_value(v) for v in values]
        return convert_dates

    def convert_any_date(value):
        if is_missing(value):
            return None
        if len(value) == 10 and _ISO_DATE.match(value) and value[8:] <= "28" and "01" <= value[5:7] <= "12" \
                and value[8:] != "00":
            return value
        return convert_date(value, order)
    return lambda values: [convert_any_date(v) for v in values]
