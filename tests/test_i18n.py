"""Every user-facing message exists in French and English; the language rule holds."""

import importlib.util
import sys

import pytest

from datactiviste import i18n
from datactiviste.i18n import _, ngettext, resolve_language, set_language
from datactiviste.i18n.catalog import parse_po, write_po
from tests.conftest import ROOT


def _load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_catalogs_are_up_to_date_with_the_code():
    update = _load_script("update_catalogs")
    stale = [str(p) for p, text in update.updated_catalogs().items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert stale == [], "run `make i18n` (scripts/update_catalogs.py) and translate: " + ", ".join(stale)


def test_every_message_has_a_french_translation():
    untranslated = []
    for po in sorted((i18n.LOCALE_DIR / "fr" / "LC_MESSAGES").glob("*.po")):
        for entry in parse_po(po.read_text(encoding="utf-8")):
            if not entry.msgid:
                continue
            if entry.msgid_plural is not None:
                if not all(entry.msgstr_plural.values()):
                    untranslated.append(f"{po.name}: {entry.msgid}")
            elif not entry.msgstr:
                untranslated.append(f"{po.name}: {entry.msgid}")
    assert untranslated == []


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"\{[^{}]*\}|%\([a-z]+\)s")
    broken = []
    for po in sorted((i18n.LOCALE_DIR / "fr" / "LC_MESSAGES").glob("*.po")):
        for entry in parse_po(po.read_text(encoding="utf-8")):
            if entry.msgstr and sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr)):
                broken.append(entry.msgid)
    assert broken == []


def test_language_rule_order(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert resolve_language(None) == "en"
    monkeypatch.setenv("DATACTIVISTE_LANG", "fr")
    assert resolve_language(None) == "fr"
    assert resolve_language("en") == "en"
    monkeypatch.delenv("DATACTIVISTE_LANG")
    monkeypatch.setenv("LANG", "wo_SN.UTF-8")  # Wolof: not available, French is the default
    assert resolve_language(None) == "fr"
    monkeypatch.setenv("LANG", "C")
    assert resolve_language(None) == "fr"


def test_translation_and_plurals_follow_the_language():
    set_language("fr")
    assert _("Error: {message}") == "Erreur : {message}"
    one = ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    zero = ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 0)
    many = ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2)
    assert one == zero == "Argument en trop inattendu ({args})"  # French: 0 is singular
    assert many == "Arguments en trop inattendus ({args})"
    set_language("en")
    assert _("Error: {message}") == "Error: {message}"
    assert ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 0) \
        == "Got unexpected extra arguments ({args})"


def test_po_round_trip_keeps_entries():
    text = (ROOT / "datactiviste/i18n/locale/fr/LC_MESSAGES/core.po").read_text(encoding="utf-8")
    entries = parse_po(text)
    again = parse_po(write_po(entries, "fr"))
    assert [(e.msgid, e.msgstr, e.msgstr_plural) for e in entries if e.msgid] == \
           [(e.msgid, e.msgstr, e.msgstr_plural) for e in again if e.msgid]


@pytest.mark.parametrize("text", ['a "quoted" word', "tab\there", "two\nlines\n", "back\\slash"])
def test_po_escaping(text):
    from datactiviste.i18n.catalog import Entry

    (entry,) = [e for e in parse_po(write_po([Entry(msgid=text, msgstr=text)], "fr")) if e.msgid]
    assert entry.msgid == text and entry.msgstr == text
