"""File steps check what data a chart or map was drawn from, not only that a file exists.

Real outputs made by the real `datactiviste chart`, `map` and `dossier build` commands, in a
learner's folder holding the module's sample files; only the gaming cases write files by hand.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
import time
from pathlib import Path

import pytest

from datactiviste.built_from import read_records
from datactiviste.i18n import set_language
from datactiviste.lessons.checkers import check
from datactiviste.lessons.loader import get_module
from datactiviste.lessons.verify import _unchecked_sources, copy_module_files, run_command
from datactiviste.lessons.schema import validate_step

RATE_SQL = ("SELECT region_code, round(100.0 * sum(admis) / sum(candidats), 1) AS taux "
            "FROM resultats_examens_regions WHERE annee = 2024 GROUP BY region_code")


@pytest.fixture(autouse=True)
def french():
    set_language("fr")
    yield
    set_language(None)


def _folder(tmp_path, *modules):
    """A learner's folder with the files of `modules` imported, as their first steps say."""
    for number in modules:
        module = get_module(number)
        copy_module_files(module, tmp_path)
        for name in (Path(relative).name for relative in module.files if relative.endswith(".csv")):
            _run(f"datactiviste import {name}", tmp_path)
    return tmp_path


def _run(command: str, folder):
    code, output = run_command(command, folder)
    assert code == 0, output
    return output


def _map(folder, source: str, output: str, extra: str = ""):
    _run(f"datactiviste map {source} -o {output} --title Carte {extra}", folder)


def _rate_step():
    module = get_module(6, "fr")
    return module, module.step("carte-regions")


@pytest.fixture(scope="module")
def map_folder(tmp_path_factory):
    return _folder(tmp_path_factory.mktemp("carte"), 6, 7)


def test_the_steps_own_command_passes(map_folder):
    module, step = _rate_step()
    started = time.time()
    _run(step.data["solution_commands"][-1], map_folder)
    result = check(module, step, None, map_folder, started_at=started)
    assert result.ok, result.message


@pytest.mark.parametrize("sql", [
    # other column order, other case, other quoting, an alias, a CTE: the same data
    'select round(100.0*SUM("ADMIS")/sum(Candidats),1) as taux, R.Region_Code from '
    'RESULTATS_EXAMENS_REGIONS r where r."annee" = 2024 group by r.region_code',
    "WITH t AS (SELECT * FROM [resultats_examens_regions] WHERE annee = 2024) "
    "SELECT `region_code`, round(sum(admis) * 100.0 / sum(candidats), 1) AS taux FROM t GROUP BY 1",
])
def test_equivalent_sql_passes(map_folder, sql):
    module, step = _rate_step()
    started = time.time()
    _map(map_folder, "--sql " + shlex.quote(sql), "carte_reussite.html", "--region region_code --value taux")
    result = check(module, step, None, map_folder, started_at=started)
    assert result.ok, result.message


def test_a_map_of_another_table_fails_and_says_which(map_folder):
    """Module 6's health map, made again (fresh) under the name the pass-rate step expects."""
    module, step = _rate_step()
    started = time.time()
    _map(map_folder, "--table structures_sante", "carte_reussite.html", "--source x")
    result = check(module, step, None, map_folder, started_at=started)
    assert not result.ok
    assert ("carte_reussite.html a été fait à partir de la table «structures_sante» ; cette étape "
            "demande de le faire à partir de «resultats_examens_regions».") in result.message


def test_a_map_of_the_right_table_without_the_counts_fails_and_names_the_column(map_folder):
    """The average of the per-sex rates is not the rate for boys and girls together."""
    module, step = _rate_step()
    started = time.time()
    sql = ("SELECT region_code, avg(taux_reussite) AS taux FROM resultats_examens_regions "
           "WHERE annee = 2024 GROUP BY region_code")
    _map(map_folder, "--sql " + shlex.quote(sql), "carte_reussite.html", "--region region_code --value taux")
    result = check(module, step, None, map_folder, started_at=started)
    assert not result.ok and "sans sa colonne «admis»" in result.message


