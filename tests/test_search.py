"""Full-text search: the columns chosen, French matching, kept in step, the CLI and the search page."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from datactiviste.find import plain, search_tables
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.search import TOKENIZE, enable_search, match_expression, searchable_columns
from tests.french_csv import NAMES, rows, write_french_csv

FRENCH_NAMES = ["Sénégal", "SENEGAL", "Sénégalaise", "l'école des filles", "L’École normale", "ECOLE",
                "Saint-Louis", "SAINT LOUIS", "Saint Louis du Sénégal", "Dakar", "Lycée Ndiaye"]


def _fts(connection, tokenize: str, names=FRENCH_NAMES):
    connection.execute("CREATE TABLE t (nom TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [(n,) for n in names])
    connection.execute(f'CREATE VIRTUAL TABLE t_fts USING fts5(nom, tokenize = "{tokenize}", content=t)')
    connection.execute("INSERT INTO t_fts(t_fts) VALUES ('rebuild')")


def _found(connection, query: str) -> set[str]:
    return {name for (name,) in connection.execute(
        "SELECT t.nom FROM t_fts JOIN t ON t.rowid = t_fts.rowid WHERE t_fts MATCH ?", (match_expression(query),))}


@pytest.mark.parametrize("query, expected", [
    ("senegal", {"Sénégal", "SENEGAL", "Sénégalaise", "Saint Louis du Sénégal"}),
    ("SÉNÉGAL", {"Sénégal", "SENEGAL", "Sénégalaise", "Saint Louis du Sénégal"}),
    ("ecole", {"l'école des filles", "L’École normale", "ECOLE"}),
    ("l'ecole", {"l'école des filles", "L’École normale"}),        # straight apostrophe finds the curly one too
    ("louis", {"Saint-Louis", "SAINT LOUIS", "Saint Louis du Sénégal"}),
    ("saint-louis", {"Saint-Louis", "SAINT LOUIS", "Saint Louis du Sénégal"}),
    ('"saint louis"', {"Saint-Louis", "SAINT LOUIS", "Saint Louis du Sénégal"}),
    ("lycee ndiaye", {"Lycée Ndiaye"}),
    ("dakar senegal", set()),                                        # every word must match
])
def test_french_words_match_without_accents_case_apostrophes_or_hyphens(query, expected):
    connection = sqlite3.connect(":memory:")
    _fts(connection, TOKENIZE)
    assert _found(connection, query) == expected


def test_apostrophe_and_hyphen_as_word_characters_would_lose_matches():
    """The measurement behind TOKENIZE: keeping ' and - inside words hides l'école and Saint-Louis."""
    connection = sqlite3.connect(":memory:")
    _fts(connection, "unicode61 remove_diacritics 2 tokenchars '''-'")   # ' and - inside words
    assert "l'école des filles" not in _found(connection, "ecole")
    assert "Saint-Louis" not in _found(connection, "louis")


@pytest.mark.parametrize("query", ['"', '*', "AND OR NOT (", "NEAR(a b)", "col:x", "'; DROP TABLE t; --", "^a", "é" * 300])
def test_no_query_is_an_fts_syntax_error(query):
    connection = sqlite3.connect(":memory:")
    _fts(connection, TOKENIZE)
    _found(connection, query)   # raises sqlite3.OperationalError if the expression were invalid
    assert connection.execute("SELECT count(*) FROM t").fetchone()[0] == len(FRENCH_NAMES)


def test_columns_people_search_are_chosen_codes_dates_numbers_and_flags_are_not(tmp_path):
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code_commune TEXT, nom TEXT, libelle TEXT, "
                       "region TEXT, statut TEXT, ref TEXT, montant REAL, date_paiement TEXT, vide TEXT)")
    data = [(i, f"{i:05d}", f"Bénéficiaire numéro {i} de Thiès", f"Réfection de l'école {i % 40}",
             ["Dakar", "Thiès", "Kaolack"][i % 3], ["OUI", "NON"][i % 2], f"A{i}-B", i * 1.5, "2024-01-02", None)
            for i in range(200)]
    connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", data)
    kinds = {"date_paiement": "date", "code_commune": "code"}
    assert searchable_columns(connection, "t", kinds) == ["nom", "libelle"]


def test_a_table_of_categories_only_still_gets_a_search_box():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE prix (ville TEXT, pays TEXT, unite TEXT, prix INTEGER)")
    connection.executemany("INSERT INTO prix VALUES (?, ?, ?, ?)",
                           [(["Dakar", "Bamako", "Lomé"][i % 3], ["Sénégal", "Mali", "Togo"][i % 3],
                             ["kg", "l"][i % 2], i) for i in range(90)])
    assert searchable_columns(connection, "prix") == ["ville", "pays"]   # units (two values) never


def _import(path, db, **options):
    return import_file(path, db, ImportOptions(**options))


def test_import_indexes_names_and_says_so_in_the_report(tmp_path, run_cli):
    source = write_french_csv(tmp_path / "paiements.csv")
    result = run_cli("import", source, "--db", tmp_path / "p.db")
    assert result.exit_code == 0
    assert "Cherchable (texte intégral, sans tenir compte des accents ni des majuscules) : beneficiaire" in result.output
    connection = sqlite3.connect(tmp_path / "p.db")
    found = search_tables(connection, "senegal")
    expected = sum(1 for row in rows() if "nég" in row[1].lower() or "SENEGAL" in row[1])
    assert [(r.table, r.total) for r in found] == [("paiements", expected)]


@pytest.mark.parametrize("first", [[], ["--no-search"]])
def test_no_search_builds_no_index_and_drops_a_replaced_tables_old_one(tmp_path, run_cli, first):
    source = write_french_csv(tmp_path / "paiements.csv")
    run_cli("import", source, "--db", tmp_path / "p.db", *first)
    result = run_cli("import", source, "--db", tmp_path / "p.db", "--no-search")
    assert result.exit_code == 0 and "Cherchable" not in result.output
    connection = sqlite3.connect(tmp_path / "p.db")
    assert connection.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE '%fts%'").fetchone()[0] == 0


def test_index_stays_in_step_on_append_reimport_and_later_writes(tmp_path):
    db = tmp_path / "p.db"
    first = write_french_csv(tmp_path / "janvier.csv", count=10)
    chosen = _import(first, db, table="paiements")[0].searchable
    second = tmp_path / "fevrier.csv"
    text = first.read_bytes().decode("cp1252").replace("Lycée Ndiaye", "Groupe scolaire Kër Massar")
    second.write_bytes(text.encode("cp1252"))
    results = _import(second, db, table="paiements", append=True)
    assert results[0].appended and results[0].searchable == chosen and "beneficiaire" in chosen
    connection = sqlite3.connect(db)
    assert search_tables(connection, "ker massar")[0].total == sum("Lycée" in r[1] for r in rows(10))
    assert search_tables(connection, "lycee")[0].total == sum("Lycée" in r[1] for r in rows(10))
    # the index covers every row, no more, no less
    assert _indexed_rows(connection) == 20
    connection.execute("UPDATE paiements SET beneficiaire = 'Caisse de Ziguinchor' WHERE rowid = 1")
    connection.commit()
    assert search_tables(connection, "ziguinchor")[0].total == 1       # triggers: a cleaning UPDATE too
    connection.close()
    _import(second, db, table="paiements")                            # re-import: replaced, index rebuilt
    connection = sqlite3.connect(db)
    assert search_tables(connection, "lycee") == []
    assert search_tables(connection, "ziguinchor") == []
    assert _indexed_rows(connection) == 10
    assert connection.execute("INSERT INTO paiements_fts(paiements_fts) VALUES('integrity-check')") is not None


def _indexed_rows(connection) -> int:
    """Rows the index holds, read from the index itself (FTS5's vocabulary of token instances),
    after FTS5's own check that the index and the table agree."""
    connection.execute("INSERT INTO paiements_fts(paiements_fts, rank) VALUES('integrity-check', 1)")
    connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, paiements_fts, instance)")
    return connection.execute("SELECT count(DISTINCT doc) FROM temp.v").fetchone()[0]


