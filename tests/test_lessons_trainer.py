"""The trainer's kit: answers with their computed values, class report with step titles,
learners known by name (two on one OS account), timetable and certificates."""

from __future__ import annotations

import re

import pytest

from datactiviste.i18n import set_language
from datactiviste.lessons.handouts import module_html
from datactiviste.lessons.loader import get_module, load_modules
from datactiviste.lessons.practice import practice_databases, scalar
from datactiviste.lessons.trainer import timetable


@pytest.fixture(autouse=True)
def french():
    set_language("fr")
    yield
    set_language(None)


def test_facilitator_pages_show_the_computed_answer_and_learner_pages_do_not():
    module = get_module(1, "fr")
    count = scalar(practice_databases(module.practice_data)[0], "SELECT count(*) FROM structures_sante")
    trainer = module_html(module, facilitator=True)
    assert f"Réponse : {count}" in trainer
    assert "Réponse :" not in module_html(module, facilitator=False)
    sql = module_html(get_module(4, "fr"), facilitator=True)
    assert re.search(r"Réponse : \d+ lignes? : ", sql)


def test_two_learners_on_one_os_account_stay_apart(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DATACTIVISTE_LEARNER", raising=False)
    for name in ("Awa Diop", "Moussa Sow"):
        folder = tmp_path / name.split()[0]
        folder.mkdir()
        monkeypatch.chdir(folder)
        assert run_cli("lesson", "start", "1", "--name", name).exit_code == 0
        if name == "Awa Diop":
            run_cli("lesson", "check")
    monkeypatch.chdir(tmp_path / "Awa")
    assert "Progression de Awa Diop" in run_cli("lesson", "progress").output
    monkeypatch.chdir(tmp_path / "Moussa")
    progress = run_cli("lesson", "progress").output
    assert "Progression de Moussa Sow" in progress and "étape chaine" in progress  # not Awa's step
    exported = run_cli("lesson", "export-progress")
    assert "progress-moussa-sow.json" in exported.output
    report = run_cli("lesson", "class-report", "progress-moussa-sow.json", "-o", "classe.html")
    assert report.exit_code == 0


def test_class_report_names_steps_by_title(tmp_path):
    from datactiviste.lessons.progress import ProgressStore
    from datactiviste.lessons.report import class_report_html, merge_exports

    store = ProgressStore("Awa", tmp_path)
    store.record(4, "where", "attempt", False, "SELECT 1")
    path = store.write_export(tmp_path / "p.json")
    store.close()
    html = class_report_html(merge_exports([path]))
    title = get_module(4, "fr").step("where").title
    assert title in html and ">where<" not in html


def test_the_timetable_follows_the_modules_and_has_breaks():
    modules = load_modules("fr")
    days = timetable(modules)
    assert len(days) == 2
    taught = sum(b - a for day in days for a, b, label in day if label[0].isdigit())
    assert taught == sum(m.minutes for m in modules)
    for day in days:
        labels = [label for _a, _b, label in day]
        assert "Déjeuner" in labels and "Pause" in labels
        assert all(b <= 18 * 60 for _a, b, _l in day)


def test_certificates_for_learners_who_finished_a_module(run_cli, tmp_path, monkeypatch):
    from datactiviste.lessons.progress import ProgressStore

    module = get_module(3, "fr")
    store = ProgressStore("Awa <Diop>", tmp_path / "p")
    for step in module.exercises:
        store.record(3, step.id, "done")
    awa = store.write_export(tmp_path / "awa.json")
    store.close()
    store = ProgressStore("Moussa", tmp_path / "q")
    store.record(3, module.exercises[0].id, "attempt", False)
    moussa = store.write_export(tmp_path / "moussa.json")
    store.close()
    result = run_cli("lesson", "certificates", awa, moussa, "--trainer", "Fatou Ba",
                     "--organisation", "Club & Co", "-o", tmp_path / "att.html")
    assert result.exit_code == 0 and "1 attestation" in result.output, result.output
    html = (tmp_path / "att.html").read_text(encoding="utf-8")
    assert "Awa &lt;Diop&gt;" in html and "Moussa" not in html and "Club &amp; Co" in html
    assert f"3. {module.title}" in html and "Fatou Ba" in html
    english = run_cli("--lang", "en", "lesson", "certificates", awa, "--trainer", "F", "--organisation", "O",
                      "-o", tmp_path / "en.html")
    assert english.exit_code == 0
    assert "Certificate of participation" in (tmp_path / "en.html").read_text(encoding="utf-8")
