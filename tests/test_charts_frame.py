"""Provenance and headline on charts and maps made from a real import (issue 17)."""

from __future__ import annotations

from pathlib import Path

from datactiviste.charts import ChartSpec, make_chart
from datactiviste.ingest.importer import import_file
from datactiviste.maps.build import write_map
from datactiviste.maps.points import MapOptions

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_default_source_is_the_files_own_source_line(tmp_path):
    """preamble_and_footer.csv ends with 'Source : ministère (fictif)': charts say that, not
    the file name; an explicit --source still wins."""
    db = tmp_path / "p.db"
    import_file(FIXTURES / "preamble_and_footer.csv", db)
    result = make_chart(ChartSpec(type="bar", db=str(db), table="preamble_and_footer",
                                  x="commune", y="montant", lang="fr", title="Thiès devant"),
                        tmp_path / "c")
    assert result.frame.source == "ministère (fictif)"
    svg = result.files["svg"].read_text(encoding="utf-8")
    assert "Source\u00a0: ministère (fictif)" in svg and "preamble_and_footer.csv" not in svg
    explicit = make_chart(ChartSpec(type="bar", db=str(db), table="preamble_and_footer",
                                    x="commune", y="montant", lang="fr", source="Mairie"),
                          tmp_path / "d")
    assert explicit.frame.source == "Mairie"


def test_chart_cli_warns_when_the_title_names_the_wrong_leader(run_cli, tmp_path):
    db = tmp_path / "p.db"
    import_file(FIXTURES / "preamble_and_footer.csv", db)
    wrong = run_cli("chart", "--db", db, "--table", "preamble_and_footer", "--type", "bar",
                    "--x", "commune", "--y", "montant", "--title", "Dakar arrive en tête",
                    "-o", tmp_path / "w")
    assert wrong.exit_code == 0
    assert "Le titre dit que «Dakar» arrive en tête" in wrong.output
    assert "1. Thiès" in wrong.output
    right = run_cli("chart", "--db", db, "--table", "preamble_and_footer", "--type", "bar",
                    "--x", "commune", "--y", "montant", "--title", "Thiès arrive en tête",
                    "-o", tmp_path / "r")
    assert "Le titre dit" not in right.output
    assert "Ko)" in right.output and ".5\u00a0Ko" not in right.output   # sizes: French commas


def test_points_sized_by_a_rate_get_colour_classes(tmp_path, run_cli):
    from tests.test_maps_fixtures import make_db

    rows = [(14.7 + i * 0.1, -17.4 + i * 0.2, 40.0 + i * 2.5) for i in range(10)]
    db = make_db(tmp_path / "e.db", "ecoles", ["lat", "lon", "taux_reussite"], rows)
    result = write_map(db, tmp_path / "e.html", MapOptions(size="taux_reussite", unit="%"),
                       table="ecoles")
    assert result.choice.startswith("Classes de couleur")
    assert len({p[2] for p in result.scene.points}) == 1          # one size: colour says it
    assert len({p[3] for p in result.scene.points}) >= 3
    cli = run_cli("map", "--db", db, "--table", "ecoles", "--size", "taux_reussite",
                  "--symbol", "circle", "-o", tmp_path / "c.html")
    assert cli.exit_code == 0 and "--symbol circle" in cli.output.splitlines()[0]


def test_point_map_title_is_checked_against_the_points_per_category(tmp_path):
    from tests.test_maps_fixtures import make_db

    rows = [(14.7 + i * 0.05, -17.0 + i * 0.1, "publique" if i % 3 else "privée") for i in range(12)]
    db = make_db(tmp_path / "s.db", "ecoles", ["lat", "lon", "statut"], rows)
    wrong = write_map(db, tmp_path / "w.html", MapOptions(color="statut",
                                                          title="Les écoles privées dominent"),
                      table="ecoles")
    assert any("«privée»" in m and "1. publique (8)" in m for m in wrong.messages)
    right = write_map(db, tmp_path / "r.html", MapOptions(color="statut",
                                                          title="Les écoles publiques dominent"),
                      table="ecoles")
    assert not any("Le titre" in m for m in right.messages)
