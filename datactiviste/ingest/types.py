"""Column types decided on every value, fast, and the converters that apply them.

Each value belongs to a *shape* (integer, French decimal `12,5`, space-grouped `1 234 567`,
day-first date...). For each column we count shapes over the whole file, chunk by chunk:
one C-speed regular expression checks whether a whole chunk only holds shapes already seen
for that column, and only chunks with something new are classified value by value. The shapes
decide the type and the number convention; `column_converter` then converts a batch column at a
time. Nothing is dropped: a value that does not fit stays as text and is reported as an anomaly.

Dates as real files write them: dd/mm/yyyy, ISO, dd.mm.yy (two-digit years read in the
spreadsheets' window, see full_year), `20240102 00:00:00`, French and English month names
(`12 janv. 2024`, `1er mars 2024`, `lundi 12 février 2024`, `Jan 12, 2024`) and months alone
(`janvier 2024`, `févr-24`, `2024-03`, stored as the first day of the month, see convert_date).
Which part is the day, the month or the year is decided on the whole column (date_order).
DATE columns are stored YYYY-MM-DD, DATETIME columns always YYYY-MM-DD HH:MM:SS. Empty and
blank cells are NULL in every type, wherever they fall in a batch.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Callable

SPACE = " \t\xa0\u202f\u2009"
_SP = "[ \t\xa0\u202f\u2009]*"
_SIGN = r"(?:[+-] ?)?"
_GROUP_SPACE = "[ \xa0\u202f\u2009]"
# A unit written after the number: percent or a currency (FCFA, F CFA, XOF, €, $...).
UNITS = ("%", "FCFA", "F CFA", "CFA", "XOF", "XAF", "€", "EUR", "$", "USD")
_UNIT = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"

# Month names and abbreviations, French and English, as written in real files: any case, with or
# without accents and a trailing dot (janv., fevr, Fév, AOÛT, Sept.). The regex takes them all.
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("janvier", "janv", "jan", "january"),
    2: ("février", "fevrier", "févr", "fevr", "fév", "fev", "feb", "february"),
    3: ("mars", "mar", "march"),
    4: ("avril", "avr", "apr", "april"),
    5: ("mai", "may"),
    6: ("juin", "jun", "june"),
    7: ("juillet", "juil", "jul", "july"),
    8: ("août", "aout", "aoû", "aou", "aug", "august"),
    9: ("septembre", "sept", "sep", "september"),
    10: ("octobre", "oct", "october"),
    11: ("novembre", "nov", "november"),
    12: ("décembre", "decembre", "déc", "dec", "december"),
}
MONTH_NUMBER = {name: number for number, names in MONTH_NAMES.items() for name in names}
# Weekday prefixes (lundi 12 février 2024, Mon 12 Feb 2024), checked against the date.
WEEKDAY_NAMES: dict[int, tuple[str, ...]] = {
    0: ("lundi", "lun", "monday", "mon"), 1: ("mardi", "mar", "tuesday", "tues", "tue"),
    2: ("mercredi", "mer", "wednesday", "wed"), 3: ("jeudi", "jeu", "thursday", "thurs", "thu"),
    4: ("vendredi", "ven", "friday", "fri"), 5: ("samedi", "sam", "saturday", "sat"),
    6: ("dimanche", "dim", "sunday", "sun"),
}
WEEKDAY_NUMBER = {name: number for number, names in WEEKDAY_NAMES.items() for name in names}


def _words(names) -> str:
    """One case-insensitive alternation of words with shared prefixes factored out, as a trie
    (jan(?:v(?:ier)?|uary)?...): the regex engine then fails a text value at its first letters
    instead of trying fifty names one after the other."""
    tree: dict = {}
    for word in names:
        node = tree
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(character) + render(child) for character, child in sorted(node.items()) if character]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body
    return "(?i:" + render(tree) + ")"


_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
_MONTH_WORD = "(?P<month>" + _words(MONTH_NUMBER) + r")\.?"
_WEEKDAY = "(?:(?P<weekday>" + _words(WEEKDAY_NUMBER) + r")\.?,? )?"
_DAY = r"(?P<day>\d{1,2})(?i:er|re|st|nd|rd|th)?"                  # 1er, 1st, 2nd, 12
_YEAR = r"(?P<year>[12]\d{3})"
_YEAR_NUMBER = r"(?P<month>0?[1-9]|1[0-2])"

# Shapes written with named groups (day, month, year, weekday, time): the same text makes the
# shape (groups made anonymous) and the parser convert_date uses, so the two cannot disagree.
NAMED_SHAPES: dict[str, str] = {
    # 12 janv. 2024, 1er mars 2024, lundi 12 février 2024, 12-Jan-24, 12 janv. 2024 10:30
    "date_text": _WEEKDAY + _DAY + "[ /-]" + _MONTH_WORD + r"[ /-](?P<year>\d{4}|\d{2})",
    "datetime_text": _WEEKDAY + _DAY + "[ /-]" + _MONTH_WORD + r"[ /-](?P<year>\d{4}|\d{2}),? (?:(?i:à|at) )?"
                     r"(?P<time>\d{1,2}[:h]\d{2}(?::\d{2})?)",
    # January 12, 2024 / Jan. 12th 2024 (English order)
    "date_text_mdy": _WEEKDAY + _MONTH_WORD + " " + _DAY + r",? (?P<year>\d{4})",
    # Months: janvier 2024, sept. 2023, févr-24 (Excel's mmm-yy), 2024-03, 03/2024
    "date_month_text": _MONTH_WORD + r"(?:[ /-](?P<year>\d{4})|-(?P<yy>\d{2}))",
    "date_month_ym": _YEAR + "[/-]" + r"(?P<month>0[1-9]|1[0-2])",
    "date_month_my": _YEAR_NUMBER + "[/-]" + _YEAR,
    # 20240102 00:00:00 (a bare 20240102 stays a number: it may be an identifier)
    "datetime_compact": r"(?P<year>[12]\d{3})(?P<month>0[1-9]|1[0-2])(?P<day>0[1-9]|[12]\d|3[01])[ T]"
                        r"(?P<time>" + _TIME + ")",
}
_ANONYMOUS = re.compile(r"\(\?P<\w+>")

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
    # Exponent form, as statistics tools write small and big numbers (8.2979E-4, 1,5E+03, 1e-05).
    "exp_dot": _SIGN + r"\d+\.\d+[eE][+-]?\d+",
    "exp_comma": _SIGN + r"\d+,\d+[eE][+-]?\d+",
    "exp_int": _SIGN + r"\d+[eE][+-]\d+",                    # a sign after E: not a code like 12E4
    "date_dmy": r"\d{1,2}([/.-])\d{1,2}\1\d{4}",
    "date_ymd": r"\d{4}([/.-])\d{1,2}\2\d{1,2}",
    "datetime_dmy": r"\d{1,2}([/.-])\d{1,2}\3\d{4}[ T]" + _TIME,
    "datetime_ymd": r"\d{4}([/.-])\d{1,2}\4\d{1,2}[ T]" + _TIME + r"(?:Z|[+-]\d{2}:?\d{2})?",
    # Two-digit years: 02.03.20, 2/3/20, 20.03.02 (the column decides which part is the year).
    "date_dmy2": r"\d{1,2}([/.-])\d{1,2}\1\d{2}",
    "datetime_dmy2": r"\d{1,2}([/.-])\d{1,2}\1\d{2}[ T]" + _TIME,
    **{name: _ANONYMOUS.sub("(?:", pattern) for name, pattern in NAMED_SHAPES.items()},
}
NUMBER_SHAPES = [s for s in SHAPES if not s.startswith(("date", "datetime")) and s != "zero_code"]
DATETIME_SHAPES = [s for s in SHAPES if s.startswith("datetime")]
DATE_SHAPES = [s for s in SHAPES if s.startswith("date_")]
ALL_DATE_SHAPES = frozenset(DATE_SHAPES + DATETIME_SHAPES)
MONTH_SHAPES = frozenset(s for s in SHAPES if s.startswith("date_month"))
ORDERED_SHAPES = frozenset({"date_dmy", "datetime_dmy", "date_dmy2", "datetime_dmy2"})  # which part is the day?
TWO_DIGIT_SHAPES = frozenset({"date_dmy2", "datetime_dmy2"})                            # which part is the year?
DECIMAL_SHAPES = {"dec_dot", "dec_comma", "grp_space_comma", "grp_space_dot", "grp_dot_comma", "grp_comma_dot",
                  "exp_dot", "exp_comma", "exp_int"}
# Shapes whose separators mean the same thing under one convention (used for uniform columns).
COMMA_CONVENTION = {"int", "grp_space_int", "grp_space_comma", "dec_comma", "comma3", "dot3",
                    "grp_dot_int", "grp_dot_comma", "exp_comma", "exp_int"}
DOT_CONVENTION = {"int", "grp_space_int", "grp_space_dot", "dec_dot", "dot3", "comma3",
                  "grp_comma_int", "grp_comma_dot", "exp_dot", "exp_int"}
COMMA_DECIMAL_EVIDENCE = {"dec_comma", "grp_space_comma", "grp_dot_comma", "grp_dot_int", "exp_comma"}
DOT_DECIMAL_EVIDENCE = {"dec_dot", "grp_space_dot", "grp_comma_dot", "grp_comma_int", "exp_dot"}

# Markers that mean "no value" in numeric and date columns (text columns keep them: "NA" is
# also Namibia). Empty and blank cells are NULL everywhere.
DEFAULT_NULL_MARKERS = ("NA", "N/A", "n/a", "na", "N.A.", "nd", "ND", "n.d.", "N.D.", "NC", "nc",
                        "-", "--", "—", "–", ".", "..", "...", "…", "*", "**", "***", "****", "*****",
                        "x", "X", "s", "#N/A", "#VALUE!", "#DIV/0!", "NaN", "nan", "null", "NULL",
                        "None", "?")

# Named groups make a per-value classifier: the first non-empty group names the shape.
_UNIT_SUFFIX = "(?:" + _SP + _UNIT + ")?"


def _build_classifier(names) -> re.Pattern:
    parts = []
    for name in names:
        # Backreferences \1..\4 refer to groups inside each shape; make them named per shape.
        local = SHAPES[name]
        for number in range(4, 0, -1):
            local = local.replace(f"\\{number}", f"(?P={name}_sep)")
        local = re.sub(r"\(\[/\.-\]\)", f"(?P<{name}_sep>[/.-])", local, count=1)
        suffix = _UNIT_SUFFIX if name in NUMBER_SHAPES else ""
        parts.append(f"(?P<{name}>{local}{suffix})")
    return re.compile(_SP + "(?:" + "|".join(parts) + ")" + _SP + r"\Z")


# Dates with month names are tried apart, and only on values with a digit: their long lists of
# month and weekday names would otherwise make every text value four times slower to classify.
WORD_SHAPES = ("date_text", "datetime_text", "date_text_mdy", "date_month_text")
_CLASSIFIER = _build_classifier([name for name in SHAPES if name not in WORD_SHAPES])
_WORD_CLASSIFIER = _build_classifier(WORD_SHAPES)
WORD_SHAPES_SET = frozenset(WORD_SHAPES)
_DIGIT = re.compile(r"\d")
_UNIT_FINDER = re.compile(_SP + "(" + _UNIT + ")" + _SP + r"\Z")


def classify(value: str) -> str | None:
    """The shape of one value, or None for text."""
    match = _CLASSIFIER.match(value) or (_DIGIT.search(value) and _WORD_CLASSIFIER.match(value))
    if not match:
        return None
    return match.lastgroup  # the shape's group closes after its inner separator group


def _union_pattern(shapes: list[str], markers, units: bool = True, spaces: bool = True) -> re.Pattern:
    """A pattern that fullmatches a chunk's '\\n'-joined values *plus a final '\\n'* when every
    value is one of these shapes or markers, or blank.

    Only what the column has shown so far goes in (markers seen, units if any were seen): the
    smaller the pattern, the faster; anything new fails the match and is classified one by one.
    Each line is an atomic group that must reach the line break, repeated possessively: a line
    is matched in full (trying every alternative) and never revisited, so the engine keeps no
    backtracking state per line. It accepts exactly the chunks the plain form `(?:LINE(?:\\n|\\Z))+`
    accepts (a value holds no line break, so a line can end only there), 2.5-4.5x faster.
    `spaces=False`: no spaces allowed around a value (nor space-only cells), the usual case; what
    it matches, the form with spaces matches too, and it is faster and proves there are no blanks.
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
    alternatives.append("")   # empty or blank (the spaces around), tried last
    space = _SP if spaces else ""
    line = "(?>" + space + "(?:" + "|".join(f"(?:{a})" for a in alternatives) + ")" + space + "(?=\n))"
    # One copy of the line pattern (group names must be unique).
    return re.compile(f"(?:{line}\n)*+")


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
        profile.day_first_proof += other.day_first_proof
        profile.month_first_proof += other.month_first_proof
        profile.year_first_proof += other.year_first_proof
        profile.year_last_proof += other.year_last_proof
        profile.month_proof += other.month_proof
        profile.whitespace_only += other.whitespace_only
        profile.dates_unproven = profile.dates_unproven or other.dates_unproven
        profile.settled_text = (profile.settled_text or other.settled_text
                                or profile.text > MAX_TEXT_FOR_TYPED)


