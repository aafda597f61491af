"""The chart page in a real Chromium with the network cut: nothing loads from outside, the
SVG text is there and selectable, the alt text and the data table are present, the CSV
download is a data: URI, and a title full of HTML stays text."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from datactiviste.charts import ChartSpec, make_chart
from datactiviste.charts.sample import build_sample_database
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return build_sample_database(tmp_path_factory.mktemp("charts-browser") / "projet.db")


def test_chart_page_works_offline_with_alt_text_and_data_table(sample_db, tmp_path, offline_page):
    result = make_chart(ChartSpec(type="line", db=str(sample_db), table="prix", x="mois",
                                  y="prix", color="produit", lang="fr",
                                  title="Le riz toujours plus cher", byline="M. Sow"),
                        tmp_path / "prix")
    page = offline_page.open(result.files["html"])
    assert offline_page.external == []
    assert offline_page.console_errors == []
    assert page.evaluate("document.documentElement.lang") == "fr"
    # Inline SVG with real text, named by the alt text for screen readers.
    svg = page.locator("figure .chart-wide svg")
    assert svg.get_attribute("role") == "img"
    assert page.evaluate("document.querySelector('figure svg desc').textContent") == result.frame.alt
    assert not page.locator("figure .chart-narrow svg").is_visible()   # the phone rendering
    texts = page.evaluate("[...document.querySelectorAll('figure svg text')].map(t => t.textContent)")
    assert "Le riz toujours plus cher" in texts and "janv. 2024" in texts
    box = svg.bounding_box()
    assert box["width"] > 600 and box["height"] > 300  # rendered, responsive to the 640 px column
    caption = page.locator("figcaption").inner_text()
    assert "Description générée automatiquement" in caption
    assert "Graphique : M. Sow" in caption.replace("\u00a0", " ")
    # The accessible table: caption, column headers, one row per drawn point (24 months x 3).
    assert not page.locator("table").is_visible()  # folded under "see the data"
    page.locator("details summary").click()
    assert page.locator("table").is_visible()
    assert page.locator("table caption").inner_text() == "Le riz toujours plus cher"
    assert page.locator("thead th[scope=col]").all_inner_texts() == ["Mois", "Produit",
                                                                    "Prix (FCFA/kg)"]
    assert page.locator("tbody tr").count() == 72
    assert page.locator("tbody th[scope=row]").first.inner_text() == "janv. 2023"
    assert page.locator("tbody td.n").first.inner_text() == "400,0\u00a0FCFA/kg"
    # "Get the data": a CSV in a data: URI, French Excel conventions.
    link = page.locator("a[download]")
    assert link.get_attribute("download") == "prix.csv"
    csv_text = unquote(link.get_attribute("href").split(",", 1)[1])
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: the narrow rendering
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not svg.is_visible()
    narrow = page.locator("figure .chart-narrow svg")
    assert narrow.is_visible() and 300 < narrow.bounding_box()["width"] <= 360
    assert csv_text.startswith("\ufeffMois;Produit;Prix (FCFA/kg)\r\n2023-01-01;Riz;400\r\n")


def test_html_in_the_title_is_shown_as_text_and_never_runs(sample_db, tmp_path, offline_page):
    title = '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2">Budget'
    result = make_chart(ChartSpec(type="bar", db=str(sample_db), table="budget", x="region",
                                  y="montant", agg="sum", lang="en", title=title),
                        tmp_path / "xss")
    dialogs = []
    offline_page.page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    page = offline_page.open(result.files["html"])
    assert page.evaluate("window.pwned === undefined")
    assert page.title() == title
    assert page.evaluate("document.querySelector('figure svg title').textContent") == title
    assert page.locator("script").count() == 1 and page.locator("img").count() == 0
    assert "pwned" not in page.locator("script").inner_html()   # only the height message
    assert offline_page.external == [] and dialogs == []
