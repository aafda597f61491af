"""The unit of a mapped or charted value, and numbers written with it ('48,2 %', '1 200 FCFA').

A legend titled with the raw column name (`taux`) and no unit leaves the reader guessing
whether 48 means 48 %, 48 per 1,000 or 48 francs. The unit comes from the option the user gave,
then from the header the importer kept ('Taux de réussite (%)' -> '%'), else it is unknown and
the caller says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from datactiviste.i18n import get_language
from datactiviste.i18n.formats import NBSP, format_number

_IN_BRACKETS = re.compile(r"[(\[]\s*([^()\[\]]{1,20}?)\s*[)\]]\s*$")
_PERCENT_WORDS = re.compile(r"(?<![a-z])(?:pourcentage|percentage|percent|pct)(?![a-z])|%", re.I)


def detect_unit(label: str, imported_unit: str | None = None) -> str | None:
    """'Taux de réussite (%)' -> '%', 'Montant (FCFA)' -> 'FCFA', 'pct_admis' -> '%'."""
    if imported_unit:
        return imported_unit.strip() or None
    match = _IN_BRACKETS.search(label or "")
    if match:
        return match.group(1).strip()
    if _PERCENT_WORDS.search(label or ""):
        return "%"
    return None


def unit_formatter(unit: str | None, lang: str | None = None,
                   decimals: int | None = None) -> Callable[[float], str]:
    """A function writing a value with its unit in the reader's language."""
    lang = lang or get_language()

    def write(value: float) -> str:
        text = format_number(value, decimals, lang, strip_zeros=decimals is None)
        if not unit:
            return text
        if unit == "%":
            return text + (NBSP + "%" if lang == "fr" else "%")
        return text + NBSP + unit
    return write


def titled(label: str, unit: str | None) -> str:
    """A legend title with its unit once: 'Taux de réussite (%)', never '… (%) (%)'."""
    if not unit or unit in (label or ""):
        return label
    return f"{label} ({unit})"