MAX_TEXT_FOR_TYPED = 1000  # a typed column tolerates at most this many misfits...
MISFIT_SHARE = 0.01        # ...and at most this share of its non-empty values

# Line-start patterns searched in "\n" + joined values: a leading literal "\n" lets the regex engine
# jump from line break to line break (5x faster than "^" with re.M, which tries every position).
_BLANK_LINE = re.compile("\n[ \t\xa0\u202f\u2009]+(?=\n|\\Z)")
# In the fast path every line already has a known shape, so these only need to tell the
# d/m/y forms (four- or two-digit year) apart.
_DAY_FIRST = re.compile("\n" + _SP + r"(?:1[3-9]|2\d|3[01])[/.-]\d{1,2}[/.-]\d{2}")
_MONTH_FIRST = re.compile("\n" + _SP + r"\d{1,2}[/.-](?:1[3-9]|2\d|3[01])[/.-]\d{2}")
_ONLY_YEAR = r"(?:00|3[2-9]|[4-9]\d)"     # two digits that cannot be a day or a month
_YEAR_FIRST = re.compile("\n" + _SP + _ONLY_YEAR + r"[/.-]\d{1,2}[/.-]\d{2}(?!\d)")
_YEAR_LAST = re.compile("\n" + _SP + r"\d{1,2}[/.-]\d{1,2}[/.-]" + _ONLY_YEAR + r"(?!\d)")
# 2011-12 is as likely a school or budget year as December 2011: a column is months only if
# one value is not such a range (YYYY-MM where MM is the year after YY).
_YEAR_RANGES = "|".join(f"{year:02d}[/-]{year + 1:02d}" for year in range(12))
_TRUE_MONTH = re.compile("\n" + _SP + r"(?!\d\d(?:" + _YEAR_RANGES + ")" + _SP + r"(?:\n|\Z))"
                         r"[12]\d{3}[/-](?:0[1-9]|1[0-2])" + _SP + r"(?:\n|\Z)")


