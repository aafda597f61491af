"""Numbers, percentages and dates written the way a French or English reader expects.

One small pure-Python module (no Babel, no system locale: Windows locales are unreliable and
would make outputs depend on the machine) shared by charts, maps, reports and the CLI:

    format_number(1234.5)            -> '1 234,5'   (fr)   '1,234.5' (en)
    format_percent(12.5)             -> '12,5 %'    (fr)   '12.5%'   (en)
    format_exact(1234567.891)        -> '1 234 567,891' (fr)  '1,234,567.891' (en)
    format_date(date(2024, 1, 5))    -> 'janv. 2024' (fr)  'Jan 2024' (en)
    format_exact(49.400000000000006) -> '49,4'       (binary noise of a SQL sum dropped)
    format_exact(244000.5, decimals=2) -> '244 000,50' (a column whose values carry cents)
    format_size(37069)               -> '36,2 Ko'    (fr)  '36.2 KB' (en)
    format_duration(1.5)             -> '1,5 s'      (fr)  '1.5 s'   (en)

The French group separator and the space before % are NO-BREAK SPACE (U+00A0): a number
never breaks across lines, and every font (including old Windows ones) has the glyph, which
is not true of the narrow U+202F that CLDR prefers. `lang` defaults to the current language.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

NBSP = "\u00a0"

MONTHS_SHORT = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
MONTHS_LONG = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}
_SEPARATORS = {"fr": (NBSP, ","), "en": (",", ".")}


def _lang(lang: str | None) -> str:
    if lang is None:
        from datactiviste.i18n import get_language

        lang = get_language()
    return lang if lang in _SEPARATORS else "en"


def auto_decimals(value: float) -> int:
    """Decimals worth showing for one value: none for whole numbers, fewer for big ones."""
    if value is None or not math.isfinite(value) or float(value).is_integer():
        return 0
    magnitude = abs(value)
    if magnitude >= 100:
        return 1
    if magnitude >= 1:
        return 2 if round(magnitude, 1) != round(magnitude, 2) else 1
    return 2 if magnitude >= 0.01 else 4


def format_number(value, decimals: int | None = None, lang: str | None = None,
                  strip_zeros: bool | None = None) -> str:
    """`1234.5` -> '1 234,5' (fr) / '1,234.5' (en). None/NaN -> ''.

    `decimals=None` picks them from the value and drops trailing zeros; an explicit number of
    decimals is kept as is (axis ticks need '0,5 1,0 1,5', not '0,5 1 1,5').
    """
    if value is None:
        return ""
    value = float(value)
    if not math.isfinite(value):
        return ""
    group, point = _SEPARATORS[_lang(lang)]
    if strip_zeros is None:
        strip_zeros = decimals is None
    if decimals is None:
        decimals = auto_decimals(value)
    text = f"{abs(value):,.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if strip_zeros:
        fraction = fraction.rstrip("0")
    sign = "-" if value < 0 and (whole.strip("0,") or fraction.strip("0")) else ""
    result = sign + whole.replace(",", group)
    return result + point + fraction if fraction else result


SIGNIFICANT_DIGITS = 15  # a double holds 15-17; the last ones of a computed sum are noise


def shortest_decimal(value: float) -> str:
    """The shortest decimal text of a float without binary noise: 49.400000000000006 -> '49.4'.

    A stored or typed value reads back exactly with 15 significant digits; the 16th and 17th
    digits that `repr` shows for 0.1 + 0.2 or SUM(x) are artefacts of the binary arithmetic.
    Never in exponent form; '-0' is '0'; a whole float has no '.0'.
    """
    text = repr(float(f"{value:.{SIGNIFICANT_DIGITS}g}")) if value else "0"
    if "e" in text:   # 1.5e-07: rare, so decimal is imported only then (start-up time)
        from decimal import Decimal

        text = format(Decimal(text), "f")
    return text.removesuffix(".0")


def column_decimals(values) -> int | None:
    """2 when a column's numbers carry cents (some have exactly 2 decimals, none more), else None.

    '244 000,5' in a column of amounts like '1 250,75' reads as a typo: such a column is
    written with fixed decimals ('244 000,50'). Other columns keep each value's own digits.
    """
    most, some_two = 0, False
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if isinstance(value, float) and math.isfinite(value):
            fraction = shortest_decimal(value).partition(".")[2]
            most = max(most, len(fraction))
            some_two = some_two or len(fraction) == 2
    return 2 if some_two and most == 2 else None


def format_size(size_bytes: float, lang: str | None = None) -> str:
    """A file size for a reader: '36,2 Ko' / '36.2 KB', '1,4 Mo' / '1.4 MB', '512 o' / '512 B'."""
    french = _lang(lang) == "fr"
    units = ("o", "Ko", "Mo", "Go", "To") if french else ("B", "KB", "MB", "GB", "TB")
    value, unit = float(size_bytes or 0), 0
    while abs(value) >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    decimals = 0 if unit == 0 or abs(value) >= 100 else 1
    return format_number(value, decimals, lang, strip_zeros=True) + NBSP + units[unit]


def format_duration(seconds: float, lang: str | None = None) -> str:
    """'1,5 s' / '1.5 s', '2 min 05 s', '1 h 02 min': the way the CLI reports how long it took."""
    seconds = float(seconds or 0)
    if seconds < 60:
        decimals = 1 if seconds < 10 else 0
        return format_number(seconds, decimals, lang, strip_zeros=True) + NBSP + "s"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}{NBSP}h{NBSP}{minutes:02d}{NBSP}min"
    return f"{minutes}{NBSP}min{NBSP}{secs:02d}{NBSP}s"


def format_exact(value, lang: str | None = None, group: bool = True,
                 decimals: int | None = None) -> str:
    """A stored int or float with every one of its digits, for a reader: never rounded.

    `1234567.891` -> '1 234 567,891' (fr) / '1,234,567.891' (en); `14.69203` -> '14,69203'.
    A float shows its shortest decimal without binary noise (`shortest_decimal`: 15
    significant digits, never in exponent form); a whole float drops its '.0'. `decimals=2`
    pads to fixed decimals (a column with cents, see `column_decimals`) and never cuts a digit.
    Integer parts of 4 digits or fewer are not grouped ('2024', '1234,5', as French typography
    asks), so years read as years; `group=False` groups none (identifiers, codes). None, NaN and
    infinities -> ''.
    """
    if value is None:
        return ""
    if not isinstance(value, int):
        value = float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        whole, _, fraction = shortest_decimal(value).partition(".")
    else:
        whole, fraction = str(value), ""
    if decimals and len(fraction) < decimals and not isinstance(value, int):
        fraction = fraction.ljust(decimals, "0")
    separator, point = _SEPARATORS[_lang(lang)]
    if group and len(whole) - (whole[0] == "-") > 4:
        whole = f"{int(whole):,}".replace(",", separator)
    return whole + point + fraction if fraction else whole


def format_percent(value, decimals: int | None = 1, lang: str | None = None,
                   ratio: bool = False, strip_zeros: bool = True) -> str:
    """`12.5` -> '12,5 %' (fr) / '12.5%' (en); `ratio=True` reads 0.125 as 12,5 %."""
    if value is None:
        return ""
    number = format_number(float(value) * (100 if ratio else 1), decimals, lang,
                           strip_zeros=strip_zeros)
    if not number:
        return ""
    return number + (NBSP + "%" if _lang(lang) == "fr" else "%")


def format_date(value, style: str = "month", lang: str | None = None) -> str:
    """A date (or datetime, or ISO string) for a reader.

    styles: 'day' '5 janv. 2024' ('1er janv.') / 'Jan 5, 2024'; 'day_month' '5 janv.' / 'Jan 5';
    'month' 'janv. 2024' / 'Jan 2024'; 'month_only' 'janv.' / 'Jan'; 'month_long'
    'janvier 2024' / 'January 2024'; 'year' '2024'.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    lang = _lang(lang)
    month = MONTHS_SHORT[lang][value.month - 1]
    if style == "year":
        return str(value.year)
    if style == "month":
        return f"{month} {value.year}"
    if style == "month_only":
        return month
    if style == "month_long":
        return f"{MONTHS_LONG[lang][value.month - 1]} {value.year}"
    day = ("1er" if value.day == 1 else str(value.day)) if lang == "fr" else str(value.day)
    if style == "day_month":
        return f"{day} {month}" if lang == "fr" else f"{month} {day}"
    if style == "day":
        return f"{day} {month} {value.year}" if lang == "fr" else f"{month} {day}, {value.year}"
    raise ValueError(f"unknown date style: {style}")


_SPACE_BEFORE = re.compile(r" ([:;!?%»])")


def keep_with_punctuation(text: str) -> str:
    """French 'Source : X' -> 'Source\u00a0: X': the colon never starts a line of a chart.

    Catalogs may use a plain space before : ; ! ? % »; charts wrap lines themselves, so we
    make those spaces non-breaking (and the one after «) wherever the text is drawn.
    """
    return _SPACE_BEFORE.sub(NBSP + r"\1", text).replace("« ", "«" + NBSP)
