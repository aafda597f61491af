"""`dossier pack`: unzip elsewhere, build, and get the same figures."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile

import pytest

from datactiviste.dossier import build_dossier, pack_dossier
from tests.dossier_helpers import SAMPLES, full_dossier, sample_database


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return sample_database(tmp_path_factory.mktemp("pack") / "datactiviste.db")


def displays(folder):
    record = json.loads((folder / "dossier-faits.json").read_text(encoding="utf-8"))
    return [(f["line"], f["kind"], f["display"], f["rows"]) for f in record["facts"]]


@pytest.mark.parametrize("only_queried", [False, True])
def test_pack_then_build_elsewhere_gives_the_same_numbers(tmp_path, database, only_queried):
    folder = full_dossier(tmp_path / "complet", database)
    shutil.copyfile(SAMPLES / "resultats_elections" / "resultats_municipales_fictives.csv",
                    folder / "resultats_municipales_fictives.csv")
    build_dossier(folder, pdf=False)
    archive, missing = pack_dossier(folder, tmp_path / "out" / "complet.zip",
                                    only_queried=only_queried)
    assert missing == ["prix_marches_uemoa.csv"]      # not beside the dossier: listed, not lost
    names = zipfile.ZipFile(archive).namelist()
    for expected in ("dossier.md", "datactiviste.db", "requetes.sql", "LISEZMOI.md",
                     "dossier.html", "sources/resultats_municipales_fictives.csv"):
        assert f"complet/{expected}" in names
    elsewhere = tmp_path / "autre-redaction"
    zipfile.ZipFile(archive).extractall(elsewhere)
    unpacked = elsewhere / "complet"
    build_dossier(unpacked, pdf=False)
    assert displays(unpacked) == displays(folder)
    sql = (unpacked / "requetes.sql").read_text(encoding="utf-8")
    assert "-- Chiffre 5 (dossier.md, ligne 20): 62\u00a0voix" in sql
    tables = [r[0] for r in sqlite3.connect(unpacked / "datactiviste.db").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")]
    assert ("budget_communes_2024" in tables) is not only_queried
    assert "LISEZMOI.md" in " ".join(names) and "prix_marches_uemoa.csv" in \
        (unpacked / "LISEZMOI.md").read_text(encoding="utf-8")


def test_pack_refuses_to_write_inside_the_dossier(tmp_path, database, run_cli):
    folder = full_dossier(tmp_path / "complet", database)
    result = run_cli("dossier", "pack", folder, "-o", folder / "moi.zip")
    assert result.exit_code == 2 and "hors du dossier" in result.output
    assert not (folder / "moi.zip").exists()
