"""Datasette's interface in French (and English on request), translated as its templates load.

Pages are rendered without a server through Datasette's own test client.
"""

from __future__ import annotations

import asyncio
import re
from html.parser import HTMLParser
from pathlib import Path

import datasette
import pytest

from datactiviste.serve import describe, ui_strings
from datactiviste.serve.app import build_datasette
from datactiviste.serve.translate import (RULES, TranslatingLoader, Translator, plural_messages,
                                          translate_table_js, translate_template_source)
from tests.serve_fixtures import make_project_db

TEMPLATES = Path(datasette.__file__).parent / "templates"
QUERY = "select region, count(*) as n from depenses group by region"
# One URL per page type; the table page with a facet, a filter, a sort and a search.
PAGES = {
    "index": "/",
    "database": "/projet",
    "table": "/projet/depenses?_facet=region&montant__gt=1000&_sort_desc=montant&_search=Sant%C3%A9",
    "table-plain": "/projet/depenses",
    "row": "/projet/communes/01001",
    "query": "/projet?sql=" + QUERY.replace(" ", "+"),
    "query-error": "/projet?sql=select+*+from+nope",
    "error-table": "/projet/nope",
    "error-database": "/nope",
    "database-hidden": "/projet?_show_hidden=1",
    "view": "/projet/depenses_par_region",
    "table-date-facet": "/projet/depenses?_facet_date=date_paiement&_facet=poste&poste=Sant%C3%A9",
    "table-next-page": "/projet/depenses?_next=50",
    "query-too-big": "/projet/depenses?_size=100000",
}


@pytest.fixture(scope="module")
def project_db(tmp_path_factory) -> Path:
    return make_project_db(tmp_path_factory.mktemp("serve") / "projet.db")


def render(ds, path: str):
    async def get():
        return await ds.client.get(path)
    return asyncio.run(get())


class _VisibleText(HTMLParser):
    """The words a reader sees: text nodes and labelled attributes, without scripts and data."""

    SKIP = {"script", "style", "textarea", "pre", "code", "td", "th", "option"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        for key, value in attrs:
            if key in ("title", "placeholder", "aria-label", "alt") and value \
                    and not value.lower().startswith("select "):  # a link's SQL is data
                self.parts.append(value)
            if key == "value" and value and dict(attrs).get("type") in ("submit", "button"):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data.strip()))  # keep no-break spaces


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " | ".join(parser.parts)


def english_phrases() -> dict[str, re.Pattern]:
    """Every English UI string we know of whose French differs, as a whole-phrase pattern."""
    french = Translator("fr")
    phrases = {}
    for message in ui_strings.TEMPLATE_TEXT + ui_strings.PYTHON_TEXT:
        if "{" in message or french.gettext(message) == message:
            continue
        phrases[message] = re.compile(r"(?<![\w-])" + re.escape(message) + r"(?![\w-])")
    for singular, plural in [("{count} row", "{count} rows"), ("{count} table", "{count} tables"),
                             ("{count} view", "{count} views"), ("{count} hidden table", "")]:
        for form in filter(None, (singular, plural)):
            word = form.replace("{count} ", "")
            if french.ngettext(singular, plural or singular + "s", 2).endswith(word):
                continue
            phrases[form] = re.compile(r"\d " + re.escape(word) + r"\b")
    for english in ("Powered by", "Error", "where", "sorted by", "descending", "not found",
                    "Queries took", "search matches"):
        phrases.setdefault(english, re.compile(r"(?<![\w-])" + re.escape(english) + r"(?![\w-])"))
    return phrases


def english_left(html: str, data: tuple[str, ...] = ()) -> list[str]:
    text = visible_text(html)
    for value in data:  # user data (SQL, table names) may be English: not the interface
        text = text.replace(value, "")
    return sorted(name for name, pattern in english_phrases().items() if pattern.search(text))


def test_every_page_type_renders_in_french_with_no_english_left(project_db):
    ds = build_datasette([project_db], "fr")
    leftovers = {}
    for name, path in PAGES.items():
        response = render(ds, path)
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        assert '<html lang="fr">' in response.text
        found = english_left(response.text, data=(QUERY, "select * from nope"))
        if found:
            leftovers[name] = found
    assert leftovers == {}, f"English left on French pages: {leftovers}"
    # the loader saw every English text node of the templates it loaded and knew each one
    assert ds.datactiviste_options.loader.untranslated == set()


def test_french_pages_say_what_they_show(project_db):
    ds = build_datasette([project_db], "fr")
    table = visible_text(render(ds, PAGES["table"]).text)
    assert "lignes où" in table or "ligne où" in table
    assert "la recherche correspond à « Santé »" in table
    assert "montant > 1000" in table and "triées par montant (ordre décroissant)" in table
    assert "Rechercher :" in table and "Appliquer" in table and "Export avancé" in table
    index = visible_text(render(ds, "/").text)
    assert re.search(r"128 lignes dans 2 tables", index)
    database = visible_text(render(ds, "/projet").text)
    assert "Requête SQL personnalisée" in database and "Exécuter le SQL" in database
    row = visible_text(render(ds, "/projet/communes/01001").text)
    assert "Liens depuis d’autres tables" in row and "par code_commune dans depenses" in row
    query = visible_text(render(ds, PAGES["query"]).text)
    assert "Requête SQL personnalisée renvoyant 5 lignes" in query
    error = render(ds, "/projet/nope")
    assert error.status_code == 404 and "Table introuvable" in visible_text(error.text)
    sql_error = visible_text(render(ds, PAGES["query-error"]).text)
    assert "Erreur SQL : aucune table nommée nope" in sql_error


