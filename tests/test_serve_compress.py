"""Gzip of text answers (compress.py): real servers on 127.0.0.1, local and classroom mode, as
`datactiviste serve` builds them, and a real Chromium that renders the compressed pages offline.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import re
import sqlite3
import urllib.parse
from pathlib import Path

import pytest

from datactiviste.serve.compress import BUFFER_BYTES, MIN_BYTES, GzipResponses
from datactiviste.serve.launch import prepare
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.serve_fixtures import make_project_db, make_tile_pack

BIG_ROWS = 40_000  # a CSV export of ~3 MB: beyond the buffer, compressed as it streams


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compress")
    database = make_project_db(folder / "projet.db")
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE grand (id INTEGER PRIMARY KEY, commune TEXT, montant REAL, note TEXT)")
    connection.executemany("INSERT INTO grand VALUES (?, ?, ?, ?)",
                           [(i, f"Commune n°{i % 557}", i * 12.5, "é" * (i % 40)) for i in range(BIG_ROWS)])
    connection.execute("CREATE TABLE pieces (id INTEGER PRIMARY KEY, contenu BLOB)")
    connection.execute("INSERT INTO pieces VALUES (1, ?)", [b"\x89PNG\r\n" + b"\x00" * 8000])
    connection.commit()
    connection.close()
    return database, make_tile_pack(folder / "fond.mbtiles", max_zoom=1)


@pytest.fixture(scope="module")
def local(databases):
    prepared = prepare([databases[0]], language="fr", port=0)
    prepared.server.start_in_thread()
    yield prepared.server.url.rstrip("/")
    prepared.server.stop()


@pytest.fixture(scope="module")
def classroom(databases):
    prepared = prepare([databases[0]], language="fr", port=0, classroom=True, host="127.0.0.1",
                       tiles=[databases[1]])
    prepared.server.start_in_thread()
    yield prepared.server.url.rstrip("/")
    prepared.server.stop()


def get(base: str, path: str, encoding: str | None = "gzip", method: str = "GET", cookie: str = ""):
    """(status, {header: value} lower-cased, body bytes as they crossed the wire)."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Accept-Encoding": encoding} if encoding else {}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def without_timings(body: bytes) -> bytes:
    """The page without the time its queries took (two renderings differ only there)."""
    body = re.sub(rb'"query_ms": [0-9.e-]+', b'"query_ms": 0', body)
    return re.sub(rb"[0-9]+(,[0-9]+)? ms\b", b"0 ms", body)


def varies_on_encoding(headers) -> bool:
    return "accept-encoding" in headers.get("vary", "").lower()


@pytest.mark.parametrize("mode", ["local", "classroom"])
@pytest.mark.parametrize("path", ["/projet/depenses", "/projet/depenses.json", "/projet/depenses.csv",
                                  "/-/static/app.css", "/-/datactiviste/vendor/leaflet.js"])
def test_text_answers_are_gzipped_and_decompress_to_the_same_bytes(request, mode, path):
    base = request.getfixturevalue(mode)
    status, headers, body = get(base, path)
    plain_status, plain_headers, plain = get(base, path, encoding=None)
    assert status == plain_status == 200
    assert headers["content-encoding"] == "gzip" and "content-encoding" not in plain_headers
    assert int(headers["content-length"]) == len(body)
    assert int(plain_headers.get("content-length", len(plain))) == len(plain)  # Datasette's own
    assert varies_on_encoding(headers) and varies_on_encoding(plain_headers)
    assert without_timings(gzip.decompress(body)) == without_timings(plain)
    assert len(body) < len(plain) / 2  # text: at least 2 times smaller


def test_gzip_refused_or_absent_gives_the_plain_answer(local):
    for encoding in (None, "gzip;q=0", "identity", "br", "deflate"):
        _status, headers, body = get(local, "/projet/depenses", encoding=encoding)
        assert "content-encoding" not in headers, encoding
        assert b"<table" in body and varies_on_encoding(headers)
    _status, headers, _body = get(local, "/projet/depenses", encoding="br;q=1, GZIP;q=0.5")
    assert headers["content-encoding"] == "gzip"


def test_head_and_small_answers_stay_plain(local):
    _status, headers, body = get(local, "/projet/communes.json?_shape=array&_size=1")
    assert len(body) < MIN_BYTES and "content-encoding" not in headers and varies_on_encoding(headers)
    assert int(headers["content-length"]) == len(body) and body.startswith(b"[")
    status, headers, body = get(local, "/projet/depenses", method="HEAD")
    assert status == 200 and "content-encoding" not in headers and body == b""


def test_classroom_cache_serves_the_compressed_copy_and_keeps_a_plain_one(classroom):
    path = "/projet/depenses?_sort=montant&_size=7"
    first = get(classroom, path)
    second = get(classroom, path)
    assert first[1]["content-encoding"] == "gzip" and "x-datactiviste-cache" not in first[1]
    assert second[1]["x-datactiviste-cache"] == "hit" and second[1]["content-encoding"] == "gzip"
    assert second[2] == first[2] and int(second[1]["content-length"]) == len(second[2])
    plain = get(classroom, path, encoding=None)  # not the gzip copy: its own entry
    assert "content-encoding" not in plain[1] and "x-datactiviste-cache" not in plain[1]
    assert without_timings(gzip.decompress(first[2])) == without_timings(plain[2])
    again = get(classroom, path, encoding=None)
    assert again[1]["x-datactiviste-cache"] == "hit" and again[2] == plain[2]


