"""BLOB cells of the table and row pages in the reader's language: '<Binaire : 1 234 octets>' (fr),
'<Binary: 1,234 bytes>' (en), with Datasette's own download link (which still gives the bytes).

Real servers on 127.0.0.1 (`launch.prepare`, as `datactiviste serve` builds them), one per language.
"""

from __future__ import annotations

import html
import re
import sqlite3
import urllib.request
from pathlib import Path

import pytest

from datactiviste.i18n.formats import NBSP
from datactiviste.serve.launch import prepare
from tests.test_serve import fetch

SIZES = {1: 0, 2: 1, 3: 1234, 4: 2}  # id: BLOB length
BIG = 5000                            # over 1 KB: the size in Ko/KB is the link's title


@pytest.fixture(scope="module")
def blobs_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("blobs") / "pieces.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE pieces (id INTEGER PRIMARY KEY, nom TEXT, contenu BLOB)")
    connection.executemany("INSERT INTO pieces VALUES (?, ?, ?)",
                           [(i, f"p{i}", bytes(range(256)) * (n // 256) + bytes(n % 256))
                            for i, n in SIZES.items()])
    connection.execute("INSERT INTO pieces VALUES (5, 'grand', ?)", [b"\x89PNG" + b"x" * (BIG - 4)])
    connection.execute("CREATE TABLE sans_cle (contenu BLOB)")  # rowid table
    connection.execute("INSERT INTO sans_cle VALUES (x'00ff00')")
    connection.execute("CREATE VIEW vue_pieces AS SELECT nom, contenu FROM pieces")
    connection.commit()
    connection.close()
    return path


@pytest.fixture(scope="module")
def servers(blobs_db):
    started = {language: prepare([blobs_db], language=language, port=0) for language in ("fr", "en")}
    for prepared in started.values():
        prepared.server.start_in_thread()
    yield {language: prepared.server.url for language, prepared in started.items()}
    for prepared in started.values():
        prepared.server.stop()


def blob_cells(body: str) -> list[str]:
    return re.findall(r'<td class="col-contenu[^"]*">(.*?)</td>', body, re.S)


def label(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", cell))


def page(url: str) -> str:
    status, _headers, body = fetch(url)
    assert status == 200, (url, status, body[:300])
    return body


EXPECTED = {
    "fr": ["<Binaire : 0 octet>", "<Binaire : 1 octet>", f"<Binaire : 1{NBSP}234 octets>",
           "<Binaire : 2 octets>", f"<Binaire : 5{NBSP}000 octets>"],
    "en": ["<Binary: 0 bytes>", "<Binary: 1 byte>", "<Binary: 1,234 bytes>", "<Binary: 2 bytes>",
           "<Binary: 5,000 bytes>"],
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_table_page_writes_blob_sizes_in_the_language_of_the_server(servers, language):
    body = page(servers[language] + "pieces/pieces?_sort=id")
    cells = blob_cells(body)
    assert [label(cell) for cell in cells] == [text.replace(" ", NBSP) for text in EXPECTED[language]]
    assert "Binary:" not in body if language == "fr" else "Binaire" not in body
    titles = {"fr": (f"1,2{NBSP}Ko", f"4,9{NBSP}Ko"), "en": (f"1.2{NBSP}KB", f"4.9{NBSP}KB")}[language]
    assert f'title="{titles[0]}"' in cells[2] and f'title="{titles[1]}"' in cells[4]
    assert "title=" not in cells[3]  # under 1 KB: the label says it all


@pytest.mark.parametrize("language", ["fr", "en"])
def test_row_page_writes_the_blob_size_and_its_link_downloads_the_bytes(servers, language):
    body = page(servers[language] + "pieces/pieces/3")
    [cell] = blob_cells(body)
    assert label(cell) == EXPECTED[language][2].replace(" ", NBSP)
    link = html.unescape(re.search(r'class="blob-download" href="([^"]+)"', cell).group(1))
    with urllib.request.urlopen(urllib.parse.urljoin(servers[language], link), timeout=20) as response:
        assert response.read() == bytes(range(256)) * 4 + bytes(1234 % 256)


def test_a_rowid_table_links_by_rowid_and_a_view_shows_the_size_without_link(servers):
    rowid = blob_cells(page(servers["fr"] + "pieces/sans_cle"))
    assert label(rowid[0]) == "<Binaire : 3 octets>".replace(" ", NBSP)
    assert 'href="/pieces/sans_cle/1.blob?_blob_column=contenu"' in rowid[0]
    view = blob_cells(page(servers["en"] + "pieces/vue_pieces?_sort=nom"))
    assert [label(cell) for cell in view][:2] == ["<Binary: 5,000 bytes>".replace(" ", NBSP),
                                                   "<Binary: 0 bytes>".replace(" ", NBSP)]
    assert "href" not in view[0]


def test_json_keeps_the_stored_bytes(servers):
    body = page(servers["fr"] + "pieces/pieces/2.json")
    assert "Binaire" not in body and "contenu" in body