def test_english_on_request_is_datasettes_own_wording(project_db):
    ds = build_datasette([project_db], "en")
    table = render(ds, PAGES["table"]).text
    text = visible_text(table)
    assert '<html lang="en">' in table
    assert "Advanced export" in text and "Search:" in text
    assert 'where search matches "Santé" and montant > 1000 sorted by montant descending' in text
    index = visible_text(render(ds, "/").text)
    assert "128 rows in 2 tables" in index and "Powered by" in index
    assert "Lignes" not in text and "Rechercher" not in text


def test_numbers_use_french_grouping(tmp_path):
    path = make_project_db(tmp_path / "projet.db", rows=1500)
    text = visible_text(render(build_datasette([path], "fr"), "/projet").text)
    assert "1\u00a0500 lignes" in text


def test_table_menu_script_is_translated_from_the_installed_file(project_db):
    ds = build_datasette([project_db], "fr")
    page = render(ds, "/projet/depenses").text
    script = re.search(r'<script src="([^"]+table-fr\.js)"', page)
    assert script, "the table page must load the translated column menu"
    js = render(ds, script.group(1))
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert ">Trier par ordre croissant<" in js.text and ">Sort ascending<" not in js.text
    assert "`Type : ${" in js.text
    original = (Path(datasette.__file__).parent / "static" / "table.js").read_text()
    for message in ["Sort ascending", "Facet by this", "Remove this filter", "`Type: ${"]:
        assert message in original, f"Datasette changed table.js: {message!r} is gone"
    assert translate_table_js(original, Translator("en")) == original


def test_rules_still_match_datasettes_templates():
    """A Datasette upgrade that changes a rewritten snippet must be noticed, not silently skipped."""
    stale = [(template, snippet) for template, snippet, _r in RULES
             if snippet not in (TEMPLATES / template).read_text()]
    assert stale == []


def test_plural_rewrite_covers_every_plural_and_the_catalog_has_them():
    from datactiviste.serve.translate import _catalog_for

    found = set()
    for template in TEMPLATES.glob("*.html"):
        found.update(plural_messages(template.read_text()))
    assert ("{count} row", "{count} rows") in found
    missing = found - set(_catalog_for("fr")["plural"])
    assert missing == set(), f"no French for {missing}"


def test_loader_rewrites_text_attributes_and_plurals_but_not_code():
    source = ('{% block body_class %}table db-{{ x }}{% endblock %}<p>Next page</p>'
              '<input type="submit" value="Apply"><input type="hidden" name="sql" value="select * from t">'
              '<textarea>select * from t</textarea><script>var s = "Next page";</script>'
              '{{ "{:,}".format(n) }} row{% if n == 1 %}{% else %}s{% endif %} Unknown words')
    untranslated = set()
    known = {"Next page", "Apply"}.__contains__
    out = translate_template_source("x.html", source, known, untranslated)
    assert '<p>{{ _("Next page") }}</p>' in out
    assert 'value="{{ _("Apply") }}"' in out
    assert 'value="select * from t"' in out and "<textarea>select * from t</textarea>" in out
    assert 'var s = "Next page";' in out
    assert "table db-{{ x }}" in out
    assert '_n("{count} row", "{count} rows", n).format(count=dt_number(n))' in out
    assert untranslated == {("x.html", "Unknown words")}


def test_describe_matches_datasette_in_english():
    from datasette.filters import Filters

    filters = Filters([("a__contains", "x"), ("b__gte", "3"), ("c", "7"), ("d__isnull", "1")])
    english = Translator("en")
    ours = describe.describe_table(english, filters, sort="a")
    theirs = filters.human_description_en() + " sorted by a"
    assert ours == theirs
    assert describe.describe_table(Translator("fr"), filters) == \
        "où a contient « x », b ≥ 3, c = 7 et d est vide (nul)"


def test_unknown_errors_are_left_as_written():
    french = Translator("fr")
    assert describe.translate_error(french, "Table not found") == "Table introuvable"
    assert describe.translate_error(french, "something new") == "something new"


def test_loader_passes_list_templates_through():
    from jinja2 import DictLoader

    loader = TranslatingLoader(DictLoader({"a.html": "<p>Apply</p>"}), known={"Apply"}.__contains__)
    assert loader.list_templates() == ["a.html"]


def test_home_page_lists_the_workshop_lessons_in_the_page_language(project_db):
    french = visible_text(render(build_datasette([project_db], "fr"), "/").text)
    assert "Les leçons de l’atelier" in french and "Module 1" in french
    assert "datactiviste lesson start 1" in render(build_datasette([project_db], "fr"), "/").text
    english = visible_text(render(build_datasette([project_db], "en"), "/").text)
    assert "The workshop lessons" in english


def test_csv_export_links_of_datasette_keep_working(project_db):
    ds = build_datasette([project_db], "fr")
    page = render(ds, "/projet/depenses?region=Dakar").text
    link = re.search(r'href="([^"]+\.csv[^"]*)"', page)
    assert link, "the table page must keep Datasette's CSV link"
    response = render(ds, link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200 and "text/plain" in response.headers["content-type"] \
        or "text/csv" in response.headers["content-type"]
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("id,code_commune") and len(lines) == 31


def test_two_databases_with_the_same_name_are_both_served(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_project_db(tmp_path / "a" / "projet.db", rows=3)
    second = make_project_db(tmp_path / "b" / "projet.db", rows=4)
    ds = build_datasette([first, second], "fr")
    assert {"projet", "projet_2"} <= set(ds.databases)
    text = visible_text(render(ds, "/projet_2/depenses").text)
    assert "4 lignes" in text
