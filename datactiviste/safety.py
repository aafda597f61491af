"""The project's escaping rules, in one place, so every page and file we write follows the same ones.

- `escape_html`: text going into HTML (element content or a quoted attribute). Data, file names,
  progress files, titles typed by a trainer: all hostile until escaped here.
- `safe_href`: a URL we are about to render as a link. Only absolute `http(s)` links are kept;
  anything else (`javascript:`, `data:`, `vbscript:`, a scheme hidden behind tabs or control
  characters) gives None and the caller shows the text instead.
- `neutralise_formula`: a text cell going into a CSV a spreadsheet may open. A value whose first
  visible character is `=`, `+`, `-`, `@` (or their full-width forms, which spreadsheets
  normalise), or which starts with tab/carriage return, is prefixed with `'` so Excel and
  LibreOffice show it instead of running it. Real numbers (`-12,5`, `-3.5`, `+33`, `-1 234,5`)
  stay as they are so they remain numbers.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

FORMULA_CHARACTERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")  # ＝＋－＠ are the full-width forms
_ALWAYS_NEUTRALISED_STARTS = ("\t", "\r", "\n")
_PLACEHOLDERS = ("", "-")  # "-" for "no value" is common in French tables and computes nothing
# Leading characters a spreadsheet skips before deciding a cell is a formula.
_LEADING_BLANKS = " \t\r\n\u00a0\u2007\u202f\u3000\ufeff"
_NUMBER = re.compile(
    r"^[+-]?(\d+([.,]\d*)?|[.,]\d+|\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?)([eE][+-]?\d+)?$")
# Browsers drop these anywhere in a URL (tab, CR, LF) or at its ends (C0 controls and space).
_URL_DROPPED = re.compile(r"[\t\r\n]")
_URL_EDGES = "".join(chr(c) for c in range(0x21))
LINK_SCHEMES = ("http", "https")


def escape_html(text) -> str:
    """Text made safe for HTML content and quoted attributes; None gives ''.

    An object that is already HTML (markupsafe.Markup, anything with `__html__`) is kept as is,
    so templates and this rule can be mixed without double escaping.
    """
    if text is None:
        return ""
    if hasattr(text, "__html__"):
        return str(text.__html__())
    return html.escape(str(text), quote=True)


def safe_href(url) -> str | None:
    """`url` cleaned the way a browser would read it, if it is an absolute http(s) link; else None."""
    if not isinstance(url, str):
        return None
    cleaned = _URL_DROPPED.sub("", url).strip(_URL_EDGES)
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # e.g. an unbalanced '[' in the host
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return None
    return cleaned


def link_html(url, text=None) -> str:
    """`<a href>` for an http(s) `url`, else the escaped text alone (the URL shown, never followed)."""
    label = escape_html(url if text is None else text)
    href = safe_href(url)
    if href is None:
        return label
    return f'<a href="{escape_html(href)}" rel="noopener noreferrer">{label}</a>'


def is_number_text(text: str) -> bool:
    """True for text that is just a number a spreadsheet should read as one ("-12,5", "+33")."""
    return bool(_NUMBER.match(text.strip(_LEADING_BLANKS)))


def neutralise_formula(value):
    """'=HYPERLINK(…)' -> "'=HYPERLINK(…)"; numbers, non-text values and harmless text unchanged."""
    if not isinstance(value, str) or value in _PLACEHOLDERS:
        return value
    visible = value.lstrip(_LEADING_BLANKS)
    risky = value.startswith(_ALWAYS_NEUTRALISED_STARTS) or visible[:1] in FORMULA_CHARACTERS
    if risky and not is_number_text(value):
        return "'" + value
    return value
