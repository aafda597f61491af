"""Charts and maps on a phone and a desktop, measured in a real Chromium (issue 17).

At 320, 360 and 1280 px: every visible text of a chart is at least 11 CSS px (font size times
the SVG's scale on screen, read from the DOM); the legend of a chart never touches its data
marks; on a map page the legend, the source and the scale bar never overlap the map's data or
each other (bounding boxes); the embed snippet's iframe takes the height of the chart page.
"""

from __future__ import annotations

import pytest

from datactiviste.charts import ChartSpec, make_chart
from datactiviste.charts.sample import build_sample_database
from datactiviste.i18n import set_language
from datactiviste.maps.build import write_map
from datactiviste.maps.points import MapOptions
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.test_charts import CASES
from tests.test_maps_symbology import exams_db  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
MIN_TEXT_PX = 11
WIDTHS = (320, 360, 1280)

# The size on screen of every visible SVG <text>: its font size in user units times the scale
# of its transform to the screen (rotation-proof), and its box.
SVG_TEXTS = """() => [...document.querySelectorAll('figure svg text')]
  .filter(t => t.getBoundingClientRect().width > 0)
  .map(t => { const m = t.getScreenCTM(); const b = t.getBoundingClientRect();
              return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) *
                      Math.hypot(m.a, m.b), box: [b.left, b.top, b.right, b.bottom],
                      rotated: Math.abs(m.b) > 1e-3}; })"""
# Every visible HTML text node's computed font size.
HTML_TEXTS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(e => e.getBoundingClientRect().width > 0 && [...e.childNodes].some(
      n => n.nodeType === 3 && n.textContent.trim()))
  .map(e => ({text: e.textContent.trim().slice(0, 40),
              px: parseFloat(getComputedStyle(e).fontSize)}))"""
BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .map(e => e.getBoundingClientRect()).filter(b => b.width > 0 && b.height > 0)
  .map(b => [b.left, b.top, b.right, b.bottom])"""


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def shrunk(box, by: float = 2.0):
    """A text's box less the font's inner leading (boxes of lines that merely touch)."""
    return [box[0] + by, box[1] + by, box[2] - by, box[3] - by]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return build_sample_database(tmp_path_factory.mktemp("graphics-browser") / "projet.db")


CHARTS = {kind: dict(fields) for kind, fields in CASES.items()}   # every chart kind


@pytest.mark.parametrize("kind", sorted(CHARTS))
def test_chart_text_never_under_11_px_and_legend_clear_of_data(sample_db, tmp_path, kind,
                                                                offline_page):
    result = make_chart(ChartSpec(type=kind, db=str(sample_db), lang="fr", **CHARTS[kind]),
                        tmp_path / kind)
    for width in WIDTHS:
        offline_page.page.set_viewport_size({"width": width, "height": 800})
        page = offline_page.open(result.files["html"])
        texts = page.evaluate(SVG_TEXTS)
        assert texts, (kind, width)
        small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < MIN_TEXT_PX - 0.05]
        assert small == [], (kind, width, small)
        shown = [t for t in texts if t["text"].strip() and not t["rotated"]]
        clashes = [(a["text"], b["text"]) for i, a in enumerate(shown) for b in shown[i + 1:]
                   if overlaps(shrunk(a["box"]), shrunk(b["box"]))]
        assert clashes == [], (kind, width, clashes[:5])       # no text written over another
        slanted = sorted((t["box"][2], t["px"]) for t in texts if t["rotated"])
        for (right, px), (next_right, _px) in zip(slanted, slanted[1:]):
            assert next_right - right >= px * 1.2, (kind, width)   # 45° labels a line apart
        captions = page.evaluate(HTML_TEXTS, "figcaption p, figcaption a, summary")
        assert all(t["px"] >= MIN_TEXT_PX for t in captions), (kind, width, captions)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        svg = "figure .chart-wide svg" if width >= 640 + 16 else "figure .chart-narrow svg"
        assert page.locator(svg).is_visible()
        legend = page.evaluate(BOXES, f'{svg} [id$="chart-legend"] text')
        marks = page.evaluate(BOXES, f'{svg} [id*="bars-"] path, {svg} [id*="line-"] path, '
                                     f'{svg} [id*="areas"] path')
        source = page.evaluate(BOXES, f'{svg} [id$="chart-source"] text')
        for box in legend:
            assert not any(overlaps(box, mark) for mark in marks), (kind, width)
            assert not any(overlaps(box, line) for line in source), (kind, width)
    assert offline_page.external == [] and offline_page.console_errors == []


