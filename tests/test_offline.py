"""The offline invariant and the offline browser harness itself."""

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.offline import assert_offline, external_loads, write_offline_html
from tests.browser import offline_browser, offline_page  # noqa: F401


def test_external_loads_are_found_and_links_are_not():
    html = """<html><head><link rel="stylesheet" href="https://cdn.example.org/x.css">
    <script src="//unpkg.com/leaflet.js"></script><style>@import 'https://fonts.example/f.css';</style></head>
    <body><a href="https://example.org">source</a><img src="data:image/png;base64,AAAA">
    <script>L.tileLayer('https://{s}.tile.example.org/{z}/{x}/{y}.png')</script></body></html>"""
    urls = [url for _kind, url in external_loads(html)]
    assert urls == ["https://cdn.example.org/x.css", "//unpkg.com/leaflet.js",
                    "https://fonts.example/f.css", "https://{s}.tile.example.org/{z}/{x}/{y}.png"]


def test_write_refuses_a_page_that_loads_from_the_network(tmp_path):
    target = tmp_path / "page.html"
    with pytest.raises(DatactivisteError):
        write_offline_html(target, '<script src="https://cdn.example.org/a.js"></script>')
    assert not target.exists()
    write_offline_html(target, '<p>ok <a href="https://example.org">lien</a></p>')
    assert target.read_text(encoding="utf-8").startswith("<p>ok")
    assert_offline(target.read_text(encoding="utf-8"))


def test_browser_harness_blocks_and_records_external_requests(tmp_path, offline_page):
    page_file = tmp_path / "p.html"
    page_file.write_text('<html><body><h1 id="t">Bonjour</h1>'
                         '<img src="https://example.org/x.png"></body></html>', encoding="utf-8")
    page = offline_page.open(page_file)
    assert page.inner_text("#t") == "Bonjour"
    assert offline_page.external == ["https://example.org/x.png"]
