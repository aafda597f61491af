"""The directive engine (datactiviste.facts): syntax, numbers the reader's way, errors with the line."""

from __future__ import annotations

import sqlite3

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.facts import evaluate, parse
from datactiviste.facts.markdown import evaluation_html
from tests.dossier_helpers import ELECTIONS, sample_database


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return sample_database(tmp_path_factory.mktemp("facts") / "datactiviste.db")


@pytest.fixture
def connection(database):
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    yield connection
    connection.close()


def error_of(text, connection, tmp_path) -> DatactivisteError:
    with pytest.raises(DatactivisteError) as caught:
        evaluate(text, connection, "fr", base_dir=tmp_path, path="dossier.md")
    return caught.value


def test_french_and_english_names_options_and_lines():
    text = ("Intro\n\n{{ nombre: SELECT a || b FROM t | FCFA | décimales=1 }}\n"
            "{{ number: SELECT 1 | decimals=2 }} and {{ tableau: SELECT 1 | lignes=3 | "
            "titre=\"a | b\" }}\n{{ graphique: voix.json | titre='x' }} {{ map: SELECT 1 | "
            "region=r }} {{ source: budget }}")
    directives = parse(text)
    assert [d.kind for d in directives] == ["number", "number", "table", "chart", "map", "source"]
    assert [d.line for d in directives] == [3, 4, 4, 5, 5, 5]
    assert directives[0].body == "SELECT a || b FROM t"
    assert directives[0].options == {"unit": "FCFA", "decimals": "1"}
    assert directives[2].options == {"rows": "3", "title": "a | b"}
    assert directives[3].options == {"title": "x"}


def test_directives_shown_in_code_are_not_evaluated():
    text = "Write `{{ nombre: SELECT 1 }}`.\n\n```\n{{ tableau: SELECT 2 }}\n```\n{{ nombre: SELECT 3 }}"
    assert [d.body for d in parse(text)] == ["SELECT 3"]


@pytest.mark.parametrize("text, message, hint, line", [
    ("a\n\n{{ nombr: SELECT 1 }}", "Directive « nombr » inconnue", "nombre", 3),
    ("a\n{{ nombre: SELECT 1", "n'est pas fermée", "}}", 2),
    ("{{ tableau: SELECT 1 | lignez=3 }}", "Option « lignez » inconnue", "lignes", 1),
    ("{{ tableau: SELECT 1 | 3 }}", "demande un nom et une valeur", "lignes", 1),
    ("{{ nombre:  }}", "est vide", "nombre", 1),
])
def test_syntax_errors_name_the_line_and_suggest(text, message, hint, line):
    with pytest.raises(DatactivisteError) as caught:
        parse(text, "dossier.md")
    assert message in caught.value.message
    assert hint in (caught.value.hint or "")
    assert (caught.value.path, caught.value.line) == ("dossier.md", line)


def test_numbers_are_written_the_readers_way(connection, tmp_path):
    text = (f"{{{{ nombre: SELECT sum(voix) FROM {ELECTIONS} | voix }}}} / "
            f"{{{{ nombre: SELECT 100.0 * 7036 / 26818 | % | décimales=1 }}}} / "
            f"{{{{ nombre: SELECT liste FROM {ELECTIONS} GROUP BY liste ORDER BY sum(voix) DESC LIMIT 1 }}}}")
    french = evaluate(text, connection, "fr", base_dir=tmp_path)
    assert french.plain() == "26\u00a0818\u00a0voix / 26,2\u00a0% / Liste Fleuve"
    english = evaluate(text, connection, "en", base_dir=tmp_path)
    assert english.plain() == "26,818\u00a0voix / 26.2% / Liste Fleuve"
    assert [f.value for f in french.facts][0] == 26818
    assert french.facts[0].tables == [ELECTIONS]


def test_table_shows_at_most_n_rows_and_keeps_every_row_for_the_appendix(connection, tmp_path):
    text = f"{{{{ tableau: SELECT bureau, inscrits FROM {ELECTIONS} | lignes=3 }}}}"
    result = evaluate(text, connection, "fr", base_dir=tmp_path)
    html = evaluation_html(result, tmp_path, "fr")
    assert html.count("<tr>") == 1 + 3
    assert len(result.facts[0].rows) == 292
    assert "3 premières lignes sur 292" in html


@pytest.mark.parametrize("directive, message, hint", [
    ("{{ nombre: SELECT sum(voix FROM resultats_municipales_fictives }}", "syntaxe", None),
    ("{{ nombre: SELECT count(*) FROM resultats_municipales }}", "Pas de table « resultats_municipales »",
     "resultats_municipales_fictives"),
    ("{{ nombre: SELECT sum(voixx) FROM resultats_municipales_fictives }}", "Pas de colonne « voixx »",
     "voix"),
    ("{{ nombre: SELECT liste, sum(voix) FROM resultats_municipales_fictives GROUP BY liste }}",
     "4 lignes et 2 colonnes", "tableau"),
    ("{{ graphique: absent.json }}", "introuvable", "datactiviste chart"),
    ("{{ nombre: DELETE FROM resultats_municipales_fictives }}", "SELECT", None),
    ("{{ nombre: SELECT 1; DROP TABLE resultats_municipales_fictives }}", "une seule requête", None),
    ("{{ nombre: SELECT 1 | décimales=x }}", "décimales", None),
])
def test_bad_directives_give_a_french_message_with_the_line(connection, tmp_path, directive,
                                                             message, hint):
    error = error_of(f"# Titre\n\nTexte.\n\n{directive}\n", connection, tmp_path)
    assert message in error.message
    assert error.line == 5 and error.path == "dossier.md"
    if hint:
        assert hint in error.hint
    assert "Traceback" not in error.message and "no such" not in error.message


