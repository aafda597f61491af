"""The converters that apply a column's type (types.ColumnType) to a batch of raw values.

A column whose values are all of one convention is converted a batch at a time with C-speed
string operations on the joined column; others value by value. DATE columns are stored
YYYY-MM-DD (a month alone as its first day), DATETIME columns always YYYY-MM-DD HH:MM:SS; two-digit
years are read in the spreadsheets' window (full_year). Empty and blank cells are NULL in every
type, wherever they fall in a batch; a value that does not convert is returned unchanged (kept as
text, logged as an anomaly by the loader).
"""

from __future__ import annotations

import datetime
import re
from itertools import repeat
from typing import Callable

from datactiviste.ingest.shapes import (ALL_DATE_SHAPES, COMMA_DECIMAL_EVIDENCE, DOT_DECIMAL_EVIDENCE, MONTH_NUMBER,
                                        MINUS_SIGNS, NAMED_SHAPES, NUMBER_SHAPES, OPTIONAL_SPACE, SPACE, TWO_DIGIT_SHAPES,
                                        UNIT_FINDER, WEEKDAY_NUMBER, classify,
                                        without_prefix_unit)
from datactiviste.ingest.types import ColumnProfile, ColumnType


ANY_UNIT = object()


def convert_number(value, decimal: str, unit=ANY_UNIT):
    """Python side of the conversion for values the SQL fast path does not handle.

    Returns a float or int when the value is unambiguously a number under the column's
    convention, else the value unchanged (kept as text, reported as an anomaly). `unit`: the
    column's (None: it has none); a value in another unit is kept as written (`12000000%` in a
    column of amounts is no amount).
    """
    if value is None:
        return None
    text = str(value).strip(SPACE)
    found = UNIT_FINDER.search(text)
    if found:
        if unit is not ANY_UNIT and found.group(1) != unit:
            return value
        text = text[:found.start()].strip(SPACE)
    else:
        text, prefix = without_prefix_unit(text)
        if prefix is not None and unit is not ANY_UNIT and prefix != unit:
            return value
    shape = classify(text)
    if shape is None or shape not in NUMBER_SHAPES:
        return value
    if shape in (DOT_DECIMAL_EVIDENCE if decimal == "," else COMMA_DECIMAL_EVIDENCE):
        return value  # 41.7 in a comma-decimal column: the other convention, keep and report
    if text.startswith("(") and text.endswith(")"):      # accounting negative: (1 234,50)
        sign, digits = -1, text[1:-1]
    else:
        sign = -1 if text.startswith(("-",) + tuple(MINUS_SIGNS)) else 1
        digits = text.lstrip("+-" + MINUS_SIGNS).strip(SPACE)
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


_PARSERS = {name: re.compile(OPTIONAL_SPACE + pattern + OPTIONAL_SPACE + r"\Z") for name, pattern in NAMED_SHAPES.items()}
_OFFSET = re.compile(r"[Zz]|([+-])(\d{2}):?(\d{2})?")     # Z, +01:00, -0500, +03
_ZONED = re.compile(r"\d(?:[Zz]|[+-]\d{2}:?\d{2})" + OPTIONAL_SPACE + r"\Z")   # a date-time ending with its zone
_CLOCK = re.compile(r"(\d{1,2})[:h](\d{2})(?::(\d{2})(\.\d+)?)?(?: ?([AaPp])\.?[Mm]\.?)?(.*)\Z")


