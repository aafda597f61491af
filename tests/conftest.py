"""Shared fixtures: a CLI runner in a chosen language, the shared corpus, temporary databases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from datactiviste.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _french_by_default(monkeypatch):
    """Tests start in French (the product default) whatever the machine's locale."""
    monkeypatch.delenv("DATACTIVISTE_LANG", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    set_language("fr")
    yield
    set_language("fr")


@pytest.fixture
def run_cli(tmp_path, monkeypatch):
    """Run `datactiviste ARGS` in a fresh folder; returns the click Result."""
    from datactiviste.cli import cli
    from datactiviste.i18n import translate_click

    translate_click()
    monkeypatch.chdir(tmp_path)

    def run(*args, input=None, env=None):
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], input=input, env=env, catch_exceptions=False)

    return run


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (it sits beside the repository in CI)")
    return CORPUS
