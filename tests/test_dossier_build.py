"""`dossier new` and `dossier build`: the HTML (golden text), method, appendix, no half-written output.

Update the golden file after a deliberate change:
    DATACTIVISTE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_dossier_build.py
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
from html import unescape

import pytest

from datactiviste.dossier import build_dossier, new_dossier
from datactiviste.offline import external_loads
from tests.dossier_helpers import (ELECTIONS, FIXTURES, dossier_folder, front, full_dossier,
                                   normalised_html, sample_database)

WHEN = dt.datetime(2026, 2, 1, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return sample_database(tmp_path_factory.mktemp("dossier") / "datactiviste.db")


@pytest.fixture(scope="module")
def built(tmp_path_factory, database):
    folder = full_dossier(tmp_path_factory.mktemp("built") / "complet", database)
    result = build_dossier(folder, pdf=False, now=WHEN)
    return result, result.html.read_text(encoding="utf-8")


def test_build_output_matches_the_golden_text(built):
    _result, html = built
    golden = FIXTURES / "complet.fr.html"
    actual = normalised_html(html)
    if os.environ.get("DATACTIVISTE_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_every_directive_is_evaluated_with_its_true_figures(built):
    result, html = built
    facts = result.evaluation.facts
    assert [f.kind for f in facts].count("chart") == 3
    assert [f.kind for f in facts].count("map") == 1
    assert [f.kind for f in facts].count("table") == 2
    numbers = [f.display for f in facts if f.kind == "number"]
    assert numbers == ["Liste Fleuve", "7\u00a0036\u00a0voix", "26\u00a0818\u00a0suffrages exprimés",
                       "26,2\u00a0%", "62\u00a0voix"]
    assert "{{" not in html.replace("{{ nombre", "")   # nothing left unevaluated
    assert html.count("<svg") == 4


def test_the_file_is_self_contained_and_small(built):
    result, html = built
    assert external_loads(html) == []
    assert re.search(r"""<(?:script|link|iframe)\b""", html) is None
    assert result.size <= 1_500_000


def test_method_section_comes_from_the_import_records(tmp_path, database):
    body = ("Budget : {{ nombre: SELECT sum(montant_fcfa) FROM budget_communes_2024 WHERE "
            "chapitre = 'Santé' | FCFA }}.\n\n{{ source: budget_communes_2024 }}\n")
    folder = dossier_folder(tmp_path / "budget", database, front(body))
    html = build_dossier(folder, pdf=False, now=WHEN).html.read_text(encoding="utf-8")
    method = unescape(html[html.index('id="method"'):html.index('id="appendix"')])
    assert "budget_communes_2024.csv" in method
    assert re.search(r'<code class="hash">[0-9a-f]{64}</code>', method)
    assert "15 janv. 2026" in method and "cp1252, en-tête ligne 2" in method
    assert "298 lues, 297 gardées" in method
    assert "ligne écartée : lignes avant l'en-tête" in method   # the title line set aside
    assert "Exécution budgétaire des communes" in method           # shown as an example
    assert "SELECT sum(montant_fcfa) FROM budget_communes_2024 WHERE chapitre = 'Santé'" in method
    assert "(dossier.md, ligne 6)" in method


def test_appendix_csv_is_formula_neutralised_and_french(tmp_path, database):
    body = "{{ tableau: SELECT '=HYPERLINK(\"http://x\")' AS nom, 12.5 AS valeur, -3 AS solde }}\n"
    folder = dossier_folder(tmp_path / "hostile", database, front(body))
    html = build_dossier(folder, pdf=False, now=WHEN).html.read_text(encoding="utf-8")
    encoded = re.search(r"data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)", html).group(1)
    text = base64.b64decode(encoded).decode("utf-8")
    assert text.startswith("\ufeffnom;valeur;solde\r\n")
    assert "'=HYPERLINK" in text and ";12,5;-3" in text


def test_facts_record_keeps_each_figure_for_check(built):
    result, _html = built
    record = json.loads(result.facts_file.read_text(encoding="utf-8"))
    assert record["built_at"] == WHEN.isoformat()
    assert len(record["facts"]) == len(result.evaluation.facts)
    assert record["facts"][4]["display"] == "62\u00a0voix" and record["facts"][4]["line"] == 20


def test_a_bad_directive_leaves_the_previous_build_untouched(tmp_path, database, run_cli):
    folder = dossier_folder(tmp_path / "d", database, front("{{ nombre: SELECT count(*) FROM "
                                                            f"{ELECTIONS} }}}}\n"))
    build_dossier(folder, pdf=False, now=WHEN)
    before = (folder / "dossier.html").read_bytes()
    (folder / "dossier.md").write_text(front("Bon.\n\n{{ nombre: SELECT sum(voixx) FROM "
                                             f"{ELECTIONS} }}}}\n"), encoding="utf-8")
    result = run_cli("dossier", "build", folder, "--no-pdf")
    assert result.exit_code == 2
    assert "Pas de colonne « voixx »" in result.output and "ligne 8" in result.output
    assert "voix" in result.output.split("Que faire")[-1]
    assert "Traceback" not in result.output and "Erreur inattendue" not in result.output
    assert (folder / "dossier.html").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["datactiviste.db", "dossier-faits.json",
                                                        "dossier.html", "dossier.md"]


def test_missing_database_and_bad_front_matter_are_explained(tmp_path, run_cli):
    folder = tmp_path / "sans-base"
    folder.mkdir()
    (folder / "dossier.md").write_text("---\ntitre: X\nbase: absente.db\n---\nTexte\n", "utf-8")
    result = run_cli("dossier", "build", folder)
    assert result.exit_code == 2 and "absente.db" in result.output
    (folder / "dossier.md").write_text("---\ntitr: X\n---\nTexte\n", encoding="utf-8")
    result = run_cli("dossier", "build", folder)
    assert result.exit_code == 2 and "« titr »" in result.output and "titre" in result.output


def test_new_writes_a_dossier_that_builds_at_once(run_cli, tmp_path, database):
    import shutil

    shutil.copyfile(database, tmp_path / "datactiviste.db")
    result = run_cli("dossier", "new", "mon-dossier")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "mon-dossier" / "dossier.md").read_text(encoding="utf-8")
    assert "base: ../datactiviste.db" in text and "{{ nombre:" in text
    assert (tmp_path / "mon-dossier" / "GUIDE.md").is_file()
    result = run_cli("dossier", "build", "mon-dossier", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "Dossier construit" in result.output
    again = run_cli("dossier", "new", "mon-dossier")
    assert again.exit_code == 2 and "existe déjà" in again.output


def test_english_dossier(tmp_path, database):
    written = new_dossier(tmp_path / "report", database, "en")
    template = written[0].read_text(encoding="utf-8")
    assert "lang: en" in template and "{{ number: SELECT count(*)" in template
    body = ("---\ntitle: Votes\ndatabase: datactiviste.db\nlang: en\n---\n"
            f"{{{{ number: SELECT sum(voix) FROM {ELECTIONS} | votes }}}} cast.\n")
    folder = dossier_folder(tmp_path / "en", database, body)
    html = build_dossier(folder, pdf=False, now=WHEN).html.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "26,818\u00a0votes" in html
    assert "Method" in html and "Appendix" in html and "Built on Feb 1, 2026" in html


def test_a_dossier_over_the_budget_says_so(tmp_path, database):
    rows = ("{{ tableau: WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
            "SELECT i, printf('%.300c', 'x') AS texte FROM n | lignes=5 }}\n")
    folder = dossier_folder(tmp_path / "lourd", database, front(rows))
    result = build_dossier(folder, pdf=False, now=WHEN)
    assert result.size > 1_500_000
    assert any("lourd à envoyer" in w for w in result.warnings)


def test_a_browser_that_fails_leaves_the_html_and_no_stale_pdf(tmp_path, database, monkeypatch):
    folder = dossier_folder(tmp_path / "pdf", database, front("Texte.\n"))
    (folder / "dossier.pdf").write_bytes(b"%PDF old build")
    monkeypatch.setenv("DATACTIVISTE_CHROMIUM", "/bin/false")
    result = build_dossier(folder, now=WHEN)
    assert result.html.is_file() and result.pdf is None
    assert not (folder / "dossier.pdf").exists()
    assert any("PDF" in w for w in result.warnings)
