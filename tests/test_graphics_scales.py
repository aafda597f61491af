"""The shared rules of charts and maps: classes, circle sizes, units, legend placement, labels."""

from __future__ import annotations

import math
import random
import sqlite3

import pytest

from datactiviste.graphics.frame import default_source, import_source_line
from datactiviste.graphics.legend import place_legend
from datactiviste.graphics.scales import circle_legend_values, circle_radius, class_breaks
from datactiviste.graphics.symbology import choose_symbology, measure_of
from datactiviste.graphics.units import detect_unit, titled, unit_formatter
from datactiviste.maps.label_points import label_point


@pytest.mark.parametrize("seed", range(40))
def test_classes_never_overlap_and_hold_every_value(seed):
    rng = random.Random(seed)
    scale = rng.choice([1, 0.01, 100, 10_000])
    values = [round(rng.lognormvariate(0, 1) * scale, rng.choice([0, 1, 2])) for _ in
              range(rng.randint(2, 60))]
    found = class_breaks(values, rng.randint(2, 7))
    assert sum(c.count for c in found.classes) == len(values)
    assert found.classes[0].low == min(values) and found.classes[-1].high == max(values)
    for this, following in zip(found.classes, found.classes[1:]):
        assert this.high < following.low                     # shown limits never shared
        assert this.count > 0
    for value in values:                                    # index() agrees with the labels
        c = found.classes[found.index(value)]
        assert c.low <= value <= c.high


def test_class_limits_are_round():
    values = [48.2, 50.1, 51.5, 52.0, 53.3, 55.1, 56.0, 57.4, 58.0, 59.9, 61.2, 62.0, 63.0]
    breaks = class_breaks(values, 5).breaks
    assert len(breaks) == 4 and all(float(b).is_integer() for b in breaks)   # 52, 55…
    signed = class_breaks([-5.5, -2, 0.5, 3, 7.2, 1.1], 5, midpoint=0.0)
    assert 0.0 in signed.breaks


@pytest.mark.parametrize("low, high", [(48, 63), (120, 18_540_340), (1, 9), (2500, 41000),
                                       (0.02, 0.9), (990, 1000)])
def test_circle_legend_values_are_round_and_inside_the_range(low, high):
    values = circle_legend_values(low, high)
    assert 1 <= len(values) <= 3 and values == sorted(values, reverse=True)
    for value in values:
        assert low <= value <= high
    radii = [circle_radius(v, high) for v in values]
    for v, r in zip(values, radii):
        assert r == pytest.approx(max(1.5, 24 * math.sqrt(v / high)), abs=0.01)


@pytest.mark.parametrize("name, unit, values, measure", [
    ("habitants", None, [3_000_000, 120_000], "count"),
    ("Taux de réussite", None, [48.1, 63.0], "rate"),
    ("participation", None, [48, 63], "rate"),
    ("x", "%", [10, 20], "rate"),
    ("montant", "FCFA", [1500.5, 20000.25], "count"),
    ("part", None, [0.2, 0.5], "rate"),
    ("v", None, [0.25, 0.75], "rate"),
    ("solde", None, [-3, 4], "signed"),
    ("Densité (hab/km²)", None, [12, 5000], "rate"),
    ("ecoles", None, [12, 40], "count"),
])
def test_measure_is_read_from_unit_name_and_range(name, unit, values, measure):
    assert measure_of(values, name, unit)[0] == measure


def test_choice_says_why_in_one_line():
    choice = choose_symbology([12, 40, 3], "ecoles")
    assert choice.kind == "circle" and "\n" not in choice.reason and "ecoles" in choice.reason


@pytest.mark.parametrize("label, imported, unit", [
    ("Taux de réussite (%)", None, "%"), ("Montant (FCFA)", None, "FCFA"),
    ("pct_admis", None, "%"), ("taux", None, None), ("taux", "‰", "‰"), ("Prix [FCFA/kg]", None, "FCFA/kg")])
def test_units_from_the_header(label, imported, unit):
    assert detect_unit(label, imported) == unit


def test_units_are_written_once_in_each_language():
    assert titled("Taux de réussite (%)", "%") == "Taux de réussite (%)"
    assert titled("taux", "%") == "taux (%)"
    assert unit_formatter("%", "fr")(48.5) == "48,5\u00a0%"
    assert unit_formatter("%", "en")(48.5) == "48.5%"
    assert unit_formatter("FCFA", "fr")(1234) == "1\u00a0234\u00a0FCFA"


def test_legend_takes_the_first_free_spot_or_none():
    area = (0, 0, 400, 300)
    assert place_legend((100, 60), area, []) == (292, 232, 392, 292)           # bottom right
    bottom_right = [(250, 200, 400, 300)]
    assert place_legend((100, 60), area, bottom_right) == (292, 8, 392, 68)    # top right
    everywhere = [(x, y, x + 20, y + 20) for x in range(0, 400, 30) for y in range(0, 300, 30)]
    assert place_legend((100, 60), area, everywhere) is None
    assert place_legend((500, 60), area, []) is None                          # too big
    assert place_legend((100, 60), area, [], blocked=lambda box: box[0] > 200) == (8, 232, 108, 292)


def test_label_point_is_inside_a_crescent():
    # a C shape: its centroid is in the hole on the right
    ring = [(0, 0), (10, 0), (10, 2), (2, 2), (2, 8), (10, 8), (10, 10), (0, 10), (0, 0)]
    x, y = label_point({"type": "Polygon", "coordinates": [ring]})
    assert 0 < x < 2 or (0 < y < 2 or 8 < y < 10)
    from matplotlib.path import Path

    assert Path(ring).contains_point((x, y))


@pytest.mark.parametrize("raw, found", [
    ("Source : MSAS/DES, enquête 2023;;", "MSAS/DES, enquête 2023"),
    ("SOURCES: ANSD", "ANSD"), ("Source des données : INS Niger", "INS Niger"),
    ("Données : Banque mondiale", "Banque mondiale"), ("Note : en FCFA", ""),
    ('"Source : ministère (fictif)"', "ministère (fictif)")])
def test_the_files_own_source_line_is_found(tmp_path, raw, found):
    from datactiviste import project

    connection = project.connect(tmp_path / "p.db")
    project.ensure_schema(connection)
    connection.execute("INSERT INTO _sources (id, table_name, file_name) VALUES (7, 't', 'f.csv')")
    connection.execute("INSERT INTO _anomalies (table_name, source_id, source_line, raw_value, "
                       "reason) VALUES ('t', 7, 1, 'Titre du tableau', 'preamble')")
    connection.execute("INSERT INTO _anomalies (table_name, source_id, source_line, raw_value, "
                       "reason) VALUES ('t', 7, 9, ?, 'footer')", (raw,))
    provenance = {"id": 7, "file_name": "f.csv", "licence": None}
    assert import_source_line(connection, provenance) == found
    assert default_source({**provenance, "source_line": found})[0] == (found or "f.csv")
    assert import_source_line(sqlite3.connect(":memory:"), provenance) == ""   # no tables
