"""What a cell's value looks like: the *shapes* of numbers and dates real files write, and the
patterns that recognise them.

Each non-empty value belongs to one shape (integer, French decimal `12,5`, space-grouped
`1 234 567`, day-first date, `12 janv. 2024`…) or is text. `classify` names one value's shape;
`union_pattern` matches a whole chunk of values of known shapes in one C-speed call (types.py
profiles columns with both). Dates as real files write them: dd/mm/yyyy, ISO, dd.mm.yy,
`20240102 00:00:00`, month names in French and English (`1er mars 2024`, `lundi 12 février 2024`,
`Jan 12, 2024`) and in Spanish, Portuguese, Italian, German and Dutch (`12 de diciembre de 2020`),
and months alone (`janvier 2024`, `févr-24`, `dezembro 1979`, `2024-03`).
"""

from __future__ import annotations

import re

SPACE = " \t\xa0\u202f\u2009"
OPTIONAL_SPACE = "[ \t\xa0\u202f\u2009]*"
# Minus as typeset text writes it: the minus sign (U+2212, French Excel and LibreOffice in some
# locales) and the en dash word processors put for it; -12 and −12 are the same number.
MINUS_SIGNS = "\u2212\u2013"
_SIGN = r"(?:[+\-" + MINUS_SIGNS + "] ?)?"
_GROUP_SPACE = "[ \xa0\u202f\u2009]{1,2}"   # 14 305, and 14  305 (two spaces: a space and a no-break space pasted)
# A unit written after the number: percent or a currency (FCFA, F CFA, XOF, €, $...).
UNITS = ("%", "FCFA", "F CFA", "CFA", "XOF", "XAF", "€", "EUR", "$", "USD")
_UNIT = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"

# Month names and abbreviations, French and English first, then the languages our users' tables
# also come in (Spanish, Portuguese, Italian, German, Dutch: IBGE's `dezembro 1979`, INE's
# `enero de 2021`, Destatis' `März 2024`), as written in real files: any case, with or without
# accents and a trailing dot (janv., fevr, Fév, AOÛT, Sept.). The regex takes them all.
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("janvier", "janv", "jan", "january", "enero", "ene", "janeiro", "gennaio", "gen", "januar", "jänner",
        "jän", "januari"),
    2: ("février", "fevrier", "févr", "fevr", "fév", "fev", "feb", "february", "febrero", "fevereiro", "febbraio",
        "februar", "februari"),
    3: ("mars", "mar", "march", "marzo", "março", "marco", "märz", "maerz", "mrz", "maart", "mrt"),
    4: ("avril", "avr", "apr", "april", "abril", "abr", "aprile"),
    5: ("mai", "may", "mayo", "maio", "maggio", "mag", "mei"),
    6: ("juin", "jun", "june", "junio", "junho", "giugno", "giu", "juni"),
    7: ("juillet", "juil", "jul", "july", "julio", "julho", "luglio", "lug", "juli"),
    8: ("août", "aout", "aoû", "aou", "aug", "august", "agosto", "ago", "augustus"),
    9: ("septembre", "sept", "sep", "september", "septiembre", "setiembre", "setembro", "settembre", "set"),
    10: ("octobre", "oct", "october", "octubre", "outubro", "out", "ottobre", "ott", "oktober", "okt"),
    11: ("novembre", "nov", "november", "noviembre", "novembro"),
    12: ("décembre", "decembre", "déc", "dec", "december", "diciembre", "dic", "dezembro", "dez", "dicembre",
         "dezember"),
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


_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp]\.?[Mm]\.?)?"     # 14:05, 7:11:11 AM, 7:27pm
_MONTH_WORD = "(?P<month>" + _words(MONTH_NUMBER) + r")\.?"
_WEEKDAY = "(?:(?P<weekday>" + _words(WEEKDAY_NUMBER) + r")\.?,? )?"
_MONTH_SEP = r"(?:[ /-]|(?i: del? ))"                              # 12 janv, 12-Jan, 12 de enero, enero del
_DAY = r"(?P<day>\d{1,2})(?i:er|re|st|nd|rd|th|\.)?"               # 1er, 1st, 2nd, 12, 3. (German)
_YEAR = r"(?P<year>[12]\d{3})"
_YEAR_NUMBER = r"(?P<month>0?[1-9]|1[0-2])"

