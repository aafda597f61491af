"""The phone layout's pieces that need no browser: which column descriptions show, the rewrites."""

from __future__ import annotations

import asyncio
from pathlib import Path

import datasette
import pytest

from datactiviste.serve.layout import FOLD_CLASS, LAYOUT_RULES, STYLESHEET_FILE, stylesheet
from datactiviste.serve.metadata import column_descriptions, says_more_than_name


@pytest.mark.parametrize("label,name", [
    ("identifiant", "identifiant"), ("Nom", "nom"), ("Code région", "code_region"),
    ("Montant (FCFA)", "montant_fcfa"), ("N° SIRET", "n_siret"), ("Œuvre", "oeuvre"),
    ("  Date de paiement ", "date_de_paiement"), ("population_2023", "population_2023"),
])
def test_a_header_that_only_spells_the_name_says_nothing_more(label, name):
    assert not says_more_than_name(label, name)


@pytest.mark.parametrize("label,name", [
    ("Poste de dépense", "poste"),                   # renamed or shortened
    ("Date de paiement", "date_paiement"),           # a word dropped
    ("Montant " + "très " * 20 + "long", "montant_tres_tres_tres_tres_tres_tres_tres_tres_tres_tres"),
    ("Population", "population_2"),                  # a duplicate header numbered
])
def test_a_header_that_says_more_is_kept(label, name):
    assert says_more_than_name(label, name)


def test_units_count_in_the_comparison():
    columns = [{"name": "montant", "label": "Montant", "unit": "FCFA"},
               {"name": "montant_fcfa", "label": "Montant", "unit": "FCFA"},
               {"name": "region", "label": "Région"}]
    assert column_descriptions(columns) == {"montant": "Montant (FCFA)"}


def test_layout_rules_still_match_datasettes_templates():
    """A Datasette upgrade that changes a rewritten snippet must be noticed, not silently skipped."""
    templates = Path(datasette.__file__).parent / "templates"
    stale = [(t, s) for t, s, _r in LAYOUT_RULES if s not in (templates / t).read_text()]
    assert stale == []


def test_served_stylesheet_is_the_file_without_comments():
    source = STYLESHEET_FILE.read_text(encoding="utf-8")
    served = stylesheet()
    assert "/*" not in served and len(served) < 0.8 * len(source)
    assert served.count("{") == served.count("}") == source.count("{")


def test_pages_fold_their_panels_in_the_html(tmp_path):
    """Folded in the HTML (a phone never lays them out); the script opens them on wide screens."""
    from datactiviste.serve.app import build_datasette
    from tests.serve_fixtures import make_project_db

    ds = build_datasette([make_project_db(tmp_path / "projet.db", rows=10)], "fr")

    async def get(path):
        return (await ds.client.get(path)).text

    html = asyncio.run(get("/projet/depenses?_facet=region&region=Dakar"))
    assert f'<details class="dt-about {FOLD_CLASS}">' in html
    assert f'<details class="{FOLD_CLASS} dt-columns">' in html
    assert html.count(f'<details class="{FOLD_CLASS} dt-facet" open>') == 1  # a value is chosen
    assert f"details.{FOLD_CLASS}" in html  # the script that opens them on a wide screen
    assert 'autocapitalize="off"' in asyncio.run(get("/projet"))


def test_the_rows_template_loses_its_whitespace_not_its_words(tmp_path):
    from datactiviste.serve.app import build_datasette
    from datactiviste.serve.layout import squeeze
    from tests.serve_fixtures import make_project_db

    source = (Path(datasette.__file__).parent / "templates" / "_table.html").read_text()
    squeezed = squeeze("_table.html", source)
    assert "\n" not in squeezed and len(squeezed) < 0.75 * len(source)
    assert squeeze("table.html", source) == source  # only the templates that repeat per cell
    ds = build_datasette([make_project_db(tmp_path / "projet.db", rows=10)], "fr")
    html = asyncio.run(ds.client.get("/projet/depenses")).text
    rows = html[html.index("<table"):html.index("</table>")]
    assert "\n" not in rows
    assert ">montant</a></th>" in rows and ">Dakar</td>" in rows and "rel=\"nofollow\">" in rows