def test_chart_and_map_errors_from_their_engines_get_the_directive_line(connection, tmp_path):
    chart = error_of(f"a\n{{{{ graphique: SELECT liste, voix FROM {ELECTIONS} | y=voixx }}}}",
                     connection, tmp_path)
    assert chart.line == 2 and "voix" in (chart.hint or chart.message)
    bad_map = error_of(f"a\n\n{{{{ carte: SELECT region, 1 AS n FROM {ELECTIONS} | "
                       "region=regionx | valeur=n }}", connection, tmp_path)
    assert bad_map.line == 3 and "regionx" in bad_map.message


def test_empty_answers_are_facts_not_errors(connection, tmp_path):
    text = (f"{{{{ nombre: SELECT max(voix) FROM {ELECTIONS} WHERE 0 }}}}\n\n"
            f"{{{{ graphique: SELECT liste, voix FROM {ELECTIONS} WHERE 0 | titre=\"Rien\" }}}}\n\n"
            f"{{{{ carte: SELECT region, voix FROM {ELECTIONS} WHERE 0 | region=region }}}}")
    result = evaluate(text, connection, "fr", base_dir=tmp_path)
    assert [f.empty for f in result.facts] == [True, True, True]
    assert result.plain().startswith("(aucune valeur)")
    html = evaluation_html(result, tmp_path, "fr")
    assert html.count("aucune donnée : la requête ne renvoie aucune ligne") == 2
    assert all(f.warnings for f in result.facts)


def test_too_many_directives_are_refused():
    with pytest.raises(DatactivisteError) as caught:
        parse("{{ nombre: SELECT 1 }}\n" * 501, "dossier.md")
    assert "500" in caught.value.message and caught.value.line == 501


def test_markdown_has_no_raw_html_and_only_safe_links(connection, tmp_path):
    text = ("<script>alert(1)</script>\n\n[a](javascript:alert(1)) [b](https://example.org) "
            "[c](#method) ![x](https://tracker.example/pixel.png)")
    html = evaluation_html(evaluate(text, connection, "fr", base_dir=tmp_path), tmp_path, "fr")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html.replace("[a](javascript:alert(1))", "")
    assert 'href="https://example.org"' in html and 'href="#method"' in html
    assert "tracker.example" not in html and "[x]" in html


def test_hostile_values_are_escaped_in_numbers_and_tables(connection, tmp_path):
    text = "{{ nombre: SELECT '<img src=x onerror=alert(1)>' }}\n\n{{ tableau: SELECT '<b>x</b>' AS \"<i>\" }}"
    html = evaluation_html(evaluate(text, connection, "fr", base_dir=tmp_path), tmp_path, "fr")
    assert "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;img src=x" in html


def test_a_saved_chart_spec_is_drawn_on_the_dossiers_database(connection, tmp_path):
    from datactiviste.charts.spec import ChartSpec

    spec = ChartSpec(type="bar", x="liste", y="voix", db="ailleurs/absente.db",
                     sql=f"SELECT liste, sum(voix) AS voix FROM {ELECTIONS} GROUP BY liste",
                     title="Titre enregistré")
    (tmp_path / "voix.json").write_text(spec.to_json(), encoding="utf-8")
    result = evaluate("{{ graphique: voix.json }}\n\n{{ graphique: voix.json | titre=\"Fleuve en tête\" }}",
                      connection, "fr", base_dir=tmp_path)
    saved, overridden = result.facts
    assert saved.title == "Titre enregistré" and overridden.title == "Fleuve en tête"
    assert saved.tables == [ELECTIONS] and saved.sql.startswith("SELECT liste")
    assert saved.labels[0] == "Liste Fleuve" and saved.values[0] == 7036
    assert "<svg" in saved.html and 'id="f0-' in saved.html and 'id="f1-' in overridden.html


@pytest.mark.parametrize("query", ["SELECT length(printf('%.*c', 2000000000, 'x'))",
                                   "SELECT length(zeroblob(1000000000))",
                                   "SELECT length(replace(printf('%.50000c', 'a'), 'a', printf('%.5000c', 'b')))"])
def test_a_hostile_query_fails_fast_with_a_french_message(connection, tmp_path, query):
    import time

    started = time.monotonic()
    error = error_of(f"{{{{ nombre: {query} }}}}", connection, tmp_path)
    assert time.monotonic() - started < 3
    assert "valeur trop grande" in error.message and error.line == 1