def test_a_query_reading_no_table_fails(map_folder):
    module, step = _rate_step()
    started = time.time()
    sql = "SELECT 'SN-DK' AS region_code, 70 AS taux UNION ALL SELECT 'SN-TH', 60"
    _map(map_folder, "--sql " + shlex.quote(sql), "carte_reussite.html", "--region region_code --value taux")
    result = check(module, step, None, map_folder, started_at=started)
    assert not result.ok and "sa requête n'en lit aucune" in result.message


def test_a_hand_written_page_fails_even_with_title_and_source(map_folder):
    module, step = _rate_step()
    (map_folder / "carte_reussite.html").write_text(
        "<html><head><title>Taux de réussite</title></head><body>Source : Natural Earth</body></html>",
        encoding="utf-8")
    result = check(module, step, None, map_folder, started_at=time.time() - 1)
    assert not result.ok
    assert result.message.endswith("carte_reussite.html ne dit pas à partir de quelles données il a été "
                                   "fait : refaites-le avec la commande de l'étape.")


def test_a_chart_from_module_6_data_does_not_pass_module_7(map_folder):
    module = get_module(7, "fr")
    step = module.step("courbe")
    started = time.time()
    _run("datactiviste chart --sql \"SELECT type, count(*) AS n FROM structures_sante GROUP BY type\" "
         "--type bar --x type --y n --title Structures --source x --alt x -o prix_mil", map_folder)
    result = check(module, step, None, map_folder, started_at=started)
    assert not result.ok
    assert "prix_mil.png a été fait à partir de la table «structures_sante»" in result.message
    _run(step.data["solution_commands"][-1], map_folder)  # the step's own chart passes
    assert check(module, step, None, map_folder, started_at=started).ok


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_dossier_of_modules_6_and_7_charts_does_not_pass_module_8(tmp_path, language):
    """The team's dossier must chart the election results, not the leftovers of earlier modules."""
    set_language(language)
    folder = _folder(tmp_path, 7, 8)
    module = get_module(8, language)
    step = module.step("dossier")
    dossier = step.data["solution_files"]["dossier.md"]
    dossier = re.sub(r"\{\{ (graphique|chart): [^}]*\}\}",
                     r'{{ \1: SELECT ville, avg(prix_fcfa) AS prix FROM prix_marches_uemoa '
                     'GROUP BY ville | type=bar }}', dossier)
    dossier = re.sub(r"\{\{ (carte|map): [^}]*\}\}", "", dossier)
    (folder / "dossier.md").write_text(dossier, encoding="utf-8")
    started = time.time()
    _run("datactiviste dossier build . --no-pdf", folder)
    records = read_records(folder / "dossier.html")
    assert {"prix_marches_uemoa"} <= {t for r in records for t in r["tables"]}
    result = check(module, step, None, folder, started_at=started)
    assert not result.ok
    expected = "«resultats_municipales_fictives»"
    assert expected in result.message and "«prix_marches_uemoa»" in result.message
    (folder / "dossier.md").write_text(step.data["solution_files"]["dossier.md"], encoding="utf-8")
    _run("datactiviste dossier build . --no-pdf", folder)
    assert check(module, step, None, folder, started_at=started).ok


@pytest.mark.parametrize("record", ['{"tables": {"resultats_examens_regions": 5}}', '{"tables": "x"}', '[1]',
                                    '{"table": 3}', 'not json', '{"tables": {"3": [null]}}'])
def test_a_forged_record_of_any_shape_fails_without_crashing(map_folder, record):
    import html

    module, step = _rate_step()
    (map_folder / "carte_reussite.html").write_text(
        f'<html><head><meta name="datactiviste-source" content="{html.escape(record)}">'
        "<title>Taux</title></head><body>Source : Natural Earth</body></html>", encoding="utf-8")
    result = check(module, step, None, map_folder, started_at=time.time() - 1)
    assert not result.ok and "carte_reussite.html" in result.message


