"""`datactiviste export DB TABLE -o table.html`: one file that opens anywhere, in real Chromium.

The network is cut (tests/browser.py): the page must make zero requests, sort, filter and
search its rows, show numbers the French way, carry its provenance footer, and offer its data
as a CSV whose formulas are neutralised. Size and open time are measured in
benchmarks/export_html_size.py, not asserted on a shared machine.
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from datactiviste.cli import cli
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.serve_fixtures import make_project_db

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export_html")
    db = make_project_db(folder / "p.db", rows=300)
    connection = sqlite3.connect(db)
    connection.execute("UPDATE depenses SET poste = '=HYPERLINK(\"http://x\")</script><b>' WHERE id = 3")
    connection.execute("UPDATE depenses SET montant = 12345678.5 WHERE id = 4")
    connection.commit()
    connection.close()
    output = folder / "depenses.html"
    result = CliRunner().invoke(cli, ["--lang", "fr", "export", str(db), "depenses", "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output


def test_page_is_self_contained_and_escaped(exported):
    text = exported.read_text("utf-8")
    assert "</script><b>" not in text  # the hostile value is inert inside the JSON
    assert "src=" not in text and "href=\"http://x" not in text
    assert "Licence Ouverte 2.0" in text and "depenses_communes.csv" in text


def test_sort_filter_search_offline(exported, offline_page):
    page = offline_page.open(exported)
    assert offline_page.external == []
    assert offline_page.console_errors == []
    assert page.locator("tbody tr").count() == 300
    assert "300 lignes sur 300" in page.locator("#count").inner_text()
    # French numbers: the amount set above, grouped, decimal comma, cents as the column has them
    cells = page.locator("tbody td.n").all_inner_texts()
    assert any(c.replace("\u202f", " ").replace("\u00a0", " ") == "12 345 678,50" for c in cells)
    # sort by montant, descending on the second click
    montant = page.locator("thead th[data-c]", has_text="Montant")
    montant.click()
    montant.click()
    assert montant.get_attribute("aria-sort") == "descending"
    first = page.locator("tbody tr").first.locator("td.n").all_inner_texts()
    assert any("12 345 678,50" == c.replace("\u202f", " ").replace("\u00a0", " ") for c in first)
    # filter one column (accent-insensitive), then search all columns
    region_filter = page.locator("tr.f input").nth(2)
    region_filter.fill("thies")
    regions = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert regions and all(r == "Thiès" for r in regions)
    region_filter.fill("")
    page.fill("#q", "HYPERLINK")
    assert page.locator("tbody tr").count() == 1
    assert offline_page.external == []


def test_csv_download_inside_the_file(exported, offline_page, tmp_path):
    page = offline_page.open(exported)
    with page.expect_download() as download:
        page.click("#csv")
    saved = tmp_path / "d.csv"
    download.value.save_as(saved)
    text = saved.read_text("utf-8-sig")
    assert text.splitlines()[0].startswith("id,")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert len(text.splitlines()) == 301
    assert offline_page.external == []


def test_too_many_rows_says_publish(tmp_path, monkeypatch):
    from datactiviste.serve import export_html

    monkeypatch.setattr(export_html, "MAX_ROWS", 50)
    db = make_project_db(tmp_path / "p.db", rows=60)
    output = tmp_path / "x.html"
    result = CliRunner().invoke(cli, ["--lang", "fr", "export", str(db), "depenses", "-o", str(output)])
    assert result.exit_code == 2
    assert "publish" in result.output and "Traceback" not in result.output
    assert not output.exists() and not (tmp_path / "x.html.part").exists()
