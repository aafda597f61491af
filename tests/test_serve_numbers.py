"""Numbers in the served HTML pages, written the reader's way; identifiers, JSON and CSV untouched.

French: '1 234 567,5' (no-break spaces, decimal comma); English: '1,234,567.5'. Years, codes,
keys and integer parts of 4 digits or fewer are never grouped. The pages come from a real
server on 127.0.0.1 (`launch.prepare`, as `datactiviste serve` builds it).
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from datactiviste.i18n.formats import NBSP, format_exact
from datactiviste.ingest.names import looks_like_identifier
from datactiviste.serve.launch import prepare
from tests.test_serve import fetch

SCHEMA = """
CREATE TABLE regions (ref INTEGER PRIMARY KEY, name TEXT, population INTEGER);
CREATE TABLE budgets (
    id INTEGER PRIMARY KEY, region INTEGER REFERENCES regions(ref), annee INTEGER,
    code_insee INTEGER, numero_dossier INTEGER, montant REAL, taux REAL, exact REAL,
    petit INTEGER, habitants INTEGER, n INTEGER, texte TEXT, latitude REAL, longitude REAL,
    piece BLOB);
CREATE TABLE mesures (valeur REAL, annee INTEGER);
"""
BUDGETS = [
    # id, region, annee, code_insee, numero_dossier, montant, taux, exact, petit, habitants, n,
    # texte, latitude, longitude, piece
    (1, 10001, 2024, 12345, 98765, 1234567.5, 14.69203, 1234567.891, 1234, 98765, 12345,
     "1234567.5", 14.69203, -17.44671, b"\x00\x01\x02"),
    (123456, 10002, 2023, 54321, 11111, -98765.25, 0.5, 1.5e-07, -1234, 100000, 7,
     "2 024", 14.79, -16.93, None),
    (3, 99999, 2022, 3, 4, 250.0, None, None, 0, 5, 0, None, None, None, None),  # dangling FK
]


@pytest.fixture(scope="module")
def numbers_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("numbers") / "chiffres.db"
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    connection.executemany("INSERT INTO regions VALUES (?, ?, ?)",
                           [(10001, "Dakar", 3732284), (10002, "Thiès", 2235000)])
    connection.executemany(f"INSERT INTO budgets VALUES ({', '.join('?' * 15)})", BUDGETS)
    connection.execute("INSERT INTO mesures (rowid, valeur, annee) VALUES (123456, 12345.5, 2024)")
    connection.commit()
    connection.close()
    return path


@pytest.fixture(scope="module")
def servers(numbers_db):
    """{language: base URL} of two real servers, one French, one English."""
    started = {language: prepare([numbers_db], language=language, port=0) for language in ("fr", "en")}
    for prepared in started.values():
        prepared.server.start_in_thread()
    yield {language: prepared.server.url for language, prepared in started.items()}
    for prepared in started.values():
        prepared.server.stop()


def page(url: str) -> str:
    status, _headers, body = fetch(url)
    assert status == 200, (url, status, body[:300])
    return body


def cells(body: str, column: str) -> list[str]:
    """The inner HTML of every <td> of `column`, entities decoded, in page order."""
    pattern = r'<td class="col-' + re.escape(column) + r'(?: [^"]*)?">(.*?)</td>'
    return [html.unescape(cell) for cell in re.findall(pattern, body, re.S)]


# --- the helpers -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, french, english", [
    (1234567.5, "1 234 567,5", "1,234,567.5"),
    (1234567.891, "1 234 567,891", "1,234,567.891"),
    (14.69203, "14,69203", "14.69203"),            # never rounded
    (0.1 + 0.2, "0,3", "0.3"),                      # no binary noise (issue 17)
    (49.400000000000006, "49,4", "49.4"),           # a SQL sum of 4.94 ten times
    (2024, "2024", "2024"),                         # 4 digits: never grouped
    (1234, "1234", "1234"),
    (-1234.5, "-1234,5", "-1234.5"),
    (12345, "12 345", "12,345"),
    (-98765.25, "-98 765,25", "-98,765.25"),
    (250.0, "250", "250"),                          # a whole float loses only its '.0'
    (1.5e-07, "0,00000015", "0.00000015"),          # never in exponent form
    (1e16, "10 000 000 000 000 000", "10,000,000,000,000,000"),
    (-0.0, "0", "0"),
    (float("inf"), "", ""),
    (None, "", ""),
])
def test_format_exact_keeps_every_stored_digit(value, french, english):
    assert format_exact(value, "fr") == french.replace(" ", NBSP)
    assert format_exact(value, "en") == english


def test_format_exact_can_leave_digits_ungrouped():
    assert format_exact(12345678, "fr", group=False) == "12345678"
    assert format_exact(123456.5, "fr", group=False) == "123456,5"


@pytest.mark.parametrize("name", [
    "id", "ID", "region_id", "idRegion", "rowid", "code", "code_commune", "codeInsee", "CodeCommune",
    "numero", "Numéro de dossier", "num_facture", "no", "n°", "N° SIRET", "nº dossier", "annee",
    "année", "Année de naissance", "year", "an", "cp", "cp_commune", "code_postal", "postal_code",
    "tel", "telephone", "Téléphone", "phone_number", "siret", "SIREN", "ninea", "matricule",
    "geonameid", "OBJECTID", "ogc_fid", "gid", "identifiant", "Exercice", "exercice_budgetaire"])
def test_identifier_year_and_code_names(name):
    assert looks_like_identifier(name)


@pytest.mark.parametrize("name", [
    "montant", "population", "n", "nb", "nombre", "total", "quantite", "latitude", "longitude",
    "montant_cp", "montant_par_an", "montant_annee_precedente", "anomalies", "idee", "encodage",
    "taux", "", "123"])
def test_quantity_names_are_not_identifiers(name):
    assert not looks_like_identifier(name)


# --- table and row pages -----------------------------------------------------------------------

EXPECTED = {  # column: (first row, second row) in each language
    "fr": {"montant": ("1 234 567,50", "-98 765,25"), "taux": ("14,69203", "0,5"),
           "exact": ("1 234 567,891", "0,00000015"), "petit": ("1234", "-1234"),
           "habitants": ("98 765", "100 000"), "n": ("12 345", "7"),
           "latitude": ("14,69203", "14,79"), "longitude": ("-17,44671", "-16,93")},
    "en": {"montant": ("1,234,567.50", "-98,765.25"), "taux": ("14.69203", "0.5"),
           "exact": ("1,234,567.891", "0.00000015"), "petit": ("1234", "-1234"),
           "habitants": ("98,765", "100,000"), "n": ("12,345", "7"),
           "latitude": ("14.69203", "14.79"), "longitude": ("-17.44671", "-16.93")},
}
# Never grouped, in both languages: a year, a code, a file number (by their names).
UNGROUPED = {"annee": ("2024", "2023"), "code_insee": ("12345", "54321"),
             "numero_dossier": ("98765", "11111")}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_table_page_writes_numbers_in_the_language_of_the_server(servers, language):
    body = page(servers[language] + "chiffres/budgets?id__not=3&_sort=id")
    wanted = {column: tuple(v.replace(" ", NBSP) for v in values)
              for column, values in EXPECTED[language].items()}
    for column, (first, second) in {**wanted, **UNGROUPED}.items():
        found = cells(body, column)
        assert found[:2] == [first, second], column


@pytest.mark.parametrize("language", ["fr", "en"])
def test_row_page_writes_numbers_in_the_language_of_the_server(servers, language):
    body = page(servers[language] + "chiffres/budgets/1")
    for column, (first, _second) in EXPECTED[language].items():
        assert cells(body, column) == [first.replace(" ", NBSP)], column
    for column, (first, _second) in UNGROUPED.items():
        assert cells(body, column) == [first], column


def test_text_blobs_and_empty_cells_are_left_to_datasette(servers):
    body = page(servers["fr"] + "chiffres/budgets?_sort=id")
    assert cells(body, "texte") == ["1234567.5", NBSP, "2 024"]  # TEXT that looks numeric: as stored
    assert "blob-download" in cells(body, "piece")[0]           # bytes: Datasette's download link
    assert cells(body, "taux")[1] == NBSP                       # NULL: Datasette's empty cell


def test_keys_keep_their_digits_and_their_links(servers):
    base = servers["fr"]
    table = page(base + "chiffres/budgets?_sort=id")
    # the primary key link, and the expanded foreign key: a link to the referenced row
    assert '<a href="/chiffres/budgets/123456">123456</a>' in table
    regions = cells(table, "region")
    assert regions[0].startswith('<a href="/chiffres/regions/10001">Dakar</a>') and "10001" in regions[0]
    assert regions[1] == "99999"  # a dangling foreign key: raw digits, as Datasette shows it
    # the same keys without labels, then on row pages (not named like identifiers: 'region', 'ref')
    assert cells(page(base + "chiffres/budgets?_sort=id&_labels=off"), "region") == ["10001", "99999", "10002"]
    assert cells(page(base + "chiffres/budgets/123456"), "region") == ["10002"]
    assert cells(page(base + "chiffres/budgets/123456"), "id") == ["123456"]
    region = page(base + "chiffres/regions/10001")
    assert cells(region, "ref") == ["10001"]
    assert cells(region, "population") == [f"3{NBSP}732{NBSP}284"]
    # a table without primary key: its rowid
    mesures = page(base + "chiffres/mesures")
    assert cells(mesures, "rowid") == ["123456"] and cells(mesures, "valeur") == [f"12{NBSP}345,5"]
    assert cells(mesures, "annee") == ["2024"]


def test_json_csv_and_sql_stay_raw(servers):
    base = servers["fr"]
    rows = json.loads(page(base + "chiffres/budgets.json?_shape=array&_sort=id"))
    assert rows[0]["montant"] == 1234567.5 and rows[0]["exact"] == 1234567.891
    assert rows[0]["region"] == 10001 and rows[0]["taux"] == 14.69203
    csv_text = page(base + "chiffres/budgets.csv?_sort=id")
    assert "1234567.5" in csv_text and "1234567.891" in csv_text and NBSP not in csv_text
    sql = urllib.parse.quote("select montant from budgets where id = 1")
    assert json.loads(page(base + f"chiffres.json?sql={sql}&_shape=array")) == [{"montant": 1234567.5}]


def test_sorting_facets_and_filters_still_work(servers):
    base = servers["fr"]
    ascending = cells(page(base + "chiffres/budgets?_sort=montant"), "montant")
    assert ascending == [f"-98{NBSP}765,25", "250,00", f"1{NBSP}234{NBSP}567,50"]
    faceted = page(base + "chiffres/budgets?_facet=annee")
    link = re.search(r'href="([^"]*annee=2024[^"]*)"', faceted).group(1)
    filtered = page(urllib.parse.urljoin(base + "chiffres/budgets", html.unescape(link)))
    assert cells(filtered, "annee") == ["2024"] and cells(filtered, "montant") == [f"1{NBSP}234{NBSP}567,50"]
    over = page(base + "chiffres/budgets?montant__gt=1000&_sort=id")
    assert cells(over, "montant") == [f"1{NBSP}234{NBSP}567,50"]


def test_query_page_formats_numbers_and_spares_identifiers_by_name(servers):
    sql = urllib.parse.quote("select id, annee, code_insee, montant, habitants, texte "
                             "from budgets order by id limit 2")
    for language, montant, habitants in [("fr", f"1{NBSP}234{NBSP}567,5", f"98{NBSP}765"),
                                         ("en", "1,234,567.5", "98,765")]:
        body = page(servers[language] + f"chiffres?sql={sql}")
        assert cells(body, "montant") == [montant, "250"]
        assert cells(body, "habitants") == [habitants, "5"]
        assert cells(body, "id") == ["1", "3"]
        assert cells(body, "annee") == ["2024", "2022"]
        assert cells(body, "code_insee") == ["12345", "3"]
        assert cells(body, "texte")[0] == "1234567.5"


def test_keys_are_read_once_per_table_not_per_cell(numbers_db, monkeypatch):
    """render_cell runs for every cell: a table's keys are looked up once, then kept."""
    from datactiviste.serve.cells import CellNumbers

    lookups = []
    original = CellNumbers._read_keys

    async def counted(self, table, database, datasette):
        lookups.append(table)
        return await original(self, table, database, datasette)

    monkeypatch.setattr(CellNumbers, "_read_keys", counted)
    prepared = prepare([numbers_db], language="fr", port=0, classroom=True, host="127.0.0.1")
    prepared.server.start_in_thread()
    try:
        for size in (3, 2, 1):  # three different pages: the classroom cache serves none of them
            assert cells(page(prepared.server.url + f"chiffres/budgets?_size={size}"), "montant")
        page(prepared.server.url + "chiffres/budgets/1")
    finally:
        prepared.server.stop()
    assert lookups == ["budgets"]  # immutable database (classroom): once for good