def test_every_output_records_its_data_escaped_and_small(map_folder):
    """Chart and map files, in every format, carry the same record; hostile SQL stays inert."""
    sql = ("SELECT ville, avg(prix_fcfa) AS prix FROM prix_marches_uemoa "
           "WHERE produit <> '</metadata><script>alert(\"x\")</script>' GROUP BY ville")
    _run(f"datactiviste chart --sql {shlex.quote(sql)} --type bar --x ville --y prix -o hostile", map_folder)
    _map(map_folder, f"--sql {shlex.quote(RATE_SQL)}", "regions.html",
         "--region region_code --value taux --png regions.png --svg regions.svg --geojson regions.geojson")
    chart = [map_folder / f"hostile.{s}" for s in ("png", "svg", "html", "json")]
    for path in chart:
        (record,) = read_records(path)
        assert record == {"db": "datactiviste.db", "sql": sql,
                          "tables": {"prix_marches_uemoa": ["prix_fcfa", "produit", "ville"]}}, path
    for path in [map_folder / f"regions.{s}" for s in ("html", "png", "svg", "geojson")]:
        (record,) = read_records(path)
        assert record["tables"] == {"resultats_examens_regions": ["admis", "annee", "candidats",
                                                                  "region_code"]}, path
    for path in chart[1:3]:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and text.count("</metadata>") <= 1
        assert len(re.findall("datactiviste-source", text)) == 1
    html = chart[2].read_text(encoding="utf-8")
    meta = re.search(r'<meta name="datactiviste-source"[^>]*>', html).group(0)
    assert len(meta) < 600  # a few hundred bytes in a 40 KB page


def test_a_whole_table_is_recorded_in_a_few_bytes(map_folder):
    _map(map_folder, "--table structures_sante", "points.html")
    (record,) = read_records(map_folder / "points.html")
    assert record == {"db": "datactiviste.db", "table": "structures_sante",
                      "tables": {"structures_sante": ["*"]}}


def test_the_spec_with_its_record_draws_the_same_chart_again(map_folder):
    module = get_module(7, "fr")
    _run(module.step("courbe").data["solution_commands"][-1], map_folder)
    first = {s: (map_folder / f"prix_mil.{s}").read_bytes() for s in ("png", "svg", "html", "json")}
    assert "built_from" in json.loads(first["json"])
    _run("datactiviste chart --spec prix_mil.json -o prix_mil", map_folder)
    assert {s: (map_folder / f"prix_mil.{s}").read_bytes() for s in first} == first


def test_the_png_record_is_a_valid_chunk(map_folder):
    from PIL import Image

    _map(map_folder, f"--sql {shlex.quote(RATE_SQL)}", "r.html",
         "--region region_code --value taux --png r.png")
    with Image.open(map_folder / "r.png") as image:
        image.load()  # Pillow checks every chunk's CRC
        assert json.loads(image.text["datactiviste-source"])["tables"]["resultats_examens_regions"]


def test_the_schema_wants_tables_as_a_list_of_names():
    step = {"id": "s", "kind": "do_it", "text": "t", "hints": ["h"], "solution": "s",
            "solution_commands": ["datactiviste map --table t -o m.html"],
            "checks": [{"check": "built_from", "pattern": "m.html"}]}
    assert any("« tables »" in e for e in validate_step(step, 1, set()))
    step["checks"] = [{"check": "built_from", "pattern": "m.html", "tables": "structures_sante"}]
    assert any("liste de noms" in e for e in validate_step(step, 1, set()))
    step["checks"] = [{"check": "built_from", "pattern": "m.html", "tables": ["structures_sante"],
                       "columns": ["type"]}]
    assert validate_step(step, 1, set()) == []