class Profiler:
    """Accumulates a ColumnProfile per column from chunks of rows."""

    def __init__(self, width: int, null_markers=DEFAULT_NULL_MARKERS):
        self.markers = frozenset(null_markers)
        self.columns = [ColumnProfile() for _ in range(width)]

    def add_chunk(self, columns: list[tuple], joined_columns: list[str] | None = None) -> None:
        """`columns` is the chunk transposed: one tuple of strings (or None) per column;
        `joined_columns`, when the caller has them, each column's values joined by line breaks."""
        markers = self.markers
        if joined_columns is None:
            joined_columns = ["\n".join(values) for values in columns]
        for profile, values, joined in zip(self.columns, columns, joined_columns):
            if profile.settled_text:
                _count_blanks(profile, values, joined)
                continue
            seen = (frozenset(profile.shapes), frozenset(profile.markers), bool(profile.units))
            if profile._union_key != seen:
                # The most frequent shapes first: the regex tries alternatives in order.
                ordered = sorted(seen[0], key=lambda shape: -profile.shapes[shape])
                profile._union = _union_pattern(ordered, seen[1], units=seen[2])
                profile._strict = _union_pattern(ordered, seen[1], units=seen[2], spaces=False)
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
            for marker in markers.intersection(values) if seen[1] else ():
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
            elif shape in ORDERED_SHAPES or shape == "date_month_ym":
                _search_proofs(profile, {shape}, "\n" + stripped, every=True)

    @staticmethod
    def _count_units(profile: ColumnProfile, joined: str) -> None:
        if profile.units or any(u in joined for u in ("%", "CFA", "XOF", "XAF", "€", "EUR", "$", "USD")):
            for line in joined.split("\n"):
                unit = _UNIT_FINDER.search(line)
                if unit and classify(line):
                    profile.units[unit.group(1)] = profile.units.get(unit.group(1), 0) + 1


