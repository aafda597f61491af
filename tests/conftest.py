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


@pytest.fixture(scope="session", autouse=True)
def _datactiviste_home_in_a_temporary_folder(tmp_path_factory):
    """Nothing a test starts writes into the real ~/.datactiviste (a classroom server writes its
    live room's journal there): unless a test chose a folder, it is a temporary one."""
    if os.environ.get("DATACTIVISTE_HOME"):
        yield
        return
    os.environ["DATACTIVISTE_HOME"] = str(tmp_path_factory.mktemp("datactiviste-home"))
    yield
    os.environ.pop("DATACTIVISTE_HOME", None)


@pytest.fixture(autouse=True)
def _french_by_default(monkeypatch):
    """Tests start in French (the product default) whatever the machine's locale."""
    monkeypatch.delenv("DATACTIVISTE_LANG", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    set_language("fr")
    yield
    set_language("fr")


@pytest.fixture(autouse=True)
def _no_sqlite_heap_cap_left_behind():
    """A server started inside the test process caps SQLite's process-wide heap (serve.sqlguard);
    a real server is its own process, so the next test starts without that cap."""
    yield
    import ctypes
    import sqlite3

    connection = sqlite3.connect(":memory:")
    capped = connection.execute("PRAGMA hard_heap_limit").fetchone()[0]
    connection.close()
    if capped:   # the pragma can only lower it; SQLite's C call lifts it (0 = no limit)
        import _sqlite3

        library = ctypes.CDLL(_sqlite3.__file__)
        library.sqlite3_hard_heap_limit64.argtypes = [ctypes.c_int64]
        library.sqlite3_hard_heap_limit64.restype = ctypes.c_int64
        library.sqlite3_hard_heap_limit64(0)


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