def test_png_tiles_and_blob_downloads_are_never_recompressed(classroom, local):
    status, headers, body = get(classroom, "/-/datactiviste/tiles/0/1/0/0.png")
    assert status == 200 and headers["content-type"] == "image/png"
    assert "content-encoding" not in headers and body.startswith(b"\x89PNG")
    for base in (classroom, local):
        status, headers, body = get(base, "/projet/pieces/1.blob?_blob_column=contenu")
        assert status == 200 and "content-encoding" not in headers and len(body) == 8006


def test_pages_with_a_csrf_token_or_a_cookie_stay_plain(local):
    """BREACH: a secret in a compressed page can be guessed from the sizes. Datasette's forms
    (local mode: /-/messages) carry a CSRF token; the first visit sets its cookie, later ones
    only repeat the token in the page: both are sent as they are."""
    status, headers, body = get(local, "/-/messages")
    assert status == 200 and "ds_csrftoken=" in headers["set-cookie"] and b"csrftoken" in body
    assert "content-encoding" not in headers
    cookie = headers["set-cookie"].split(";", 1)[0]
    status, headers, body = get(local, "/-/messages", cookie=cookie)
    assert status == 200 and "set-cookie" not in headers and b'name="csrftoken"' in body
    assert "content-encoding" not in headers and len(body) > MIN_BYTES
    _status, headers, body = get(local, "/projet/depenses")
    assert headers["content-encoding"] == "gzip" and b"csrftoken" not in gzip.decompress(body)


def test_a_big_csv_export_is_compressed_as_it_streams(local):
    path = "/projet/grand.csv?_stream=on&_size=max"
    status, headers, body = get(local, path)
    plain_status, plain_headers, plain = get(local, path, encoding=None)
    assert status == plain_status == 200
    assert len(plain) > 2 * BUFFER_BYTES and plain.count(b"\n") == BIG_ROWS + 1
    assert headers["content-encoding"] == "gzip" and "content-length" not in headers
    assert headers.get("transfer-encoding") == "chunked"
    assert gzip.decompress(body) == plain
    assert len(body) < len(plain) / 4


def run_app(app, headers):
    """(start message, body) of one GET through `app`."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent[0], b"".join(m.get("body", b"") for m in sent[1:])


def streaming_app(content_type: bytes, parts: int, part: bytes):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})
        for index in range(parts):
            await send({"type": "http.response.body", "body": part, "more_body": index < parts - 1})
    return app


def test_a_long_html_stream_passes_uncompressed_rather_than_unchecked():
    """Beyond the buffer an HTML answer could still carry a form's token further on: it goes out
    as made; a JSON stream is compressed as it comes; memory stays bounded in both cases."""
    part = b"<tr><td>" + b"x" * 4000 + b"</td></tr>\n"
    parts = BUFFER_BYTES // len(part) + 20
    start, body = run_app(GzipResponses(streaming_app(b"text/html; charset=utf-8", parts, part)),
                          [(b"accept-encoding", b"gzip")])
    headers = dict(start["headers"])
    assert b"content-encoding" not in headers and headers[b"vary"] == b"Accept-Encoding"
    assert body == part * parts
    start, body = run_app(GzipResponses(streaming_app(b"application/json", parts, part)),
                          [(b"accept-encoding", b"gzip")])
    assert dict(start["headers"])[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == part * parts


def test_the_cap_counts_the_bytes_datasette_builds_not_the_compressed_ones():
    """ResponseCap sits inside: a stream that compresses 100 times is still cut at the cap of
    what the server built, with its final line saying why, inside the gzip stream."""
    from datactiviste.serve.responsecap import ResponseCap
    from datactiviste.serve.translate import Translator

    part = b'{"a": 1}, ' * 1000
    cap = 3 * BUFFER_BYTES
    app = GzipResponses(ResponseCap(streaming_app(b"application/json", 2 * cap // len(part), part), cap,
                                    Translator("fr")))
    start, body = run_app(app, [(b"accept-encoding", b"gzip")])
    assert dict(start["headers"])[b"content-encoding"] == b"gzip" and len(body) < cap / 50
    text = gzip.decompress(body)
    assert cap - len(part) < text.index(b"\n\n") <= cap
    assert text.endswith("Cette réponse est trop grosse pour le serveur (3 Mo au plus). Demandez moins de "
                         "lignes ou de colonnes, ou exportez les données avec datactiviste export.\n".encode())


def test_compressed_pages_render_offline_in_chromium(classroom, offline_page):
    encodings = {}
    offline_page.page.on("response", lambda r: encodings.__setitem__(r.url, r.headers.get("content-encoding")))
    page = offline_page.open(classroom + "/projet/depenses")
    page.wait_for_selector("#dt-map[data-points]", timeout=15000)
    assert page.locator("table.rows-and-columns tbody tr").count() == 20
    assert "Dakar" in page.inner_text("table.rows-and-columns")
    assert offline_page.external == [] and offline_page.console_errors == []
    page_url = classroom + "/projet/depenses"
    assert encodings[page_url] == "gzip"
    assert any(url.endswith("leaflet.js") and value == "gzip" for url, value in encodings.items())
    assert any("app.css" in url and value == "gzip" for url, value in encodings.items())