def _search_proofs(profile: ColumnProfile, shapes, lines: str, every: bool = False) -> None:
    """Look in "\n"-prefixed lines for what decides a date column's order (one C search each).

    Proof is all the decision needs: the fast path stops looking once found (`every`: count it).
    """
    if shapes & ORDERED_SHAPES:
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
    dates = sum(n for s, n in profile.shapes.items() if s in ALL_DATE_SHAPES)
    if "date_month_ym" in shapes and not profile.month_proof:
        dates -= profile.shapes["date_month_ym"]   # 2010-11, 2011-12: year ranges, not months
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
        date_shapes = shapes & ALL_DATE_SHAPES
        if date_shapes & set(DATETIME_SHAPES):
            kind = "datetime"
        else:
            kind = "month" if date_shapes <= MONTH_SHAPES else "date"
        reason = "dates-two-digit-years" if date_shapes & TWO_DIGIT_SHAPES else ("months" if kind == "month" else "dates")
        return ColumnType("DATETIME" if kind == "datetime" else "DATE", kind=kind,
                          date_order=date_order(profile, date_shapes), reason=reason)
    return ColumnType("TEXT", kind="text", reason="text")


def date_order(profile: ColumnProfile, shapes: set[str]) -> str:
    """Which part is the day, the month and the year, decided on the whole column.

    d/m/y is the French default; m/d/y only when a second part is over 12 and no first part is.
    With two-digit years (02.03.20) a first part that can only be a year (00, 32-99) and no last
    part that can only be one means yy.mm.dd ("ymd"). Columns without such forms are read
    in the order they are written (ISO year first, 12 janv. 2024 day first, Jan 12, 2024 month first).
    """
    if shapes & TWO_DIGIT_SHAPES and profile.year_first_proof and not profile.year_last_proof:
        return "ymd"
    if shapes & ORDERED_SHAPES:
        return "mdy" if profile.month_first_proof and not profile.day_first_proof else "dmy"
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
        number = float(digits) if "." in digits or "e" in digits or "E" in digits else int(digits)
    except ValueError:
        return value
    return sign * number


