"""Translate Datasette's own English templates as they load, through our gettext catalogs.

Nothing of Datasette is copied: `TranslatingLoader` wraps Datasette's Jinja2 loader and
rewrites each template's source before Jinja compiles it:

1. `RULES`: a few exact snippets of Datasette 0.65.5 that mix English with template code
   ("from {{ column }} in {{ table }}") become one gettext call with placeholders;
2. English plurals written as `{{ n }} row{% if n != 1 %}s{% endif %}` become
   `_n("{count} row", "{count} rows", n)`; Python's `"{:,}".format(n)` becomes `dt_number(n)`
   (French "1 234");
3. every remaining text node and user-visible attribute (value, title, placeholder,
   aria-label) whose text is a message of our catalog becomes `{{ _("…") }}`.

The same pass applies `layout.LAYOUT_RULES` (panels folded on phones), after `RULES`.

The calls are evaluated at render time with the instance's `Translator`, so `--lang en`
renders English from the same rewritten templates. Text left in English is recorded in
`TranslatingLoader.untranslated`: the tests fail on it, which is how a Datasette upgrade
shows the catalog entries it needs.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from jinja2 import BaseLoader

from datactiviste.i18n import LOCALE_DIR, plural_index
from datactiviste.i18n.catalog import load_catalog
from datactiviste.serve.layout import LAYOUT_RULES, squeeze


class Translator:
    """gettext/ngettext for one language, independent of the process-wide language."""

    def __init__(self, language: str):
        self.language = language
        self._catalog = _catalog_for(language)

    def gettext(self, message: str) -> str:
        if not message:
            return message
        return self._catalog["singular"].get(message, message)

    def ngettext(self, singular: str, plural: str, n) -> str:
        try:
            count = int(n or 0)
        except (TypeError, ValueError):
            count = 0
        index = plural_index(count, self.language)
        forms = self._catalog["plural"].get((singular, plural))
        if forms:
            return forms[min(index, len(forms) - 1)]
        return singular if index == 0 else plural



@lru_cache(maxsize=None)
def _catalog_for(language: str) -> dict:
    return load_catalog(sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")))


# Snippets of Datasette 0.65.5 templates that mix English words and template code. Each must
# still be found in Datasette's templates (tests/test_serve_i18n.py checks it on upgrade).
RULES: list[tuple[str, str, str]] = [
    ("base.html", "<html>", '<html lang="{{ dt_lang }}">'),
    ("base.html", '<section class="content">', '<section class="content">{{ dt_banner }}'),
    ("index.html",
     '{% block description_source_license %}{% include "_description_source_license.html" %}{% endblock %}',
     '{% block description_source_license %}{% include "_description_source_license.html" %}{% endblock %}'
     "{{ dt_search_form() }}{{ dt_upload_form() }}{{ dt_lessons() }}"),
    ("row.html",
     "from {{ other.other_column }} in {{ other.other_table }}",
     '{{ _("from {column} in {table}").format(column=other.other_column, table=other.other_table) }}'),
    ("error.html",
     "{% if title %}{{ title }}{% else %}Error {{ status }}{% endif %}",
     '{% if title %}{{ dt_error(title) }}{% else %}{{ _("Error {status}").format(status=status) }}{% endif %}'),
    ("error.html", "{{ error }}", "{{ dt_error(error) }}"),
    ("query.html", "<p class=\"message-error\">{{ error }}</p>",
     "<p class=\"message-error\">{{ dt_error(error) }}</p>"),
    ("query.html", "{{ show_hide_text }}", "{{ _(show_hide_text) }}"),
    ("_crumbs.html", "{{ item.label }}", "{{ _(item.label) if loop.first else item.label }}"),
    ("table.html", "{{ human_description_en }}",
     "{{ dt_describe(filters, search, sort, sort_desc, human_description_en) }}"),
    ("table.html", "{{ display }}", "{{ _(display) }}"),
    # the row-link column Datasette adds first to a rowid table (a real column is never it)
    ("_table.html", "{% if not column.sortable %}\n                            {{ column.name }}",
     "{% if not column.sortable %}\n                            "
     '{{ _(column.name) if loop.first and column.name == "Link" and not column.is_pk else column.name }}'),
    ("table.html", "{{ urls.static('table.js') }}", "{{ dt_table_js() }}"),
    ("table.html", "Sort by {{ column.name }}",
     '{{ _("Sort by {column}").format(column=column.name) }}'),
    ("_facet_results.html", "({{ facet_info.type }})", "({{ _(facet_info.type) }})"),
    ("_suggested_facets.html", "({{ facet.type }})", "({{ _(facet.type) }})"),
    ("_footer.html", "Queries took {{ query_ms|round(3) }}ms",
     '{{ _("Queries took {ms} ms").format(ms=dt_number(query_ms, 1)) }}'),
]

_PLURAL = re.compile(
    r"\{\{\s*(?P<expr>(?:(?!\}\}).)+?)\s*\}\}(?P<space>[ \t]*)(?P<word>[a-z][a-z ]*?)"
    r"\{%-?\s*if\s+(?P<n>[^%]+?)\s*(?P<op>==|!=)\s*1\s*-?%\}"
    r"(?:\{%-?\s*else\s*-?%\})?s\{%-?\s*endif\s*(?P<strip>-?)%\}", re.S)
_THOUSANDS = re.compile(r"""["']\{:,\}["']\.format\(""")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_HTML_TAG = re.compile(r"<[^>]*>")
_SLOT = re.compile(r"\x00(\d+)\x00")
_ATTRIBUTE = re.compile(r"""(\s(?:value|title|placeholder|aria-label|alt)=")([^"]*)(")""")
_ENTITY = re.compile(r"(&#?\w+;)")
# Template code that renders no words: CSS classes of <body>, kept out of translation whole.
_CODE_BLOCK = re.compile(r"\{%-?\s*block\s+body_class\s*-?%\}.*?\{%-?\s*endblock\s*-?%\}", re.S)
# Elements whose content is code or user data (SQL), never interface text.
_RAW_ELEMENTS = ("script", "style", "textarea", "pre")
_WORDY = re.compile(r"[A-Za-z]{2,}")
# Words that are names, not English: left as they are in every language.
NOT_ENGLISH = frozenset({"Datasette", "Datasette v", "CSV", "JSON", "SQL", "SQLite", "Menu", ".db"})


def _plural_call(match: re.Match) -> str:
    word = match["word"]
    expression = _THOUSANDS.sub("dt_number(", match["expr"])
    strip = "-" if match["strip"] else ""
    return (f'{{{{ _n({json.dumps("{count} " + word)}, {json.dumps("{count} " + word + "s")}, '
            f'{match["n"]}).format(count={expression}) {strip}}}}}')


def plural_messages(source: str) -> list[tuple[str, str]]:
    """The (singular, plural) message ids the plural rewrite produces for `source`."""
    return [("{count} " + m["word"], "{count} " + m["word"] + "s") for m in _PLURAL.finditer(source)]


def _gettext_call(message: str) -> str:
    return "{{ _(" + json.dumps(message) + ") }}"


def translate_template_source(name: str, source: str, known, untranslated: set | None = None) -> str:
    """Rewrite one template's source so every English UI string goes through `_()` / `_n()`.

    `known(text)` says whether `text` is a message of our catalog; English text that is not
    is added to `untranslated` as (template name, text).
    """
    base = name.rsplit(":", 1)[-1]
    for template, snippet, replacement in RULES + LAYOUT_RULES:
        if template == base:
            source = source.replace(snippet, replacement)
    source = _PLURAL.sub(_plural_call, source)
    source = _THOUSANDS.sub("dt_number(", source)

    slots: list[str] = []

    def park(match: re.Match) -> str:
        slots.append(match.group(0))
        return f"\x00{len(slots) - 1}\x00"

    parked = _JINJA.sub(park, _CODE_BLOCK.sub(park, source))

    def translate_fragment(fragment: str) -> str:
        # A fragment is text between HTML tags and template tags: keep its spacing.
        text = " ".join(fragment.split())
        if not _WORDY.search(text) or text in NOT_ENGLISH:
            return fragment
        if known(text):
            lead = fragment[: len(fragment) - len(fragment.lstrip())]
            trail = fragment[len(fragment.rstrip()):]
            return lead + _gettext_call(text) + trail
        if untranslated is not None:
            untranslated.add((base, text))
        return fragment

    def translate_text(text: str) -> str:
        pieces = []
        for i, piece in enumerate(_SLOT.split(text)):
            if i % 2:
                pieces.append(f"\x00{piece}\x00")
            else:  # entities (&middot;, &nbsp;) separate words, they are not words
                pieces.extend(part if j % 2 else translate_fragment(part)
                              for j, part in enumerate(_ENTITY.split(piece)))
        return "".join(pieces)

    def translate_tag(tag: str) -> str:
        if re.search(r"""type=["']?hidden""", tag, re.I):
            return tag  # hidden form values are data (SQL), not words
        return _ATTRIBUTE.sub(lambda m: m[1] + translate_text(m[2]) + m[3], tag)

    out: list[str] = []
    position = 0
    raw_until = None  # inside <script>, <style>, <textarea>, <pre>: code or data, not text
    for match in _HTML_TAG.finditer(parked):
        text = parked[position:match.start()]
        tag = match.group(0)
        out.append(text if raw_until else translate_text(text))
        lowered = tag.lower()
        if raw_until:
            out.append(tag)
            if lowered.startswith(raw_until):
                raw_until = None
        else:
            out.append(translate_tag(tag))
            opened = re.match(r"<(%s)\b" % "|".join(_RAW_ELEMENTS), lowered)
            if opened:
                raw_until = "</" + opened.group(1)
        position = match.end()
    tail = parked[position:]
    out.append(tail if raw_until else translate_text(tail))
    return _SLOT.sub(lambda m: slots[int(m.group(1))], "".join(out))


class TranslatingLoader(BaseLoader):
    """Wraps Datasette's loader; every template's source is translated before it compiles."""

    def __init__(self, wrapped: BaseLoader, known=None):
        self.wrapped = wrapped
        self.known = known or (lambda text: text in _catalog_for("fr")["singular"])
        self.untranslated: set[tuple[str, str]] = set()

    def get_source(self, environment, template):
        source, filename, uptodate = self.wrapped.get_source(environment, template)
        translated = translate_template_source(template, source, self.known, self.untranslated)
        return squeeze(template, translated), filename, uptodate

    def list_templates(self):
        return self.wrapped.list_templates()


# table.js builds the column menu from English strings; we serve a translated copy of the
# installed file (read at run time, never stored in this repository).
JS_STRINGS = ["Sort ascending", "Sort descending", "Facet by this", "Hide this column",
              "Show all columns", "Show not-blank rows", "Remove this filter"]


def translate_table_js(source: str, translator: Translator) -> str:
    for message in JS_STRINGS:
        translated = translator.gettext(message)
        source = source.replace(f">{message}<", f">{translated}<")
        source = source.replace(f'"{message}"', json.dumps(translated))
    return source.replace("`Type: ${", "`" + translator.gettext("Type:").replace("`", "") + " ${")