# Shapes written with named groups (day, month, year, weekday, time): the same text makes the
# shape (groups made anonymous) and the parser convert_date uses, so the two cannot disagree.
NAMED_SHAPES: dict[str, str] = {
    # 12 janv. 2024, 1er mars 2024, lundi 12 février 2024, 12-Jan-24, 12 janv. 2024 10:30
    # (12 de diciembre de 2020, 1 de março de 2024: Spanish and Portuguese)
    "date_text": _WEEKDAY + _DAY + _MONTH_SEP + _MONTH_WORD + _MONTH_SEP + r"(?P<year>\d{4}|\d{2})",
    "datetime_text": _WEEKDAY + _DAY + _MONTH_SEP + _MONTH_WORD + _MONTH_SEP + r"(?P<year>\d{4}|\d{2}),? (?:(?i:à|at) )?"
                     r"(?P<time>\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?)",   # 11-Oct-1952 14:35:27.000
    # January 12, 2024 / Jan. 12th 2024 (English order)
    "date_text_mdy": _WEEKDAY + _MONTH_WORD + " " + _DAY + r",? (?P<year>\d{4})",
    # Months: janvier 2024, sept. 2023, févr-24 (Excel's mmm-yy), 2024-03, 03/2024
    "date_month_text": _MONTH_WORD + r"(?:(?:[ /-]|(?i: del? ))(?P<year>\d{4})|-(?P<yy>\d{2}))",   # enero de 2021
    "date_month_ym": _YEAR + "[/-]" + r"(?P<month>0[1-9]|1[0-2])",
    "date_month_my": _YEAR_NUMBER + "[/-]" + _YEAR,
    # 20240102 00:00:00 (a bare 20240102 stays a number: it may be an identifier)
    "datetime_compact": r"(?P<year>[12]\d{3})(?P<month>0[1-9]|1[0-2])(?P<day>0[1-9]|[12]\d|3[01])[ T]"
                        r"(?P<time>" + _TIME + ")",
}
_ANONYMOUS = re.compile(r"\(\?P<\w+>")