def full_year(digits: str) -> int:
    """A year as written; two digits are read the way spreadsheets read them: 00-29 are 2000-2029,
    30-99 are 1930-1999 (Excel's and LibreOffice's default window), so the import shows the year
    the user sees when opening the same file. Four digits, or --date-format, for anything else."""
    year = int(digits)
    if len(digits) > 2:
        return year
    return 2000 + year if year < 30 else 1900 + year


_PARSERS = {name: re.compile(_SP + pattern + _SP + r"\Z") for name, pattern in NAMED_SHAPES.items()}
_CLOCK = re.compile(r"(\d{1,2})[:h](\d{2})(?::(\d{2})(\.\d+)?)?(.*)\Z")


def convert_date(value, order: str, with_time: bool = False):
    """ISO text for a date or date-time under the column's order, else the value unchanged.

    Dates become YYYY-MM-DD and months (janvier 2024, 2024-03) the first day of the month,
    YYYY-MM-01: SQLite's date functions, sorting, the charts' monthly axis and comparisons with
    full dates then all work, and the report says the column holds months. `with_time` (DATETIME
    columns) always gives YYYY-MM-DD HH:MM:SS, midnight for a value without a time, so a column
    has one format; fractions of a second and a time-zone offset, when written, are kept after it.
    A weekday that does not match the date (mardi 12 février 2024) is a misfit, kept as text.
    """
    if value is None:
        return None
    text = str(value).strip(SPACE)
    shape = classify(text)
    if shape not in ALL_DATE_SHAPES:
        return value
    parser = _PARSERS.get(shape)
    if parser:
        parts = parser.match(text).groupdict()
        month = parts["month"]
        month = month if month.isdigit() else MONTH_NUMBER.get(month.lower())
        year, day = parts.get("year") or parts.get("yy"), parts.get("day") or "1"
        time_part, weekday = parts.get("time") or "", parts.get("weekday")
    else:
        date_part, _, time_part = text.replace("T", " ").partition(" ")
        pieces = re.split(r"[/.-]", date_part)
        if shape.endswith("ymd") or (order == "ymd" and shape in TWO_DIGIT_SHAPES):
            year, month, day = pieces
        elif order == "mdy":
            month, day, year = pieces
        else:
            day, month, year = pieces
        weekday = None
    try:
        date = datetime.date(full_year(year), int(month), int(day))
    except (TypeError, ValueError):
        return value
    if weekday and WEEKDAY_NUMBER.get(weekday.lower()) != date.weekday():
        return value
    iso = date.isoformat()
    if time_part:
        time_bits = _CLOCK.match(time_part.strip())
        if not time_bits:
            return value
        hour, minute, second = int(time_bits.group(1)), int(time_bits.group(2)), int(time_bits.group(3) or 0)
        if hour > 23 or minute > 59 or second > 59:
            return value
        iso += f" {hour:02d}:{minute:02d}:{second:02d}" + (time_bits.group(4) or "") + time_bits.group(5)
    elif with_time:
        iso += " 00:00:00"
    return iso


