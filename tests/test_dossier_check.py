"""`dossier check`: each case a human must look at before publication, and a clean dossier passing."""

from __future__ import annotations

import sqlite3

import pytest

from datactiviste.dossier import build_dossier, check_dossier
from datactiviste.dossier.prose import typed_numbers
from tests.dossier_helpers import ELECTIONS, dossier_folder, front, full_dossier, sample_database

VOTES = f"SELECT liste, sum(voix) AS voix FROM {ELECTIONS} GROUP BY liste"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return sample_database(tmp_path_factory.mktemp("check") / "datactiviste.db")


def built(tmp_path, database, body, title="Un dossier de test"):
    folder = dossier_folder(tmp_path / "d", database, front(body, title))
    build_dossier(folder, pdf=False)
    return folder


def kinds(report):
    return [f.kind for f in report.findings]


def test_the_fixture_dossier_is_clean_and_the_cli_says_so(tmp_path, database, run_cli):
    folder = full_dossier(tmp_path / "complet", database)
    build_dossier(folder, pdf=False)
    assert check_dossier(folder).findings == []
    result = run_cli("dossier", "check", folder)
    assert result.exit_code == 0 and "rien à corriger" in result.output


def test_i_a_number_that_changed_since_the_build(tmp_path, database, run_cli):
    folder = built(tmp_path, database, f"Total : {{{{ nombre: SELECT sum(voix) FROM {ELECTIONS} }}}}.\n")
    connection = sqlite3.connect(folder / "datactiviste.db")
    connection.execute(f"UPDATE {ELECTIONS} SET voix = voix + 100 WHERE rowid = 1")
    connection.commit()
    connection.close()
    report = check_dossier(folder)
    assert kinds(report) == ["changed"]
    assert "26\u00a0818 alors, 26\u00a0918 maintenant" in report.findings[0].message
    assert report.findings[0].line == 6
    result = run_cli("dossier", "check", folder)
    assert result.exit_code == 1
    assert "Changé depuis la dernière construction" in result.output and "ligne 6" in result.output


def test_i_never_built_or_edited_after_the_build(tmp_path, database):
    folder = dossier_folder(tmp_path / "d", database, front("Rien.\n"))
    assert kinds(check_dossier(folder)) == ["build"]
    build_dossier(folder, pdf=False)
    assert check_dossier(folder).clean
    (folder / "dossier.md").write_text(front("Rien, vraiment.\n"), encoding="utf-8")
    report = check_dossier(folder)
    assert kinds(report) == ["build"] and "modifié après" in report.findings[0].message


def test_ii_numbers_typed_by_hand_are_listed_with_their_sentence(tmp_path, database):
    body = (f"La liste Fleuve obtient {{{{ nombre: SELECT max(v) FROM (SELECT sum(voix) AS v FROM "
            f"{ELECTIONS} GROUP BY liste) }}}} voix. Elle devance Kankourang de 7 040 voix.\n\n"
            "En 2024, 4 listes se présentaient ; la participation atteint 56,2 % selon nous.\n\n"
            "1. Le premier point, au 1er tour.\n\nLe chiffre recopié 7 036 est juste.\n")
    report = check_dossier(built(tmp_path, database, body))
    typed = [f for f in report.findings if f.kind == "typed"]
    assert ["7\u00a0040" in f.message or "7 040" in f.message for f in typed] == [True, False]
    assert [f.line for f in typed] == [6, 8]
    assert typed[0].sentence == "Elle devance Kankourang de 7 040 voix."
    assert "56,2 %" in typed[1].sentence


def test_ii_typed_numbers_match_computed_ones_at_their_written_precision():
    found = typed_numbers("Soit 26,24 % et 1 234,5 FCFA, code SN-DK, 12e rang, 3 fois, 26.818 voix.",
                          [], "fr")
    assert [(t.text, t.value) for t in found] == [("26,24 %", 26.24), ("1 234,5", 1234.5),
                                                  ("26.818", 26818.0)]
    english = typed_numbers("About 1,234.5 people and 26,818 votes in 2023.", [], "en")
    assert [t.value for t in english] == [1234.5, 26818.0]


def test_iii_a_title_naming_the_wrong_winner(tmp_path, database, run_cli):
    body = f"{{{{ graphique: {VOTES} | titre=\"La liste Baobab arrive en tête\" }}}}\n"
    folder = built(tmp_path, database, body, title="La liste Baobab arrive en tête")
    report = check_dossier(folder)
    assert kinds(report) == ["title", "title"]
    assert report.findings[0].line == 2 and "titre du dossier" in report.findings[0].message
    chart = report.findings[1]
    assert chart.line == 6 and "Graphique 1" in chart.message and "Fleuve" in chart.message
    result = run_cli("dossier", "check", folder)
    assert result.exit_code == 1 and "Titres contredits par leurs données" in result.output


def test_iii_a_rise_over_a_falling_series(tmp_path, database):
    series = ("SELECT '2024-01-15' AS mois, 120 AS inscrits UNION ALL SELECT '2024-02-15', 100 "
              "UNION ALL SELECT '2024-03-15', 80")
    body = f"{{{{ graphique: {series} | type=line | titre=\"Les inscriptions en hausse\" }}}}\n"
    report = check_dossier(built(tmp_path, database, body))
    assert kinds(report) == ["title"] and "hausse" in report.findings[0].message


def test_iii_a_map_title_naming_the_wrong_region(tmp_path, database):
    turnout = (f"SELECT region, round(100.0 * sum(votants) / sum(inscrits), 1) AS participation "
               f"FROM (SELECT DISTINCT bureau, region, inscrits, votants FROM {ELECTIONS}) "
               "GROUP BY region")
    body = (f"{{{{ carte: {turnout} | region=region | valeur=participation | pays=SN | "
            "titre=\"Dakar, la participation la plus faible\" }}\n")
    report = check_dossier(built(tmp_path, database, body))
    assert kinds(report) == ["title"] and "Saint-Louis" in report.findings[0].message


def test_iv_queries_that_return_nothing(tmp_path, database):
    body = (f"Max : {{{{ nombre: SELECT max(voix) FROM {ELECTIONS} WHERE liste = 'Liste Baobob' }}}}.\n\n"
            f"{{{{ tableau: SELECT * FROM {ELECTIONS} WHERE 0 }}}}\n\n"
            f"{{{{ graphique: SELECT liste, voix FROM {ELECTIONS} WHERE liste = 'Baobob' }}}}\n")
    report = check_dossier(built(tmp_path, database, body))
    assert kinds(report) == ["empty", "empty", "empty"]
    assert [f.line for f in report.findings] == [6, 8, 10]
    assert "Tableau 1" in report.findings[1].message
    assert "Graphique 1" in report.findings[2].message
