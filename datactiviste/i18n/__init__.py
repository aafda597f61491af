"""Translation of every user-facing word, French first.

Message ids are English; `locale/fr/LC_MESSAGES/*.po` translate them to French and
`locale/en/...` keep the English side explicit. The language comes from `--lang`, then
`DATACTIVISTE_LANG`, then the system locale, else French (see `resolve_language`).

Catalogs are split by component (core, ingest, serve, maps, charts, lessons, packaging) so that
each part of the code base owns one file; they are merged at load time.
"""

from __future__ import annotations

import locale as _locale
import os
from pathlib import Path

from datactiviste.i18n.catalog import load_catalog

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALE_DIR = Path(__file__).parent / "locale"

_state: dict = {"language": None, "catalog": None}


def _system_language() -> str | None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value:
            return value
    if os.name != "nt":
        # Elsewhere the variables above are the locale; getlocale() would report the C.UTF-8
        # fallback as en_US and switch a French machine to English.
        return None
    try:  # Windows has no LANG: ask the OS ('French_France' -> fr)
        return _locale.getlocale()[0]
    except ValueError:
        return None


def normalise_language(value: str | None) -> str | None:
    """'fr_SN.UTF-8' -> 'fr', 'English_United States' -> 'en', unknown -> None."""
    if not value:
        return None
    code = value.strip().lower().replace("-", "_")
    if code.startswith(("fr", "french", "français", "francais")):
        return "fr"
    if code.startswith(("en", "english", "anglais")):
        return "en"
    return None


def resolve_language(explicit: str | None = None) -> str:
    """The language rule: --lang, then DATACTIVISTE_LANG, then the system locale, else French."""
    for candidate in (explicit, os.environ.get("DATACTIVISTE_LANG"), _system_language()):
        language = normalise_language(candidate)
        if language:
            return language
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Switch the process language (None re-applies the environment rule)."""
    resolved = resolve_language(language)
    if resolved != _state["language"]:
        _state["language"] = resolved
        _state["catalog"] = None
    return resolved


def get_language() -> str:
    if _state["language"] is None:
        set_language(None)
    return _state["language"]


def _catalog() -> dict:
    if _state["catalog"] is None:
        folder = LOCALE_DIR / get_language() / "LC_MESSAGES"
        _state["catalog"] = load_catalog(sorted(folder.glob("*.po")))
    return _state["catalog"]


def gettext(message: str) -> str:
    if not message:
        return message
    return _catalog()["singular"].get(message, message)


def plural_index(n: int, language: str | None = None) -> int:
    language = language or get_language()
    if language == "fr":
        return 0 if n in (0, 1) else 1
    return 0 if n == 1 else 1


def ngettext(singular: str, plural: str, n: int) -> str:
    forms = _catalog()["plural"].get((singular, plural))
    index = plural_index(n)
    if forms:
        return forms[min(index, len(forms) - 1)]
    return singular if index == 0 else plural


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated where shown)."""
    return message


_ = gettext


def translate_click() -> None:
    """Route click's own words (Usage:, Options:, errors) through our catalogs.

    click calls `gettext.gettext` from each of its modules; replacing that module attribute
    is the supported-by-practice way to localise it without a global gettext domain.
    """
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.termui, click.types):
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