# --- conversion in Python, column by column ---------------------------------------------------
# The second pass converts a whole batch column at a time. For columns the profiler proved
# uniform, the work is a few C-speed string operations on the joined column; other columns go
# value by value through convert_number/convert_date, which keep misfits unchanged.

_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d\Z")
_ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\Z")


_EMPTY_AS_NULL = {"": None}


def _as_numbers(texts: list[str], sql_type: str) -> list:
    """Numeric text as Python numbers, made in C by map: sqlite3 binds an int or a float faster
    than a string that SQLite then converts by column affinity (200k rows of issue 11's file:
    0.76 s -> 0.58 s of `executemany`, for 0.1 s of map). What map cannot read (an exponent in an
    INTEGER column, say) and integers too long for 64 bits stay text, for SQLite to convert as before."""
    try:
        if sql_type == "REAL":
            return list(map(float, texts))
        if max(map(len, texts)) <= 18:
            return list(map(int, texts))
    except ValueError:
        pass
    return texts


def _marker_pattern(markers) -> re.Pattern | None:
    if not markers:
        return None
    alternatives = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
    return re.compile("^" + _SP + "(?:" + alternatives + ")" + _SP + "$", re.M)


def column_converter(decision: ColumnType, profile: ColumnProfile, markers) -> "Callable":
    """A function turning one column of a batch (tuple of raw strings) into values to insert.

    Empty and blank cells give None (NULL) in every type and every path, wherever they are in
    the batch; a value that does not convert is returned unchanged (text, logged as an anomaly).
    """
    marker_set = frozenset(markers)
    if decision.sql_type == "TEXT":
        if profile.whitespace_only:
            return lambda values: [v if v and v.strip(SPACE) else None for v in values]
        # Empty cells become NULL; a batch without any ('' not in values, one C scan) goes as is,
        # and one with some is mapped in C ({"": None}.get(v, v) is None for "" and v otherwise).
        return lambda values: values if "" not in values else list(map(_EMPTY_AS_NULL.get, values, values))
    present = _marker_pattern(set(profile.markers) & marker_set) if not decision.overridden else _marker_pattern(marker_set)

    def is_missing(value: str) -> bool:
        stripped = value.strip(SPACE)
        return not stripped or stripped in marker_set

    if decision.sql_type in ("INTEGER", "REAL") and decision.uniform and not decision.overridden:
        removals = [" ", "\xa0", "\u202f", "\u2009", "\t", "%", "." if decision.decimal == "," else ","]

        def convert_uniform_text(text):
            if present is not None:
                text = present.sub("", text)
            for character in removals:
                if character in text:
                    text = text.replace(character, "")
            if decision.decimal == ",":
                text = text.replace(",", ".")
            converted = text.split("\n")
            if "" in converted:
                return list(map(_EMPTY_AS_NULL.get, converted, converted))
            # Only ASCII digits: Python reads ١٢ (Arabic-Indic) as 12, SQLite keeps it as text.
            return _as_numbers(converted, decision.sql_type) if text.isascii() else converted

        def convert_uniform(values):
            return convert_uniform_text("\n".join(values))
        convert_uniform.from_joined = convert_uniform_text   # the loader has the column joined already
        return convert_uniform
    if decision.sql_type in ("INTEGER", "REAL"):
        decimal = decision.decimal or "."
        return lambda values: [None if is_missing(v) else convert_number(v, decimal) for v in values]
    order = decision.date_order or "dmy"
    with_time = decision.sql_type == "DATETIME"
    if "%" in order:
        profile.dates_unproven = True    # strptime formats: the anomaly scan checks every value
        return _format_converter(order, with_time, is_missing)
    if with_time:
        def convert_datetime(value):
            if is_missing(value):
                return None
            if len(value) == 19 and _ISO_DATETIME.match(value) and "01" <= value[5:7] <= "12" \
                    and "01" <= value[8:10] <= "28" and value[11:13] <= "23" and value[14:16] <= "59" \
                    and value[17:] <= "59":
                return value
            return convert_date(value, order, with_time=True)
        return _each_distinct_once(convert_datetime, ("DATETIME", order, marker_set), profile, True)
    if order in ("dmy", "mdy"):
        return _day_month_converter(order, is_missing, marker_set, profile)

    def convert_any_date(value):
        if is_missing(value):
            return None
        if len(value) == 10 and _ISO_DATE.match(value) and value[8:] <= "28" and "01" <= value[5:7] <= "12" \
                and value[8:] != "00":
            return value
        return convert_date(value, order)
    return _each_distinct_once(convert_any_date, ("DATE", order, marker_set), profile, False)