# Shapes. Order matters only for the per-value classifier (first match wins). A grouped number's
# first group never starts with 0: `01 001` (INEGI's state and municipality) is a code.
SHAPES: dict[str, str] = {
    "int": _SIGN + r"(?:0|[1-9]\d{0,17})",                   # what a 64-bit integer holds, always
    "zero_code": r"0\d+",                                    # 01001: a code, must stay text
    # 20190012019002419952865: more digits than a 64-bit integer holds (SQLite would round it to
    # a float, losing digits): an identifier, kept as text like codes with leading zeros
    "long_int": r"-?[1-9]\d{18,}",
    "dot3": _SIGN + r"[1-9]\d{0,2}\.\d{3}",                  # 1.234  thousands or decimal?
    "comma3": _SIGN + r"[1-9]\d{0,2},\d{3}",                 # 1,234  thousands or decimal?
    "dec_dot": _SIGN + r"\d*\.\d+",                          # 12.5 .5
    "dec_comma": _SIGN + r"\d*,\d+",                         # 12,5
    "grp_space_int": _SIGN + r"[1-9]\d{0,2}(?:" + _GROUP_SPACE + r"\d{3})+",
    "grp_space_comma": _SIGN + r"[1-9]\d{0,2}(?:" + _GROUP_SPACE + r"\d{3})+,\d+",
    "grp_space_dot": _SIGN + r"[1-9]\d{0,2}(?:" + _GROUP_SPACE + r"\d{3})+\.\d+",
    "grp_dot_int": _SIGN + r"[1-9]\d{0,2}(?:\.\d{3}){2,}",        # 200.000.000
    "grp_dot_comma": _SIGN + r"[1-9]\d{0,2}(?:\.\d{3})+,\d+",     # 1.234,56
    "grp_comma_int": _SIGN + r"[1-9]\d{0,2}(?:,\d{3}){2,}",       # 1,234,567
    "grp_comma_dot": _SIGN + r"[1-9]\d{0,2}(?:,\d{3})+\.\d+",     # 1,234.56
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
CODE_SHAPES = frozenset({"zero_code", "long_int"})   # digits that are codes: the column is text
NUMBER_SHAPES = [s for s in SHAPES if not s.startswith(("date", "datetime")) and s not in CODE_SHAPES]
# Accounting negatives: (1 234,50) is -1 234,50 in budget tables exported from a spreadsheet's
# accounting format (Excel and LibreOffice read them so too). Balanced parentheses only.
for _name in NUMBER_SHAPES:
    _body = SHAPES[_name][len(_SIGN):]
    SHAPES[_name] = "(?:" + _SIGN + _body + r"|\(" + _body + r"\))"
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
                        "NR", "nr", "N.R.", "n.r.",   # not reported, non renseigné
                        "-", "--", "—", "–", ".", "..", "...", "…", "///", "#", "*", "**", "***", "****", "*****",  # ///: INDEC; #: suppressed
                        "x", "X", "s", "#N/A", "#VALUE!", "#DIV/0!", "NaN", "nan", "null", "NULL",
                        "None", "?", "\\N",   # \N: NULL in MySQL and PostgreSQL dumps
                        # French Excel's errors (#N/A is #N/D there), other errors, Eurostat's "not available"
                        "#N/D", "#VALEUR!", "#NOMBRE!", "#REF!", "#NOM?", "#NAME?", "#NUM!", "#NULL!", ":",
                        # The UK statistics shorthand (GSS): confidential, not available, not applicable,
                        # below the threshold, no figures, merged with another cell, low reliability
                        "[c]", "[x]", "[z]", "[low]", "[w]", "[d]", "[u]")

# Marks for a missing value beyond that list, as families: a short code in brackets (the GSS
# shorthand [n], [b], [note 3]) or a letter code in parentheses (INSEE's `(O)` missing and `(s)`
# secret), and a mark followed by its explanation (`N/A - résultat non disponible`, `nd : secret`).
# Alone in a cell, none of them holds a value.
MARKER_PATTERN = re.compile(r"\[(?:[A-Za-z]{1,5}|(?i:note|nota) ?\d{1,3})\]|\([A-Za-z]{1,2}\)|"
                            r"(?:N/A|n/a|NA|N\.A\.|n\.d\.|N\.D\.|nd|ND|NC|nc|n\.c\.|s\.o\.|S\.O\.)"
                            r" ?(?:[-–—:] ?|\()[^\d\n]{2,80}")
# A number followed by a flag (`3103(e)` estimated, `12,5 (p)` provisional, `418*`, `97 [r]`, a
# letter glued to it as UK and Eurostat tables write them: `82.44R` revised, `73.73P` provisional,
# `12.5e`) or a footnote's call (`3.289.290(1)`, `412²`): a number of its column, kept as written
# (and logged) where it cannot be converted.
FLAGGED_NUMBER_SUFFIX = re.compile(r" ?(?:\([A-Za-z]{1,3}\)|\(\d{1,2}\)|\[[A-Za-z]{1,3}\]|\*{1,3}|[†‡¹²³⁴⁵⁶⁷⁸⁹]"
                                   r"|(?<=\d)[bcdefnprsuzBCDEFNPRSUZ])\Z")

# Named groups make a per-value classifier: the first non-empty group names the shape.
_UNIT_SUFFIX = "(?:" + OPTIONAL_SPACE + _UNIT + ")?"


def _named_separator(name: str, group: str) -> str:
    """The shape's pattern with its separator group named `group` and its backreferences (\\1..\\4)
    pointing to it by name: numbers shift once several shapes are joined in one pattern."""
    local = SHAPES[name]
    for number in range(4, 0, -1):
        local = local.replace(f"\\{number}", f"(?P={group})")
    return re.sub(r"\(\[/\.-\]\)", f"(?P<{group}>[/.-])", local, count=1)


