"""Numbers on maps in the user's locale ('1 234,5' in French, '1,234.5' in English).

Delegates to the shared `datactiviste.i18n.formats.format_number`; the small fallback below only
exists so this package works on its own while that shared module is being written alongside.
"""

from __future__ import annotations

try:
    from datactiviste.i18n.formats import format_number
except ImportError:  # pragma: no cover - the shared helper is missing
    def format_number(value, decimals=None, lang=None):
        from datactiviste.i18n import get_language

        if value is None:
            return ""
        if decimals is None:
            decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 100 else 2)
        text = f"{value:,.{decimals}f}"
        if decimals:
            text = text.rstrip("0").rstrip(".")
        if (lang or get_language()) == "fr":
            text = text.replace(",", "\u00a0").replace(".", ",")
        return text

__all__ = ["format_number"]