def convert_date(value, order: str, with_time: bool = False):
    """ISO text for a date or date-time under the column's order, else the value unchanged.

    Dates become YYYY-MM-DD and months (janvier 2024, 2024-03) the first day of the month,
    YYYY-MM-01: SQLite's date functions, sorting, the charts' monthly axis and comparisons with
    full dates then all work, and the report says the column holds months. `with_time` (DATETIME
    columns) always gives YYYY-MM-DD HH:MM:SS, midnight for a value without a time, so a column
    has one format; a time written with its zone (Z, +01:00) is converted to UTC, and fractions
    of a second, when written and not all zeros, are kept after it.
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
        half = (time_bits.group(5) or "").lower()      # 12-hour clock: 12:30 AM is 00:30, 12:30 PM 12:30
        if half and not 1 <= hour <= 12:
            return value
        if half:
            hour = hour % 12 + (12 if half == "p" else 0)
        if hour > 23 or minute > 59 or second > 59:
            return value
        # A fraction that is all zeros (`.000Z`: JavaScript's toISOString on every value) says
        # nothing: dropped, the column keeps its one format; any other fraction is kept.
        fraction = time_bits.group(4) or ""
        fraction = fraction if fraction.strip(".0") else ""
        zone = time_bits.group(6).strip(SPACE)
        if zone:
            offset = _OFFSET.fullmatch(zone)
            if not offset:
                return value
            # 10:00+01:00 is 09:00 UTC: one clock for the column, so it sorts and compares right.
            minutes = 0 if zone in ("Z", "z") else (int(offset.group(2)) * 60 + int(offset.group(3) or 0)) * \
                (-1 if offset.group(1) == "-" else 1)
            moment = datetime.datetime(date.year, date.month, date.day, hour, minute, second) - \
                datetime.timedelta(minutes=minutes)
            return moment.isoformat(sep=" ") + fraction
        iso += f" {hour:02d}:{minute:02d}:{second:02d}" + fraction
    elif with_time:
        iso += " 00:00:00"
    return iso


# --- conversion in Python, column by column ---------------------------------------------------
# The second pass converts a whole batch column at a time. For columns the profiler proved
# uniform, the work is a few C-speed string operations on the joined column; other columns go
# value by value through convert_number/convert_date, which keep misfits unchanged.

_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d\Z")
_ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\Z")


_ACCOUNTING_NEGATIVE = re.compile(r"^" + OPTIONAL_SPACE + r"\(([^()\n]*)\)", re.M)   # (1 234,50) -> -1 234,50


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
    return re.compile("^" + OPTIONAL_SPACE + "(?:" + alternatives + ")" + OPTIONAL_SPACE + "$", re.M)


def column_converter(decision: ColumnType, profile: ColumnProfile, markers) -> "Callable":
    """A function turning one column of a batch (tuple of raw strings) into values to insert.

    Empty and blank cells give None (NULL) in every type and every path, wherever they are in
    the batch; a value that does not convert is returned unchanged (text, logged as an anomaly).
    """
    marker_set = frozenset(markers).union(profile.markers)   # with the marks of MARKER_PATTERN seen
    if decision.sql_type == "TEXT":
        if decision.reason == "only-missing-marks":
            return lambda values: [None if not v or v.strip(SPACE) in marker_set else v for v in values]
        if profile.whitespace_only:
            return lambda values: [v if v and v.strip(SPACE) else None for v in values]
        # Empty cells become NULL; a batch without any ('' not in values, one C scan) goes as is.
        # (`v or None` in a comprehension: 0.6x the time of mapping {"": None}.get over the batch.)
        return lambda values: values if "" not in values else [value or None for value in values]
    present = _marker_pattern(set(profile.markers) & marker_set) if not decision.overridden else _marker_pattern(marker_set)

    def is_missing(value: str) -> bool:
        stripped = value.strip(SPACE)
        return not stripped or stripped in marker_set

    if decision.sql_type in ("INTEGER", "REAL") and decision.uniform and not decision.overridden:
        removals = [" ", "\xa0", "\u202f", "\u2009", "\t", "%", "." if decision.decimal == "," else ","]

        def convert_uniform_text(text):
            if present is not None:
                text = present.sub("", text)
            if "(" in text:
                text = _ACCOUNTING_NEGATIVE.sub(r"-\1", text)
            for minus in MINUS_SIGNS:
                if minus in text:
                    text = text.replace(minus, "-")
            for character in removals:
                if character in text:
                    text = text.replace(character, "")
            if decision.decimal == ",":
                text = text.replace(",", ".")
            converted = text.split("\n")
            if "" in converted:
                return [value or None for value in converted]
            # Only ASCII digits: Python reads ١٢ (Arabic-Indic) as 12, SQLite keeps it as text.
            return _as_numbers(converted, decision.sql_type) if text.isascii() else converted

        def convert_uniform(values):
            return convert_uniform_text("\n".join(values))
        convert_uniform.from_joined = convert_uniform_text   # the loader has the column joined already
        return convert_uniform
    if decision.sql_type in ("INTEGER", "REAL"):
        decimal = decision.decimal or "."
        unit = decision.unit if not decision.overridden else ANY_UNIT
        return lambda values: [None if is_missing(v) else convert_number(v, decimal, unit) for v in values]
    order = decision.date_order or "dmy"
    with_time = decision.sql_type == "DATETIME"
    if order == "yyyymmdd":
        return _each_distinct_once(_compact_converter(is_missing), ("DATE", order, marker_set), profile, False)
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
# (type, order, markers) -> ({raw value: converted value}, {raw values that did not convert},
#                             {raw date-times written with a zone, converted to UTC})
_MEMORY: dict[tuple, tuple[dict, set, set]] = {}
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
        memory = _MEMORY[key] = ({}, set(), set())
    cache, failed, zoned = memory

    def converted_once(raw):
        result = convert(raw)
        if not _converted_date(result, with_time):
            failed.add(raw)
        elif with_time and _ZONED.search(raw):
            zoned.add(raw)
        return result

    def convert_batch(values):
        if len(cache) >= _REMEMBERED:
            profile.dates_unproven = True
            if with_time and any(_ZONED.search(value) for value in values if value):
                profile.utc_converted = True
            return [convert(value) for value in values]
        try:
            # Every value seen before, the usual case after the first batches: one C-level map.
            # (`__getitem__` with one argument is called twice as fast as `get` with a default.)
            converted = list(map(cache.__getitem__, values))
        except KeyError:
            new = set(values).difference(cache)
            if len(cache) + len(new) <= _REMEMBERED:
                # Each new distinct value converted once, then the batch mapped again in C.
                for raw in new:
                    cache[raw] = converted_once(raw)
                converted = list(map(cache.__getitem__, values))
            else:
                converted = list(map(cache.get, values, repeat(_UNSEEN)))
                for index, result in enumerate(converted):
                    if result is _UNSEEN:
                        raw = values[index]
                        converted[index] = result = converted_once(raw)
                        if len(cache) < _REMEMBERED:
                            cache[raw] = result
        if failed and not failed.isdisjoint(values):
            profile.dates_unproven = True
        if zoned and not zoned.isdisjoint(values):
            profile.utc_converted = True
        return converted
    return convert_batch


def _compact_converter(is_missing) -> "Callable":
    """Days written YYYYMMDD (20140701 -> 2014-07-01); a value that is not a real day stays as it is."""
    def convert_compact(value):
        if is_missing(value):
            return None
        text = value.strip(SPACE)
        if len(text) != 8 or not text.isdigit() or not text.isascii():
            return value
        try:
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
        except ValueError:
            return value
    return convert_compact


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