def test_map_page_at_phone_and_desktop_widths(exams_db, tmp_path, offline_page):  # noqa: F811
    set_language("fr")
    for value in ("taux", "candidats", "evolution"):
        out = tmp_path / f"{value}.html"
        write_map(exams_db, out, MapOptions(region="region", value=value, countries={"SN"},
                                            labels=True, title="Résultats du bac 2023",
                                            subtitle="Par région", byline="A. Diallo"),
                  table="examens")
        for width in (360, 1280):
            offline_page.page.set_viewport_size({"width": width, "height": 760})
            page = offline_page.open(out)
            page.wait_for_function("window.datactiviste && window.datactiviste.counts.areas")
            page.wait_for_timeout(200)
            texts = page.evaluate(HTML_TEXTS, ".dtv-head *, .dtv-foot *, .dtv-label span, "
                                              ".leaflet-control-scale-line")
            small = [t for t in texts if t["px"] < MIN_TEXT_PX]
            assert small == [], (value, width, small)
            (legend,) = page.evaluate(BOXES, ".dtv-legend")
            (source,) = page.evaluate(BOXES, ".dtv-source")
            (scale,) = page.evaluate(BOXES, ".leaflet-control-scale")
            (map_box,) = page.evaluate(BOXES, ".folium-map")
            data = page.evaluate(BOXES, ".leaflet-overlay-pane path.leaflet-interactive")
            assert data and not overlaps(legend, map_box)          # the legend is beside the map
            assert not any(overlaps(legend, d) for d in data)
            assert not overlaps(legend, source) and not overlaps(legend, scale)
            assert not overlaps(source, map_box) and not overlaps(source, scale)
            assert "km" in page.locator(".leaflet-control-scale").inner_text()
            assert "mi" not in page.locator(".leaflet-control-scale").inner_text()
            shown = page.evaluate("""[...document.querySelectorAll('.dtv-label span')]
                .filter(e => getComputedStyle(e).visibility !== 'hidden')
                .map(e => e.getBoundingClientRect()).map(b => [b.left, b.top, b.right, b.bottom])""")
            assert shown and all(not overlaps(a, b) for i, a in enumerate(shown)
                                 for b in shown[i + 1:]), (value, width)   # decluttered
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert offline_page.external == [] and offline_page.console_errors == []


def test_embed_iframe_takes_the_height_of_the_chart(sample_db, tmp_path, offline_page):
    result = make_chart(ChartSpec(type="bar", db=str(sample_db), lang="fr", **CHARTS["bar"]),
                        tmp_path / "budget")
    host = tmp_path / "article.html"
    host.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><meta name='viewport' "
                    "content='width=device-width'></head><body style='margin:0'><p>Article</p>"
                    + result.embed + "</body></html>", encoding="utf-8")
    heights = {}
    for width in (360, 1280):
        offline_page.page.set_viewport_size({"width": width, "height": 900})
        page = offline_page.open(host)
        frame = page.frame_locator("iframe")
        frame.locator("figure").wait_for()
        inner = page.frames[1].evaluate(
            "Math.ceil(document.documentElement.getBoundingClientRect().height)")
        page.wait_for_function(f"document.querySelector('iframe').offsetHeight === {inner}")
        heights[width] = inner
    assert heights[360] != heights[1280]          # the phone rendering is taller, and followed
    assert offline_page.external == [] and offline_page.console_errors == []