def test_a_table_rebuilt_while_served_gets_its_new_keys(tmp_path, monkeypatch):
    """On one laptop the database stays writable: keys are read again after a short while."""
    from datactiviste.serve import cells as cells_module

    monkeypatch.setattr(cells_module, "KEYS_FRESH_SECONDS", 0)
    path = tmp_path / "vivante.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (valeur INTEGER, montant REAL)")
    connection.execute("INSERT INTO t VALUES (12345, 12345.5)")
    connection.commit()
    prepared = prepare([path], language="fr", port=0)
    prepared.server.start_in_thread()
    try:
        assert cells(page(prepared.server.url + "vivante/t/1"), "valeur") == [f"12{NBSP}345"]
        connection.executescript("DROP TABLE t; CREATE TABLE t (valeur INTEGER PRIMARY KEY, montant REAL);"
                                 "INSERT INTO t VALUES (12345, 12345.5);")
        body = page(prepared.server.url + "vivante/t/12345")
        assert cells(body, "valeur") == ["12345"] and cells(body, "montant") == [f"12{NBSP}345,5"]
    finally:
        prepared.server.stop()
        connection.close()


def test_cli_lang_en_serves_english_numbers(numbers_db, tmp_path):
    """`datactiviste serve DB --lang en`, the real command in its own process."""
    env = dict(os.environ, DATACTIVISTE_LANG="fr", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "datactiviste", "serve", str(numbers_db), "--lang", "en", "--no-open",
         "--port", "0"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=env)
    try:
        deadline, url = time.monotonic() + 30, None
        while time.monotonic() < deadline and url is None:
            line = process.stdout.readline()
            if not line:
                break
            url = next((word for word in line.split() if word.startswith("http://127.0.0.1:")), None)
        assert url, "no URL announced"
        body = page(url + "chiffres/budgets/1")
        assert cells(body, "montant") == ["1,234,567.50"] and cells(body, "annee") == ["2024"]
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_sum_noise_and_cents_on_pages(tmp_path):
    """Issue 17: a SQL sum shows '49,4', never '49,400000000000006'; a column of amounts with
    cents shows '244 000,50' next to '1250,75'; a column of rates keeps each value's digits."""
    path = tmp_path / "argent.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE depenses (poste TEXT, montant REAL, taux REAL)")
    connection.executemany("INSERT INTO depenses VALUES (?, ?, ?)",
                           [("a", 244000.5, 4.94), ("b", 1250.75, 4.94), ("c", 80.0, 12.125)])
    connection.commit()
    connection.close()
    prepared = prepare([path], language="fr", port=0)
    prepared.server.start_in_thread()
    try:
        base = prepared.server.url
        table = page(base + "argent/depenses?_sort=rowid")
        assert cells(table, "montant") == [f"244{NBSP}000,50", "1250,75", "80,00"]
        assert cells(table, "taux") == ["4,94", "4,94", "12,125"]
        sql = urllib.parse.quote("select sum(taux) * 5 as total, sum(0.1 + 0.2) as tiers "
                                 "from depenses where poste != 'c'")
        query = page(base + f"argent?sql={sql}")
        assert cells(query, "total") == ["49,4"]
        assert cells(query, "tiers") == ["0,6"]
    finally:
        prepared.server.stop()
