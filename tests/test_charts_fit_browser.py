"""No axis label, value label or legend text runs past the edge of a chart or map on a phone.

Measured in a real Chromium (bounding boxes of the SVG <text> elements against the drawn
<svg>, not pixels) at 360 and 390 px, for charts whose first or last labels are the ones that
get cut: months ending on 'janv. 2025', long French names left of bars, slices with long names,
negative and big numbers with French thousands separators; and a map whose legend title is a
sentence, in its page and in its static SVG. No two level texts are written over each other.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from datactiviste.charts import ChartSpec, make_chart
from datactiviste.charts.sample import build_sample_database
from datactiviste.i18n import set_language
from datactiviste.maps.build import write_map
from datactiviste.maps.points import MapOptions
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.test_maps_fixtures import make_db
from tests.test_maps_symbology import EXAMS

pytestmark = pytest.mark.browser
PHONES = (360, 390)
LONG_NAMES = [("Direction régionale de l'hydraulique et de l'assainissement de Tambacounda",
               1234567), ("Ministère de l'Économie, du Plan et de la Coopération internationale",
                          987654321), ("Agence nationale de la statistique", 45678),
              ("Commune de Mbour", 2500000), ("Société nationale des eaux", 120000000)]
BALANCE = [(str(year), value) for year, value in zip(range(2015, 2025), [
    -1234567, 2345678, -34567890, 4567890, -5678901, 678901, -7890123, 8901234, -912345678,
    123456789])]

# Every visible <text> of the shown SVG: its text, whether it belongs to an axis, and how far
# it reaches past the SVG's left and right edges (positive = cut off).
OVERFLOW = """(selector) => { const svg = [...document.querySelectorAll(selector)]
    .find(s => s.getBoundingClientRect().width > 0);
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.getBoundingClientRect().width > 0)
    .map(t => { const b = t.getBoundingClientRect();
      const m = t.getScreenCTM();
      return {text: t.textContent, axis: !!t.closest('[id*="matplotlib.axis"]'),
              legend: !!t.closest('[id$="legend"]'), cell: !!t.closest('[id$="table-cell"]'),
              rotated: Math.abs(m.b) > 1e-3,
              box: [b.left, b.top, b.right, b.bottom],
              left: frame.left - b.left, right: b.right - frame.right}; }); }"""


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    path = build_sample_database(tmp_path_factory.mktemp("fit") / "projet.db")
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE organismes (nom TEXT, budget REAL)")
    connection.executemany("INSERT INTO organismes VALUES (?, ?)", LONG_NAMES)
    connection.execute("CREATE TABLE solde (annee TEXT, solde REAL)")
    connection.executemany("INSERT INTO solde VALUES (?, ?)", BALANCE)
    connection.execute("CREATE TABLE depenses (mois DATE, montant REAL)")
    connection.executemany("INSERT INTO depenses VALUES (?, ?)", [
        (dt.date(2023 + m // 12, m % 12 + 1, 1).isoformat(), 1_000_000 * (m + 1) ** 1.5)
        for m in range(25)])
    connection.commit()
    connection.close()
    return path


CHARTS = {
    "months": dict(type="line", table="prix", x="mois", y="prix", color="produit"),
    "big_months": dict(type="line", table="depenses", x="mois", y="montant"),
    "area": dict(type="area", table="prix", x="mois", y="prix", color="produit"),
    "long_bars": dict(type="bar", table="organismes", x="nom", y="budget"),
    "long_columns": dict(type="column", table="organismes", x="nom", y="budget"),
    "negative_bars": dict(type="bar", table="solde", x="annee", y="solde"),
    "negative_columns": dict(type="column", table="solde", x="annee", y="solde"),
    "long_slices": dict(type="donut", table="organismes", x="nom", y="budget"),
    "many_stacked": dict(type="stacked", table="budget", x="region", y="montant", color="secteur"),
    "long_table": dict(type="table", table="organismes", x="nom", y="budget"),
}


def _clashes(texts) -> list:
    """Pairs of level texts written over each other (boxes less 2 px of inner leading)."""
    boxes = [(t["text"], [t["box"][0] + 2, t["box"][1] + 2, t["box"][2] - 2, t["box"][3] - 2])
             for t in texts if not t["rotated"] and t["text"].strip()]
    return [(a, b) for i, (a, p) in enumerate(boxes) for b, q in boxes[i + 1:]
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


def _texts(offline_page, path, width, selector):
    offline_page.page.set_viewport_size({"width": width, "height": 800})
    page = offline_page.open(path)
    return page.evaluate(OVERFLOW, selector)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_no_chart_text_runs_past_the_edge_on_a_phone(hostile_db, tmp_path, offline_page, name):
    spec = ChartSpec(db=str(hostile_db), lang="fr", title="Un constat", **CHARTS[name])
    result = make_chart(spec, tmp_path / name)
    for width in PHONES:
        texts = _texts(offline_page, result.files["html"], width, "figure svg")
        assert any(t["axis"] or t["legend"] or t["cell"] for t in texts), (name, width)
        cut = [(t["text"], round(max(t["left"], t["right"]), 1)) for t in texts
               if t["left"] > 0.5 or t["right"] > 0.5]
        assert cut == [], (name, width, cut)
        assert _clashes(texts) == [], (name, width)
    # The SVG and PNG files are the same drawing as the wide rendering of the page.
    texts = _texts(offline_page, result.files["svg"], 1280, "svg")
    assert [t["text"] for t in texts if t["left"] > 0.5 or t["right"] > 0.5] == [], name
    assert offline_page.external == [] and offline_page.console_errors == []


def test_the_last_month_of_a_time_axis_is_whole_on_a_phone(hostile_db, tmp_path, offline_page):
    """The reported case: 'janv. 2025' at the right end of a monthly line chart, 390 px."""
    result = make_chart(ChartSpec(db=str(hostile_db), lang="fr", title="Le riz plus cher",
                                  **CHARTS["months"]), tmp_path / "prix")
    texts = _texts(offline_page, result.files["html"], 390, "figure svg")
    (last,) = [t for t in texts if t["axis"] and t["text"] == "janv. 2025"]
    assert last["right"] <= 0


def test_a_long_map_legend_title_wraps_inside_page_and_picture(tmp_path, offline_page):
    set_language("fr")
    title = ("Taux de réussite au baccalauréat général, session normale et second groupe, "
             "toutes séries, candidats libres et scolarisés des établissements publics (%)")
    db = make_db(tmp_path / "examens.db", "examens", ["region", "taux"],
                 [(region, rate) for region, rate, _c, _e in EXAMS], labels={"taux": title},
                 file_name="bac.csv")
    svg = tmp_path / "taux.svg"
    write_map(db, tmp_path / "taux.html", MapOptions(region="region", value="taux",
                                                     countries={"SN"}, title="Le bac"),
              table="examens", svg=svg)
    texts = _texts(offline_page, svg, 1280, "svg")
    legend = [t for t in texts if t["legend"]]
    assert len([t for t in legend if t["text"] in title]) >= 3     # the title, on several lines
    assert [t["text"] for t in texts if t["left"] > 0.5 or t["right"] > 0.5] == []
    for width in PHONES:
        offline_page.page.set_viewport_size({"width": width, "height": 800})
        page = offline_page.open(tmp_path / "taux.html")
        page.wait_for_function("window.datactiviste && window.datactiviste.counts.areas")
        box = page.evaluate("""() => { const b = document.querySelector('.dtv-legend')
            .getBoundingClientRect(); return [b.left, b.right]; }""")
        assert 0 <= box[0] and box[1] <= width, (width, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert offline_page.external == [] and offline_page.console_errors == []