def _build_classifier(names) -> re.Pattern:
    parts = []
    for name in names:
        local = _named_separator(name, f"{name}_sep")
        suffix = _UNIT_SUFFIX if name in NUMBER_SHAPES else ""
        parts.append(f"(?P<{name}>{local}{suffix})")
    return re.compile(OPTIONAL_SPACE + "(?:" + "|".join(parts) + ")" + OPTIONAL_SPACE + r"\Z")


# Dates with month names are tried apart, and only on values with a digit: their long lists of
# month and weekday names would otherwise make every text value four times slower to classify.
WORD_SHAPES = ("date_text", "datetime_text", "date_text_mdy", "date_month_text")
_CLASSIFIER = _build_classifier([name for name in SHAPES if name not in WORD_SHAPES])
_WORD_CLASSIFIER = _build_classifier(WORD_SHAPES)
WORD_SHAPES_SET = frozenset(WORD_SHAPES)
_DIGIT = re.compile(r"\d")
UNIT_FINDER = re.compile(OPTIONAL_SPACE + "(" + _UNIT + ")" + OPTIONAL_SPACE + r"\Z")
# A currency written before the amount, as English, Latin American and spending exports write it
# (`£55,723.12`, `$6,353,225`, `R$ 1.213,03`, `S/ 400`, `-€12`): the column's unit, like one after.
PREFIX_UNITS = ("£", "$", "US$", "R$", "S/", "€", "¥", "₦", "KSh", "GH₵", "₹", "Rs", "Rs.", "EUR", "USD", "GBP")
_PREFIX_START = frozenset(unit[0] for unit in PREFIX_UNITS)
PREFIX_UNIT = re.compile(OPTIONAL_SPACE + "([+\\-" + MINUS_SIGNS + "]?)" + OPTIONAL_SPACE + "(" +
                         "|".join(re.escape(u) for u in sorted(PREFIX_UNITS, key=len, reverse=True)) + ")" +
                         OPTIONAL_SPACE + r"(?=[\d(+\-" + MINUS_SIGNS + "])")


def without_prefix_unit(value: str) -> tuple[str, str | None]:
    """(the value without a currency written before it, that currency or None): `-£12.5` → (`-12.5`, `£`)."""
    start = value.lstrip(" \t\xa0\u202f\u2009+-" + MINUS_SIGNS)[:1]
    if start not in _PREFIX_START:
        return value, None
    found = PREFIX_UNIT.match(value)
    if not found:
        return value, None
    return found.group(1) + value[found.end():], found.group(2)


def classify(value: str) -> str | None:
    """The shape of one value, or None for text (a number after a currency: the number's shape)."""
    match = _CLASSIFIER.match(value) or (_DIGIT.search(value) and _WORD_CLASSIFIER.match(value))
    if not match:
        number, unit = without_prefix_unit(value)
        if unit is not None and (match := _CLASSIFIER.match(number)) and match.lastgroup in NUMBER_SHAPES \
                and not UNIT_FINDER.search(number):
            return match.lastgroup
        return None
    return match.lastgroup  # the shape's group closes after its inner separator group


def union_pattern(shapes: list[str], markers, units: bool = True, spaces: bool = True) -> re.Pattern:
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
        pattern = _named_separator(name, f"{name}_s")
        suffix = _UNIT_SUFFIX if name in NUMBER_SHAPES and units else ""
        alternatives.append(pattern + suffix)
    alternatives += [re.escape(m) for m in sorted(markers, key=len, reverse=True)]
    alternatives.append("")   # empty or blank (the spaces around), tried last
    space = OPTIONAL_SPACE if spaces else ""
    line = "(?>" + space + "(?:" + "|".join(f"(?:{a})" for a in alternatives) + ")" + space + "(?=\n))"
    # One copy of the line pattern (group names must be unique).
    return re.compile(f"(?:{line}\n)*+")
