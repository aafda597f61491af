"""Module 8 around the dossier: its true headline, and the lesson check of the team's built dossier."""

from __future__ import annotations

import os
import time

import pytest

from datactiviste.dossier import build_dossier
from datactiviste.lessons.checkers import check
from datactiviste.lessons.loader import get_module, sample_path
from datactiviste.lessons.progress import ProgressStore
from datactiviste.lessons.session import LessonSession


@pytest.fixture
def workspace(tmp_path):
    """A trainee's folder after step 'dossier' is done as its solution says (French)."""
    from datactiviste.ingest.importer import import_file

    module = get_module(8)
    step = module.step("dossier")
    for relative in module.files:
        source = sample_path(relative)
        import_file(source, tmp_path / "datactiviste.db")
    for name, content in step.data["solution_files"].items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    return tmp_path


def test_the_modules_headline_is_the_datas(workspace):
    result = build_dossier(workspace, pdf=False)
    numbers = [f.display for f in result.evaluation.facts if f.kind == "number"]
    assert numbers == ["Fleuve", "7\u00a0036\u00a0voix", "26\u00a0818\u00a0suffrages exprimés",
                       "62\u00a0voix"]
    module = get_module(8)
    title = module.step("titre")
    assert title.data["choices"][title.data["answer"] - 1] == result.dossier.title
    assert "Baobab" not in result.dossier.title


def test_the_check_passes_on_a_dossier_built_during_the_step(workspace):
    module = get_module(8)
    step = module.step("dossier")
    started = time.time() - 1
    assert not check(module, step, None, workspace, started).ok       # not built yet
    build_dossier(workspace, pdf=False)
    assert check(module, step, None, workspace, started).ok


def test_a_dossier_built_before_the_step_is_refused(workspace):
    module = get_module(8)
    step = module.step("dossier")
    build_dossier(workspace, pdf=False)
    old = time.time() - 3600
    os.utime(workspace / "dossier.html", (old, old))
    result = check(module, step, None, workspace, time.time() - 60)
    assert not result.ok and "d'avant cette étape" in result.message


def test_the_wrong_winner_fails_the_check_with_the_real_ranking(workspace):
    module = get_module(8)
    step = module.step("dossier")
    text = (workspace / "dossier.md").read_text(encoding="utf-8")
    (workspace / "dossier.md").write_text(text.replace("titre=\"La liste Fleuve arrive en tête\"",
                                                       "titre=\"La liste Baobab arrive en tête\""),
                                          encoding="utf-8")
    build_dossier(workspace, pdf=False)
    result = check(module, step, None, workspace, time.time() - 60)
    assert not result.ok
    assert "dossier check" in result.message and "Baobab" in result.message
    assert "Fleuve (7\u00a0036)" in result.message


def test_the_session_dates_the_step_from_the_last_step_done(tmp_path, workspace):
    store = ProgressStore("Awa", folder=tmp_path / "progress")
    session = LessonSession(store, workspace)
    module = get_module(8)
    session.start(8)
    store.record(8, "titre", "done", at="2026-01-01T10:00:00+00:00")
    store.record(8, "avance", "done", at="2030-01-01T10:00:00+00:00")
    assert session.step_started(module, module.step("dossier")) == pytest.approx(1893492000.0)
    store.close()
