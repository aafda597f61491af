"""Symbols a graphics editor would choose, proved on golden static SVGs (issue 17).

Counts -> circles scaled by area with 2-3 round legend values inside the real range; rates ->
colour classes, a sequential colour-blind-safe palette darker = more, round classes that do
not overlap, with the unit and the number of regions; signed values -> a diverging palette
around zero. Golden files (tests/fixtures/maps/CASE.LANG.txt) hold the text the SVG carries
and the legend entries; DATACTIVISTE_UPDATE_GOLDEN=1 rewrites them after a deliberate change.
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from datactiviste.graphics import palettes
from datactiviste.i18n import set_language
from datactiviste.maps.build import write_map
from datactiviste.maps.points import MapOptions
from datactiviste.maps.static import _blocked_by_areas, layout, legend_overlaps
from tests.test_maps_fixtures import make_db

GOLDEN = Path(__file__).parent / "fixtures" / "maps"
NBSP = "\u00a0"
EXAMS = [("Dakar", 63.0, 41000, 2.5), ("Thiès", 58.2, 30000, -1.2), ("Diourbel", 48.1, 15000, -3.4),
         ("Saint-Louis", 55.4, 17000, 0.8), ("Kaolack", 51.0, 16000, -0.5),
         ("Ziguinchor", 61.3, 9000, 3.1), ("Louga", 49.5, 12000, -2.2),
         ("Tambacounda", 50.2, 11000, 1.5), ("Kolda", 52.7, 9500, 0.2), ("Matam", 53.9, 7000, -0.9),
         ("Kaffrine", 48.0, 8000, -4.0), ("Kédougou", 57.0, 2500, 2.2), ("Sédhiou", 54.1, 6000, 1.0),
         ("Fatick", 59.6, 10000, 0.4)]
CASES = {"counts": "candidats", "rates": "taux", "signed": "evolution"}


@pytest.fixture
def exams_db(tmp_path):
    path = make_db(tmp_path / "examens.db", "examens", ["region", "taux", "candidats", "evolution"],
                   EXAMS, labels={"taux": "Taux de réussite (%)", "candidats": "Candidats",
                                  "evolution": "Évolution (points)"}, file_name="bac_2023.csv")
    import sqlite3

    connection = sqlite3.connect(path)   # the line the importer keeps from the file's preamble
    connection.execute("INSERT INTO _anomalies (table_name, source_id, source_line, raw_value, "
                       "reason) VALUES ('examens', 1, 2, 'Source : Office du Bac, résultats "
                       "2023;;', 'preamble')")
    connection.commit()
    connection.close()
    return path


@pytest.fixture(autouse=True)
def french():
    set_language("fr")
    yield
    set_language("fr")


def _map(db, tmp_path, value, lang="fr", **changes):
    set_language(lang)
    options = MapOptions(region="region", value=value, countries={"SN"}, labels=True,
                         title="Résultats du bac 2023", subtitle="Par région", byline="A. Diallo",
                         **changes)
    svg = tmp_path / f"{value}-{lang}.svg"
    result = write_map(db, tmp_path / f"{value}-{lang}.html", options, table="examens", svg=svg)
    return result, svg.read_text(encoding="utf-8")


def svg_map_texts(svg: str) -> list[str]:
    """Texts of the frame, legend, scale and labels (ids map-*), in document order."""
    root = ET.fromstring(svg)
    out = []
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        gid = group.get("id", "")
        if gid.startswith("map-") and gid not in ("map-area", "map-marks"):
            text = "".join("".join(t.itertext()) for t in group.iter(
                "{http://www.w3.org/2000/svg}text")).strip()
            if text:
                out.append(f"{gid.split('_')[0]}: {text}")
    return out


def _golden(name: str, result, svg: str) -> None:
    lines = [f"choice: {result.choice}"] + [f"legend: {legend.title}" for legend in
                                            result.scene.legends]
    lines += [f"item: {kind} {style} {label}" for legend in result.scene.legends
              for kind, style, label in legend.items]
    lines += svg_map_texts(svg)
    actual = "\n".join(line.replace(NBSP, "⍽") for line in lines) + "\n"
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("DATACTIVISTE_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_svg_of_each_symbology_rule(exams_db, tmp_path, case):
    result, svg = _map(exams_db, tmp_path, CASES[case])
    _golden(f"{case}.fr", result, svg)
    assert "<desc>" in svg and "Description générée automatiquement" in svg   # alt, marked
    assert "Source" in svg and "Office du Bac, résultats 2023" in svg        # the file's own line
    scale = [t for t in svg_map_texts(svg) if t.startswith("map-scale")]
    assert scale and scale[0].endswith("\u00a0km")                          # metric, both languages


def test_rates_in_english_golden(exams_db, tmp_path):
    result, svg = _map(exams_db, tmp_path, "taux", lang="en")
    _golden("rates.en", result, svg)
    assert result.choice.startswith("Colour classes (darker = more)")


def test_counts_are_circles_scaled_by_area_with_round_legend_values_in_range(exams_db, tmp_path):
    result, _svg = _map(exams_db, tmp_path, "candidats")
    assert result.choice.startswith("Cercles proportionnels")
    items = result.scene.legends[0].items
    assert 2 <= len(items) <= 3 and all(kind == "circle" for kind, _r, _l in items)
    values = [float(label.replace(NBSP, "")) for _k, _r, label in items]
    low, high = min(v[2] for v in EXAMS), max(v[2] for v in EXAMS)
    for value in values:
        assert low <= value <= high
        mantissa = value / 10 ** math.floor(math.log10(value))
        assert mantissa in (1, 2, 2.5, 5)                     # round numbers a reader can name
    radii = [float(r) for _k, r, _l in items]
    for (v1, r1), (v2, r2) in zip(zip(values, radii), zip(values[1:], radii[1:])):
        assert r1 / r2 == pytest.approx(math.sqrt(v1 / v2), rel=0.01)   # area, not radius
    drawn = sorted(result.scene.points, key=lambda p: -p[2])
    assert drawn[0][2] / drawn[1][2] == pytest.approx(math.sqrt(41000 / 30000), rel=0.01)


def test_rates_are_sequential_classes_darker_for_more_without_overlap(exams_db, tmp_path):
    result, _svg = _map(exams_db, tmp_path, "taux")
    legend = result.scene.legends[0]
    assert legend.title == "Taux de réussite (%)"
    colours = [style for _k, style, _l in legend.items]
    assert colours == palettes.sequential(len(colours))                  # ColorBrewer Blues
    assert [_luminance(c) for c in colours] == sorted((_luminance(c) for c in colours),
                                                      reverse=True)       # darker = more
    bounds, counts = [], 0
    for _kind, _style, label in legend.items:
        assert label.count("%") == 2 or label.count("%") == 1            # the unit on each
        numbers = label.split(" (")[0].replace("%", "").replace(NBSP, "").split("–")
        bounds.append([float(n.strip().replace(",", ".")) for n in numbers])
        counts += int(label.rsplit("(", 1)[1].rstrip(")"))
    assert counts == len(EXAMS)                                           # every region counted
    for (_low, high), (next_low, _h) in zip(bounds, bounds[1:]):
        assert high < next_low                                            # no shared limit
    assert bounds[0][0] == min(v[1] for v in EXAMS) and bounds[-1][-1] == max(v[1] for v in EXAMS)
    assert legend.note == "(n) : nombre de régions dans chaque classe"


def test_signed_values_diverge_around_zero(exams_db, tmp_path):
    result, _svg = _map(exams_db, tmp_path, "evolution")
    items = result.scene.legends[0].items
    negatives = [style for _k, style, label in items if label.startswith("\u2212")]
    positives = [style for _k, style, label in items if not label.startswith("\u2212")]
    assert negatives and positives
    assert all(c in palettes.REDS_OUT for c in negatives)
    assert all(c in palettes.BLUES_OUT for c in positives)
    assert any(label.startswith("0" + NBSP + "–") or label.startswith("0 –") or
               label.startswith("0") for _k, _s, label in items)          # 0 starts a class


def test_symbol_override_and_its_limits(exams_db, tmp_path):
    circles, _svg = _map(exams_db, tmp_path, "taux", symbol="circle")
    assert circles.scene.points and "--symbol circle" in circles.choice
    colours, _svg = _map(exams_db, tmp_path, "candidats", symbol="colour")
    assert not colours.scene.points and "--symbol colour" in colours.choice
    signed, _svg = _map(exams_db, tmp_path, "evolution", symbol="circle")
    assert not signed.scene.points                                         # no negative circle


def test_a_rate_without_unit_is_told(tmp_path):
    db = make_db(tmp_path / "t.db", "t", ["region", "taux"], [(r[0], r[1]) for r in EXAMS])
    result = write_map(db, tmp_path / "t.html", MapOptions(region="region", value="taux",
                                                           countries={"SN"}), table="t")
    assert any("--unit" in message for message in result.messages)


def test_static_legend_is_placed_where_it_hides_nothing(exams_db, tmp_path):
    for value in CASES.values():
        result, _svg = _map(exams_db, tmp_path, value)
        plan = layout(result.scene)
        assert plan.legend_box is not None                 # Senegal leaves a free corner
        assert not legend_overlaps(plan)                   # no circle, label or scale under it
        assert not _blocked_by_areas(result.scene, plan.projection)(plan.legend_box)
        box, area = plan.legend_box, plan.projection.box
        assert area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]


def test_legend_goes_below_a_map_with_no_free_corner(tmp_path):
    from datactiviste.maps.frame import Legend
    from datactiviste.maps.static import Scene

    grid = [(12.3 + i * 0.25, -17.5 + j * 0.3, 6.0, "#3182bd") for i in range(19) for j in range(21)]
    scene = Scene((12.3, -17.5, 16.7, -11.4), {"type": "FeatureCollection", "features": []},
                  points=grid, legends=[Legend("Écoles", [("swatch", "#3182bd", "publique")])])
    plan = layout(scene)
    assert plan.legend_box is None
    assert plan.height > plan.projection.box[3] + plan.legend.height   # room made below the map


def test_html_map_keeps_legend_and_source_outside_the_map(exams_db, tmp_path):
    result, _svg = _map(exams_db, tmp_path, "taux")
    head, _, rest = result.html.partition('<footer class="dtv-foot">')
    assert 'class="dtv-legend"' in rest and 'class="dtv-source"' in rest
    assert "imperial: false" in result.html                        # scale bar in km only
    assert "Carte\u00a0: A. Diallo" in rest or "Carte : A. Diallo" in rest
