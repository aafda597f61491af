"""Publication charts: every type in French and English, frame, formats, sizes, bad input.

Golden files (tests/fixtures/charts/TYPE.LANG.txt) hold the text an SVG carries, one <text>
per line, plus its <title> and <desc>: a change in labels, number formats or the frame shows
up as a readable diff. Regenerate after an intended change with
    DATACTIVISTE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_charts.py
and read the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from datactiviste.charts import ChartSpec, make_chart
from datactiviste.charts.palette import DEFAULT_PALETTE, colour_blind_conflicts
from datactiviste.charts.sample import build_sample_database
from datactiviste.errors import DatactivisteError

GOLDEN = Path(__file__).parent / "fixtures" / "charts"
SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"

# One case per chart type: (type, spec fields). Titles say a finding, as the issue asks.
CASES = {
    "bar": dict(table="budget", x="region", y="montant", agg="sum",
                title="Dakar reçoit le plus gros budget", subtitle="Budget 2024 par région",
                byline="A. Diallo", notes="Tous secteurs confondus."),
    "column": dict(table="budget", x="secteur", y="montant", agg="sum",
                   title="L’eau d’abord"),
    "grouped": dict(sql="SELECT * FROM budget WHERE region IN ('Dakar', 'Thiès', 'Kolda')",
                    x="region", y="montant", color="secteur", title="Partout, l’eau d’abord"),
    "stacked": dict(table="budget", x="region", y="montant", color="secteur",
                    title="Dakar en tête dans chaque secteur"),
    "line": dict(table="prix", x="mois", y="prix", color="produit",
                 title="Le riz toujours plus cher", byline="M. Sow"),
    "area": dict(table="pluie", x="jour", y="pluie", title="Une seule saison des pluies"),
    "donut": dict(table="budget", x="secteur", y="montant", agg="sum",
                  title="L’eau, 43 % du budget"),
    "pie": dict(sql="SELECT secteur, SUM(montant) AS total FROM budget GROUP BY secteur",
                x="secteur", y="total", title="L’eau, 43 % du budget"),
    "scatter": dict(table="ecoles", x="eleves", y="taux_reussite",
                    title="Plus d’élèves, plus de réussite"),
    "table": dict(table="ecoles", x="region", y="taux_reussite",
                  title="Réussite au BFEM par région"),
}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    return build_sample_database(tmp_path_factory.mktemp("charts") / "projet.db")


def svg_texts(svg: str) -> list[str]:
    """The text a reader can select in the SVG, in document order, then title and desc."""
    root = ET.fromstring(svg.split("?>", 1)[-1])
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    title = root.find(f"{SVG}title").text
    desc = root.find(f"{SVG}desc").text
    return [f"title: {title}", f"desc: {desc}"] + texts


def render(sample_db, tmp_path, chart_type, lang, **changes):
    spec = ChartSpec(type=chart_type, db=str(sample_db), lang=lang,
                     **{**CASES[chart_type], **changes})
    return make_chart(spec, tmp_path / f"{chart_type}-{lang}")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("chart_type", sorted(CASES))
def test_svg_text_matches_golden_file(sample_db, tmp_path, chart_type, lang):
    result = render(sample_db, tmp_path, chart_type, lang)
    svg = result.files["svg"].read_text(encoding="utf-8")
    texts = svg_texts(svg)
    golden = GOLDEN / f"{chart_type}.{lang}.txt"
    actual = "\n".join(t.replace(NBSP, "⍽") for t in texts) + "\n"  # NBSP made visible
    if os.environ.get("DATACTIVISTE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")
    # The frame is in the image itself, as selectable text.
    assert f"title: {CASES[chart_type]['title']}" in texts
    assert CASES[chart_type]["title"] in texts
    assert 'id="chart-title"' in svg and 'id="chart-source"' in svg
    assert 'role="img"' in svg and "<desc" in svg
    source = "Source\u00a0: " if lang == "fr" else "Source: "
    assert any(t.startswith(source) for t in texts)
    if "byline" in CASES[chart_type]:
        chart = "Graphique\u00a0: " if lang == "fr" else "Chart: "
        assert any(chart + CASES[chart_type]["byline"] in t for t in texts)


def test_french_and_english_number_formats_on_the_bar_chart(sample_db, tmp_path):
    fr = svg_texts(render(sample_db, tmp_path, "bar", "fr").files["svg"].read_text("utf-8"))
    en = svg_texts(render(sample_db, tmp_path, "bar", "en").files["svg"].read_text("utf-8"))
    assert f"18{NBSP}540{NBSP}340{NBSP}FCFA" in fr  # Dakar, unit repeated on the label
    assert f"18,540,340{NBSP}FCFA" in en
    assert "Source\u00a0: budget_regions_2024.csv (Licence ouverte 2.0) • Graphique\u00a0: A. Diallo" in fr


def test_dates_and_percentages_are_localised(sample_db, tmp_path):
    line_fr = svg_texts(render(sample_db, tmp_path, "line", "fr").files["svg"].read_text("utf-8"))
    line_en = svg_texts(render(sample_db, tmp_path, "line", "en").files["svg"].read_text("utf-8"))
    assert "janv. 2024" in line_fr and "Jan 2024" in line_en
    table_fr = svg_texts(render(sample_db, tmp_path, "table", "fr").files["svg"].read_text("utf-8"))
    table_en = svg_texts(render(sample_db, tmp_path, "table", "en").files["svg"].read_text("utf-8"))
    assert f"49,5{NBSP}%" in table_fr and "49.5%" in table_en
    assert f"38,0{NBSP}%" in table_fr  # one number of decimals for the whole column


@pytest.mark.parametrize("chart_type", sorted(CASES))
def test_png_is_2x_and_files_meet_the_size_budgets(sample_db, tmp_path, chart_type):
    result = render(sample_db, tmp_path, chart_type, "fr")
    image = Image.open(io.BytesIO(result.files["png"].read_bytes()))
    assert image.width == 2 * 640
    svg_width = re.search(r'<svg [^>]*width="(\d+)"', result.files["svg"].read_text("utf-8"))
    assert svg_width.group(1) == "640"  # the SVG opens at the CSS width, the PNG is twice it
    assert result.sizes["png"] <= 150 * 1024
    assert result.sizes["svg"] <= 60 * 1024


def test_365_points_and_20_categories_stay_within_budgets(tmp_path):
    db = build_sample_database(tmp_path / "big.db", categories=20, days=365)
    for chart_type, fields in (("area", CASES["area"]), ("line", dict(CASES["area"])),
                               ("bar", CASES["bar"]), ("column", CASES["bar"]),
                               ("scatter", dict(sql="SELECT julianday(jour) - 2460310 AS j, "
                                                    "pluie FROM pluie", x="j", y="pluie"))):
        spec = ChartSpec(type=chart_type, db=str(db), **fields)
        result = make_chart(spec, tmp_path / chart_type)
        assert result.sizes["png"] <= 150 * 1024, chart_type
        assert result.sizes["svg"] <= 60 * 1024, chart_type


def test_same_spec_gives_the_same_bytes_and_the_json_re_renders_it(sample_db, tmp_path):
    first = render(sample_db, tmp_path / "a", "line", "fr")
    second = render(sample_db, tmp_path / "b", "line", "fr")
    for kind in ("png", "svg", "html", "json"):
        assert first.files[kind].read_bytes() == second.files[kind].read_bytes(), kind
    spec = ChartSpec.load(first.files["json"])
    assert spec.title == CASES["line"]["title"] and spec.lang == "fr"
    third = make_chart(spec, tmp_path / "c" / "line-fr")
    assert third.files["svg"].read_bytes() == first.files["svg"].read_bytes()


def test_alt_text_is_generated_from_the_data_and_says_so(sample_db, tmp_path):
    result = render(sample_db, tmp_path, "bar", "fr")
    assert result.frame.alt_generated
    assert result.frame.alt == (
        "Diagramme en barres\u00a0: Montant (FCFA) par Région. 14 catégories. Valeur la plus "
        f"élevée\u00a0: Dakar (18{NBSP}540{NBSP}340{NBSP}FCFA)\u00a0; la plus basse\u00a0: Fatick "
        f"(600{NBSP}000{NBSP}FCFA). (Description générée automatiquement à partir des données.)")
    trend = render(sample_db, tmp_path, "line", "en").frame.alt
    assert f"Riz: from 400.0{NBSP}FCFA/kg (Jan 2023) to 488.5{NBSP}FCFA/kg (Dec 2024), up" in trend
    given = render(sample_db, tmp_path, "bar", "fr", alt="Dakar domine.")
    assert given.frame.alt == "Dakar domine." and not given.frame.alt_generated
    assert "<desc id=\"chart-svg-desc\">Dakar domine.</desc>" in given.files["svg"].read_text("utf-8")


def test_source_defaults_to_provenance_and_can_be_overridden(sample_db, tmp_path):
    default = render(sample_db, tmp_path, "area", "fr")
    assert default.frame.source == "pluviometrie_thies.csv (CC BY 4.0)"
    assert default.frame.source_url == "https://example.org/pluie"
    html = default.files["html"].read_text("utf-8")
    assert '<a href="https://example.org/pluie" rel="noopener">' in html
    custom = render(sample_db, tmp_path, "area", "fr", source="ANACIM", source_url="")
    assert custom.frame.source == "ANACIM" and "example.org" not in custom.files["html"].read_text("utf-8")


def test_logo_and_credit_line_are_embedded(sample_db, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (600, 200), "#b00020").save(logo)
    result = render(sample_db, tmp_path, "column", "fr", logo=str(logo),
                    credit="Le Quotidien de Thiès")
    svg = result.files["svg"].read_text("utf-8")
    assert 'id="chart-logo"' in svg and "data:image/png;base64," in svg
    assert "Le Quotidien de Thiès" in svg_texts(svg)
    png = Image.open(result.files["png"]).convert("RGB")
    # bottom right corner of the 2x PNG holds the logo's red
    assert png.getpixel((png.width - 2 * 14 - 10, png.height - 2 * 14 - 10)) == (176, 0, 32)
    assert result.sizes["svg"] <= 60 * 1024 and result.sizes["png"] <= 150 * 1024
    error = error_of(sample_db, tmp_path, logo=str(tmp_path / "absent.png"))
    assert error.message.startswith("Logo introuvable")


def test_title_with_html_is_escaped_everywhere(sample_db, tmp_path):
    title = 'Budget <script>alert("x")</script> & <b>gras</b>'
    result = render(sample_db, tmp_path, "column", "fr", title=title)
    svg = result.files["svg"].read_text("utf-8")
    html = result.files["html"].read_text("utf-8")
    assert "<script" not in svg
    # the only script is ours (the height message for the embed), and the title is not in it
    assert html.count("<script") == 1 and "alert" not in html.split("<script>", 1)[1]
    assert "&lt;script&gt;" in svg and "&lt;script&gt;" in html
    assert f"title: {title}" in svg_texts(svg)  # shown literally, not interpreted
    assert title in result.embed.replace("&lt;", "<").replace("&gt;", ">").replace(
        "&quot;", '"').replace("&amp;", "&")


def test_dollar_signs_are_not_maths(sample_db, tmp_path):
    result = render(sample_db, tmp_path, "column", "en", title="From $5 to $10 a day")
    assert "title: From $5 to $10 a day" in svg_texts(result.files["svg"].read_text("utf-8"))


def test_colour_blind_check_flags_a_red_green_palette_not_the_default():
    assert colour_blind_conflicts(DEFAULT_PALETTE) == []
    conflicts = colour_blind_conflicts(["#d62728", "#2ca02c"], ["Urbain", "Rural"])
    assert conflicts and conflicts[0]["first"] == "Urbain"
    assert conflicts[0]["deficiency"] == "deuteranopia"
    assert colour_blind_conflicts(["#ff7f0e", "#2ca02c"])[0]["deficiency"] == "protanopia"


def test_chart_with_colliding_palette_warns_and_default_does_not(sample_db, tmp_path):
    clean = render(sample_db, tmp_path, "line", "fr")
    assert not [w for w in clean.warnings if "ΔE" in w]
    clash = render(sample_db, tmp_path, "line", "fr", palette=["#d62728", "#2ca02c", "#1f77b4"])
    assert any("« Riz » et « Mil » se confondent en cas de deutéranopie" in w
               for w in clash.warnings), clash.warnings


def test_pie_warns_past_six_slices(sample_db, tmp_path):
    result = render(sample_db, tmp_path, "pie", "fr",
                    sql="SELECT region, SUM(montant) AS total FROM budget GROUP BY region",
                    x="region")
    assert any("14 parts sont difficiles à comparer" in w for w in result.warnings)


# --- bad input: a clear message in the user's language, never a traceback ------------------

def error_of(sample_db, tmp_path, chart_type="bar", **changes) -> DatactivisteError:
    with pytest.raises(DatactivisteError) as caught:
        render(sample_db, tmp_path, chart_type, "fr", **changes)
    return caught.value


def test_missing_column_suggests_close_names(sample_db, tmp_path):
    error = error_of(sample_db, tmp_path, x="regoin")
    assert error.message == "Colonne « regoin » introuvable dans la table « budget »."
    assert "«region»" in error.hint


def test_original_header_is_accepted_as_a_column_name(sample_db, tmp_path):
    result = render(sample_db, tmp_path, "bar", "fr", y="Montant (FCFA)")
    assert result.data.y_label == "Montant (FCFA)"


def test_non_numeric_y_names_the_values(sample_db, tmp_path):
    error = error_of(sample_db, tmp_path, y="secteur")
    assert "« secteur » doit contenir des nombres" in error.message
    assert "«Santé», «Éducation», «Eau»" in error.message


def test_empty_result_is_refused(sample_db, tmp_path):
    error = error_of(sample_db, tmp_path, table=None, sql="SELECT * FROM budget WHERE 0")
    assert error.message.startswith("Rien à dessiner")


def test_ten_thousand_categories_are_refused_with_advice(tmp_path):
    db = build_sample_database(tmp_path / "communes.db", categories=10_000, days=10)
    with pytest.raises(DatactivisteError) as caught:
        make_chart(ChartSpec(type="bar", db=str(db), table="budget", x="region", y="montant",
                             lang="fr"), tmp_path / "trop")
    assert caught.value.message.startswith("10000 catégories dans « region »")
    assert "GROUP BY" in caught.value.hint and "LIMIT" in caught.value.hint
    assert not (tmp_path / "trop.png").exists()


def test_edge_cases_draw_or_explain(sample_db, tmp_path):
    negative = render(sample_db, tmp_path, "bar", "en", table=None, agg=None,
                      sql="SELECT region, 50 - taux_reussite AS ecart FROM ecoles",
                      x="region", y="ecart")
    assert "-17.3" in svg_texts(negative.files["svg"].read_text("utf-8"))
    single = render(sample_db, tmp_path, "line", "fr", color=None, table=None,
                    sql="SELECT '2024-01-01' AS mois, 5 AS prix")
    assert "De 5\u00a0FCFA/kg (2024) à 5\u00a0FCFA/kg (2024), stable" in single.frame.alt
    error = error_of(sample_db, tmp_path, "donut", table=None,
                     sql="SELECT secteur, 0 AS montant FROM budget")
    assert error.message.startswith("Toutes les valeurs sont nulles")
    untitled = render(sample_db, tmp_path, "column", "fr", title=None)
    assert any(w.startswith("Pas de --title") for w in untitled.warnings)


def test_bad_sql_and_writes_are_refused(sample_db, tmp_path):
    error = error_of(sample_db, tmp_path, table=None, sql="SELECT * FROM nulle_part")
    assert error.message.startswith("La requête SQL a échoué")
    error = error_of(sample_db, tmp_path, table=None, sql="DELETE FROM budget")
    assert error.message.startswith("La requête SQL a échoué")


# --- the command line -----------------------------------------------------------------------

def test_cli_writes_four_files_and_prints_the_embed_snippet(run_cli, sample_db):
    result = run_cli("chart", "--db", sample_db, "--table", "budget", "--type", "bar",
                     "--x", "region", "--y", "montant", "--agg", "sum",
                     "--title", "Dakar en tête", "--byline", "A. Diallo", "-o", "budget")
    assert result.exit_code == 0, result.output
    for suffix in ("png", "svg", "html", "json"):
        assert Path(f"budget.{suffix}").is_file()
    assert '<iframe id="datactiviste-budget" src="budget.html" title="Dakar en tête"' in result.output
    assert "Texte alternatif généré à partir des données" in result.output
    assert "Graphique écrit." in result.output


def test_cli_spec_re_renders_with_overrides(run_cli, sample_db):
    run_cli("chart", "--db", sample_db, "--table", "prix", "--type", "line", "--x", "mois",
            "--y", "prix", "--color", "produit", "--title", "Premier titre", "-o", "prix")
    before = Path("prix.svg").read_text("utf-8")
    result = run_cli("chart", "--spec", "prix.json", "--title", "Le riz flambe")
    assert result.exit_code == 0, result.output
    after = Path("prix.svg").read_text("utf-8")
    assert "Le riz flambe" in after and "Premier titre" not in after
    assert json.loads(Path("prix.json").read_text("utf-8"))["title"] == "Le riz flambe"
    assert before.replace("Premier titre", "Le riz flambe") == after


def test_cli_errors_are_translated_without_traceback(run_cli, sample_db):
    result = run_cli("chart", "--db", sample_db, "--table", "budget", "--type", "bar",
                     "--x", "region", "--y", "secteur", "-o", "x")
    assert result.exit_code == 2
    assert "Erreur : La colonne « secteur » doit contenir des nombres" in result.output
    assert "Traceback" not in result.output
    english = run_cli("--lang", "en", "chart", "--db", sample_db, "--table", "budgte",
                      "--type", "bar", "--x", "region", "--y", "montant", "-o", "x")
    assert english.exit_code == 2
    assert "Table «budgte» not found" in english.output and "«budget»" in english.output
    missing = run_cli("chart", "--db", "absent.db", "--table", "t", "--type", "bar",
                      "--x", "a", "--y", "b", "-o", "x")
    assert "Base de données introuvable : absent.db" in missing.output


def test_cli_chart_language_follows_lang(run_cli, sample_db):
    run_cli("--lang", "en", "chart", "--db", sample_db, "--table", "budget", "--type", "donut",
            "--x", "secteur", "--y", "montant", "--agg", "sum", "-o", "donut")
    spec = json.loads(Path("donut.json").read_text("utf-8"))
    assert spec["lang"] == "en"
    assert "Donut chart: Montant (FCFA) by Secteur." in Path("donut.svg").read_text("utf-8")


def test_chart_from_a_real_import(run_cli, tmp_path):
    """The importer's provenance flows into the chart: source line, dates, French numbers."""
    from datactiviste.ingest.importer import import_file

    csv_file = Path(__file__).resolve().parents[1] / "datactiviste" / "sample_data" / \
        "prix_marches" / "prix_marches_uemoa.csv"
    if not csv_file.exists():
        pytest.skip("sample data not present")
    import_file(csv_file, tmp_path / "imp.db")
    result = make_chart(ChartSpec(
        type="line", db=str(tmp_path / "imp.db"), lang="fr",
        sql="SELECT date, produit, prix_fcfa FROM prix_marches_uemoa WHERE ville = 'Dakar' "
            "AND produit IN ('Mil', 'Oignon')",
        x="date", y="prix_fcfa", color="produit", title="Le mil rattrape l’oignon"),
        tmp_path / "mil")
    texts = svg_texts(result.files["svg"].read_text("utf-8"))
    assert "Source\u00a0: prix_marches_uemoa.csv" in texts
    assert "janv. 2024" in texts