def test_verify_fails_a_step_that_draws_without_saying_from_what():
    module = copy.deepcopy(get_module(7, "fr"))  # the loaded modules are cached: not changed
    assert _unchecked_sources(module) == []
    step = module.step("courbe")
    step.data["checks"] = [c for c in step.data["checks"] if c["check"] != "built_from"]
    (outcome,) = _unchecked_sources(module)
    assert outcome.step == "courbe" and outcome.status == "fail" and "built_from" in outcome.message


def test_a_long_query_is_cut_in_the_record_but_its_tables_are_all_there(map_folder, tmp_path):
    from datactiviste.built_from import MAX_SQL, record

    padding = " OR ".join(f"ville = 'v{i}'" for i in range(400))
    sql = f"SELECT ville, prix_fcfa FROM prix_marches_uemoa WHERE {padding};"
    made = record(map_folder / "datactiviste.db", sql=sql)
    assert len(made["sql"]) == MAX_SQL + 1 and made["sql"].endswith("…")
    assert made["tables"] == {"prix_marches_uemoa": ["prix_fcfa", "ville"]}
    assert record(tmp_path / "absent.db", table="t") == {"db": "absent.db", "table": "t"}


def test_a_long_query_does_not_push_the_charset_out_of_the_first_kilobyte(map_folder):
    """Browsers read <meta charset> in the first 1024 bytes only: else accents turn to mojibake."""
    towns = " OR ".join(f"ville = 'Ségou {i}'" for i in range(150))
    sql = ("SELECT ville, avg(prix_fcfa) AS prix FROM prix_marches_uemoa "
           f"WHERE ville = 'Dakar' OR {towns} GROUP BY ville")
    _run(f"datactiviste chart --sql {shlex.quote(sql)} --type bar --x ville --y prix -o longue", map_folder)
    regions = " OR ".join(f"region = 'Ségou {i}'" for i in range(150))
    _map(map_folder, "--sql " + shlex.quote(RATE_SQL + f" HAVING 1 OR {regions}"), "longue-carte.html",
         "--region region_code --value taux")
    for path in (map_folder / "longue.html", map_folder / "longue-carte.html"):
        head = path.read_bytes()[:1024].decode("utf-8", errors="replace").lower()
        assert '<meta charset="utf-8">' in head, path
        (record,) = read_records(path)
        assert len(record["sql"]) > 1000


def test_with_a_pattern_one_map_of_the_right_data_suffices(map_folder):
    """A learner who first mapped the wrong table, then the right one, in the same step."""
    module, step = _rate_step()
    step = copy.deepcopy(step)
    for spec in step.data["checks"]:
        spec["pattern"] = "essai*.html"
    started = time.time()
    _map(map_folder, "--table structures_sante", "essai1.html", "--source x")
    wrong = check(module, step, None, map_folder, started_at=started)
    assert not wrong.ok
    assert "essai1.html a été fait à partir de la table «structures_sante»" in wrong.message
    _map(map_folder, f"--sql {shlex.quote(RATE_SQL)}", "essai2.html", "--region region_code --value taux")
    assert check(module, step, None, map_folder, started_at=started).ok


def test_verify_swaps_the_outputs_of_a_modules_steps():
    """Module 6's health map under the pass-rate map's name fails, and the other way round."""
    from datactiviste.lessons.verify import verify

    outcomes = verify([6], languages=("fr",))
    assert [o for o in outcomes if o.status == "fail"] == []
    swapped = {(o.step, o.case): o.message for o in outcomes if o.case.startswith("le fichier de l'étape")}
    assert set(swapped) == {("carte-points", "le fichier de l'étape carte-regions"),
                            ("carte-regions", "le fichier de l'étape carte-points")}
    assert "«structures_sante»" in swapped[("carte-regions", "le fichier de l'étape carte-points")]