_UNSEEN = object()
_REMEMBERED = 50_000   # distinct values remembered per way of converting (a century of days is 36,525)
# (type, order, markers) -> ({raw value: converted value}, {raw values that did not convert})
_MEMORY: dict[tuple, tuple[dict, set]] = {}
_STORED_DATETIME = re.compile(r"\d{4}-\d\d-\d\d (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\Z")


def _converted_date(result, with_time: bool) -> bool:
    """True when `result` is a value a DATE (DATETIME) column stores as converted: NULL, or a real
    day written YYYY-MM-DD (with HH:MM:SS). Stricter than the anomaly scan's SQL (date(), datetime()),
    so a column whose values all pass needs no scan; anything else (a misfit kept as text, a
    fraction of a second, a time zone) sends the column to the scan."""
    if result is None:
        return True
    if not isinstance(result, str) or len(result) != (19 if with_time else 10) or result[4] != "-" \
            or result[7] != "-" or (with_time and not _STORED_DATETIME.match(result)):
        return False
    try:
        datetime.date(int(result[:4]), int(result[5:7]), int(result[8:10]))
    except ValueError:
        return False
    return True


def _each_distinct_once(convert, key: tuple, profile: ColumnProfile, with_time: bool) -> "Callable":
    """Convert a batch value by value, each distinct value once.

    A DATE column holds a few thousand distinct days or months however many rows it has (12 janv.
    2024 written a thousand times), so after the first batches a value costs a dict look-up done
    in C (map over dict.get) instead of a regex match and a calendar check. The loader makes new
    converters for every batch, so what was converted is remembered by `key`, everything the
    result depends on: the same raw value converts the same way in any column with that key.
    Past _REMEMBERED distinct values (date-times to the second) values are converted directly.
    Each distinct value is checked once too (_converted_date): `profile.dates_unproven` is set
    when a batch holds a value that did not convert, or was converted without the check.
    """
    memory = _MEMORY.get(key)
    if memory is None:
        if len(_MEMORY) >= 8:      # bounded in a long-running process too
            _MEMORY.clear()
        memory = _MEMORY[key] = ({}, set())
    cache, failed = memory

    def convert_batch(values):
        if len(cache) >= _REMEMBERED:
            profile.dates_unproven = True
            return [convert(value) for value in values]
        converted = list(map(cache.get, values, repeat(_UNSEEN)))
        if _UNSEEN in converted:
            new = set(values).difference(cache)
            if len(cache) + len(new) <= _REMEMBERED:
                # Each new distinct value converted once, then the batch mapped again in C.
                for raw in new:
                    cache[raw] = result = convert(raw)
                    if not _converted_date(result, with_time):
                        failed.add(raw)
                converted = list(map(cache.__getitem__, values))
        if _UNSEEN in converted:
            for index, result in enumerate(converted):
                if result is _UNSEEN:
                    raw = values[index]
                    converted[index] = result = convert(raw)
                    if not _converted_date(result, with_time):
                        failed.add(raw)
                    if len(cache) < _REMEMBERED:
                        cache[raw] = result
        if failed and not failed.isdisjoint(values):
            profile.dates_unproven = True
        return converted
    return convert_batch


