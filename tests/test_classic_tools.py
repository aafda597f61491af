"""`datactiviste csvkit` and `datactiviste sqlite-utils` from the installed package (cases: classic_cases.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import classic_cases
from tests.french_csv import rows


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("classiques")
    classic_cases.prepare(folder)
    return folder


@pytest.fixture(scope="module")
def run(folder):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATACTIVISTE_", "LC_", "LANG"))}
    env.update(DATACTIVISTE_LANG="fr", LANG="C.UTF-8")

    def run(*args):
        result = subprocess.run([sys.executable, "-m", "datactiviste", *map(str, args)], cwd=folder, env=env,
                                capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
        result.out, result.err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
        return result

    return run


@pytest.mark.parametrize("tool", classic_cases.CSVKIT)
def test_csvkit_tool_reads_a_french_file_with_no_options(run, tool):
    classic_cases.CSVKIT_CHECKS[tool](run)


def test_sqlite_utils_commands_on_a_french_file(run, folder):
    classic_cases.check_sqlite_utils(run, folder)


def test_an_explicit_flag_wins_over_the_detection(run):
    result = run("csvkit", "csvcut", "-e", "latin-1", "-c", "2", "paiements.csv")
    assert result.returncode == 0 and "-e cp1252" not in result.err and "-d ';'" in result.err
    assert "L’École normale" not in result.out            # latin-1 really used: cp1252's ’ is lost
    plain = run("csvkit", "csvstat", "-L", "en_US", "-c", "Montant (FCFA)", "--type", "paiements.csv")
    assert plain.out.strip() == "Text" and "-L fr_FR" not in plain.err


def test_csvkit_alone_lists_the_tools_in_french(run):
    result = run("csvkit")
    assert result.returncode == 0
    for tool in classic_cases.CSVKIT:
        assert f"  {tool}" in result.out
    assert "garder les lignes dont une colonne contient un texte ou un motif" in result.out
    assert "csvsql" not in result.out


def test_csvkit_errors_are_messages(run):
    unknown = run("csvkit", "csvsql", "paiements.csv")
    assert unknown.returncode == 2 and "csvsql n'est pas inclus" in unknown.err
    column = run("csvkit", "csvcut", "-c", "absente", "paiements.csv")
    assert column.returncode == 2 and "Traceback" not in column.err and "absente" in column.err
    locale = run("csvkit", "csvstat", "-L", "xx_XX", "paiements.csv")
    assert locale.returncode == 2 and "La langue xx_XX n'est pas incluse" in locale.err


def test_sqlite_utils_help_has_a_french_line_per_command(run):
    from sqlite_utils.cli import cli

    from datactiviste.classic import REFUSED_SQLITE_UTILS, SQLITE_UTILS_COMMANDS

    assert set(SQLITE_UTILS_COMMANDS) | set(REFUSED_SQLITE_UTILS) == set(cli.commands)   # none forgotten
    result = run("sqlite-utils", "--help")
    assert result.returncode == 0
    assert "sortir des valeurs répétées (une région, une catégorie) dans leur propre table" in result.out
    assert "Usage: datactiviste sqlite-utils" in result.out or "Utilisation : datactiviste sqlite-utils" in result.out
    refused = run("sqlite-utils", "install", "datasette")
    assert refused.returncode == 2 and "hors ligne" in refused.err


def test_help_stays_fast_csvkit_and_sqlite_utils_imported_only_when_called():
    code = ("import sys; from datactiviste.cli import cli, main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('csvkit', 'agate', 'sqlite_utils', 'babel')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert len(rows()) == 30