def test_a_failed_import_leaves_the_index_as_it_was(tmp_path):
    db = tmp_path / "p.db"
    source = write_french_csv(tmp_path / "paiements.csv", count=10)
    _import(source, db)
    other = tmp_path / "autre.csv"
    other.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(Exception):
        _import(other, db, table="paiements", append=True)           # columns differ: refused
    connection = sqlite3.connect(db)
    assert search_tables(connection, "senegal")[0].total == sum("nég" in r[1].lower() or "SENEGAL" in r[1]
                                                                for r in rows(10))


def test_enable_search_is_all_or_nothing_inside_a_transaction():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("CREATE TABLE t (nom TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [(n,) for n in NAMES * 5])
    connection.execute("BEGIN")
    assert enable_search(connection, "t") == ["nom"]
    assert connection.in_transaction                                  # sqlite-utils did not commit
    connection.execute("ROLLBACK")
    assert connection.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'").fetchone()[0] == 0


def test_search_command_groups_rows_by_table_with_links(tmp_path, run_cli):
    source = write_french_csv(tmp_path / "paiements.csv")
    run_cli("import", source, "--db", tmp_path / "p.db")
    result = run_cli("search", tmp_path / "p.db", "ecole", "--limit", "2")
    assert result.exit_code == 0
    expected = sum(1 for row in rows() if "cole" in row[1].lower())
    assert f"« ecole » : {expected} lignes dans 1 table de p.db" in result.output
    assert "http://127.0.0.1:8001/p/paiements/1" in result.output
    assert "code_commune: 01001" in result.output                    # the row's key column
    assert "*École* Sénégalaise de Dakar" in result.output            # the matched word marked
    assert "?_search=ecole" in result.output


def test_search_command_says_what_is_wrong(tmp_path, run_cli):
    source = write_french_csv(tmp_path / "paiements.csv")
    run_cli("import", source, "--db", tmp_path / "p.db", "--no-search")
    result = run_cli("search", tmp_path / "p.db", "ecole")
    assert result.exit_code == 2 and "Aucune table de" in result.output and "enable-fts" in result.output
    run_cli("import", source, "--db", tmp_path / "p.db")
    result = run_cli("search", tmp_path / "p.db", "ecole", "--table", "absente")
    assert result.exit_code == 2 and "Tables cherchables : paiements" in result.output
    result = run_cli("search", tmp_path / "p.db", "introuvable")
    assert result.exit_code == 0 and "Aucune ligne ne contient « introuvable »." in result.output


def _served(paths, classroom=False):
    from datactiviste.serve.app import build_datasette

    return build_datasette(paths, "fr", classroom=classroom)


@pytest.mark.parametrize("classroom", [False, True])
def test_search_page_searches_every_table_and_escapes_everything(tmp_path, classroom):
    db = tmp_path / "p.db"
    _import(write_french_csv(tmp_path / "paiements.csv"), db)
    hostile = tmp_path / "hostile.csv"
    hostile.write_text("nom,ville\n<script>alert(1)</script> École,Dakar\n<b>Ecole</b> & co,Thiès\n", encoding="utf-8")
    _import(hostile, db)
    ds = _served([db], classroom)

    async def get(url):
        return await ds.client.get(url)

    page = asyncio.run(get("/-/datactiviste/search?q=ecole"))
    assert page.status_code == 200
    html = page.text
    assert "Chercher dans toutes les tables" in html and 'value="ecole"' in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; <mark>École</mark>" in html
    assert "&lt;b&gt;<mark>Ecole</mark>&lt;/b&gt; &amp; co" in html
    expected = sum(1 for row in rows() if "cole" in row[1].lower())
    assert f"paiements</a> <small>(p) — {expected} lignes</small>" in html
    assert "hostile</a> <small>(p) — 2 lignes</small>" in html
    assert 'href="/p/paiements/1"' in html and "/p/paiements?_search=ecole" in html
    empty = asyncio.run(get("/-/datactiviste/search?q=%22%3Cimg%20src%3Dx%3E")).text
    assert "<img src=x>" not in empty and "Aucune ligne ne contient" in empty
    home = asyncio.run(get("/")).text
    assert 'action="/-/datactiviste/search"' in home


def test_table_search_box_is_french_and_matches_word_starts(tmp_path):
    db = tmp_path / "p.db"
    _import(write_french_csv(tmp_path / "paiements.csv"), db)
    ds = _served([db])

    async def get(url):
        return await ds.client.get(url)

    html = asyncio.run(get("/p/paiements?_search=senegal")).text
    assert '<label for="_search">Rechercher :</label>' in html
    expected = sum(1 for row in rows() if "nég" in row[1].lower() or "SENEGAL" in row[1])
    assert f"{expected} lignes où la recherche correspond à « senegal »" in html
    data = asyncio.run(get("/p/paiements.json?_search=senegala&_shape=array")).json()
    assert {row["beneficiaire"] for row in data} == {"École Sénégalaise de Dakar"}   # a word's start


def test_found_snippets_mark_only_the_matched_words(tmp_path):
    db = tmp_path / "p.db"
    _import(write_french_csv(tmp_path / "paiements.csv"), db)
    connection = sqlite3.connect(db)
    hits = search_tables(connection, "senegal", limit=50)[0].hits
    assert {plain(h.snippet, "[", "]") for h in hits} == {
        "École [Sénégalaise] de Dakar", "[SENEGAL] SERVICES", "Centre de santé [Sénégal]"}