def _format_converter(date_format: str, with_time: bool, is_missing) -> "Callable":
    """Dates read with a strptime format given by --date-format."""
    with_time = with_time or any(code in date_format for code in ("%H", "%I", "%M", "%S"))

    def convert_format(value):
        try:
            parsed = datetime.datetime.strptime(value.strip(SPACE), date_format)
        except ValueError:
            return value
        return parsed.isoformat(sep=" ") if with_time else parsed.date().isoformat()
    return lambda values: [None if is_missing(v) else convert_format(v) for v in values]


def _day_month_converter(order: str, is_missing, markers: frozenset, profile: ColumnProfile) -> "Callable":
    """DATE columns read day or month first (dd/mm/yyyy, dd.mm.yy...), each distinct value once.

    dd/mm/yyyy with a day up to 28 exists in every month, so slicing it is safe; days 29-31,
    one-digit and two-digit-year forms and misfits go through convert_date, which checks the calendar.
    """
    day, month = (slice(0, 2), slice(3, 5)) if order == "dmy" else (slice(3, 5), slice(0, 2))

    def convert_date_value(v):
        if is_missing(v):
            return None
        if len(v) == 10 and v[2] in "/.-" and v[5] == v[2] and "01" <= v[day] <= "28" and "01" <= v[month] <= "12" \
                and v[6:10].isdigit() and v[0:2].isdigit() and v[3:5].isdigit():
            return v[6:10] + "-" + v[month] + "-" + v[day]
        return convert_date(v, order)
    return _each_distinct_once(convert_date_value, ("DATE", order, markers), profile, False)
