"""Name folding: the spellings people type for the same place compare equal.

`fold("THIÈS")` == `fold("Thies")` == "thies"; `St Louis`, `St-Louis` and `Saint-Louis` all fold
to "saint louis"; `compact` also drops spaces, so `N'Zérékoré` meets `Nzérékoré`. Administrative
words ("Région de", "Province du", "Gouvernorat de") are removed by `strip_admin_words`.
"""

from __future__ import annotations

import re

from datactiviste.ingest.names import fold as lower_without_accents

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "mt": "mont"}
_ADMIN_WORDS = re.compile(
    r"^(?:(?:la|le|les)\s+)?(?:region|regions|province|provinces|gouvernorat|governorate|wilaya|"
    r"prefecture|departement|department|district|state|etat|division|county|comte|municipalite|"
    r"municipality|cercle|commune|ville|city|town|capital|capitale|autonomous|autonome)"
    r"(?:\s+(?:de|du|des|d|of|la|l|el))*\s+", re.I)
_ADMIN_SUFFIX = re.compile(r"\s+(?:region|province|governorate|state|district|prefecture)$")


def fold(text) -> str:
    """Lower case, no accents, punctuation as single spaces, common abbreviations expanded."""
    if text is None:
        return ""
    text = lower_without_accents(str(text)).replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def compact(text) -> str:
    """`fold` without spaces: 'N'Zérékoré' and 'Nzérékoré' -> 'nzerekore'."""
    return fold(text).replace(" ", "")


_SOUNDS = [("ou", "u"), ("gu", "g"), ("qu", "k"), ("ck", "k"), ("c", "k"), ("ph", "f"),
           ("sh", "s"), ("ch", "s"), ("dj", "j"), ("kh", "k"), ("th", "t"), ("dh", "d"),
           ("y", "i"), ("w", "u"), ("h", ""), ("z", "s")]


def sound(text) -> str:
    """A rough spelling-independent key for French/English transcriptions of African names.

    'Ziguinchor' and 'Zigenchor' -> 'siginsor'/'sigensor'; 'Tambakounda'/'Tambacounda' ->
    'tambakunda'. Used only as a fuzzy step, never as an exact match.
    """
    key = compact(text)
    for source, target in _SOUNDS:
        key = key.replace(source, target)
    return re.sub(r"(.)\1+", r"\1", key)


def strip_admin_words(folded: str) -> str:
    """'region de kedougou' -> 'kedougou'; 'kaolack region' -> 'kaolack' (input already folded)."""
    stripped = _ADMIN_SUFFIX.sub("", _ADMIN_WORDS.sub("", folded))
    return stripped or folded
