"""A scripted learner goes through module 2 with the real CLI; progress travels on a "USB stick"
(export, import, class report) and comes back identical."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from datactiviste.lessons.loader import get_module
from datactiviste.lessons.progress import ProgressStore, read_export
from datactiviste.lessons.report import merge_exports, stuck_points


@pytest.fixture
def learner_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DATACTIVISTE_HOME", str(home))
    monkeypatch.setenv("DATACTIVISTE_LEARNER", "Aïssatou Ndiaye")
    return home


def _events(home, key="aissatou-ndiaye"):
    connection = sqlite3.connect(home / "progress" / f"{key}.sqlite")
    try:
        return connection.execute("SELECT module, step, kind, correct, detail FROM events ORDER BY id").fetchall()
    finally:
        connection.close()


def test_a_learner_completes_module_2_through_the_cli(run_cli, learner_home, tmp_path):
    listing = run_cli("lesson", "list")
    assert listing.exit_code == 0
    lines = listing.output.strip().splitlines()
    assert len(lines) >= 8 and all(re.match(rf"{n}\. ", line) for n, line in enumerate(lines, start=1))

    started = run_cli("lesson", "start", "2")
    assert started.exit_code == 0, started.output
    assert "Importer un fichier sale" in started.output
    assert "Le module 1 vient avant ; vous pouvez quand même continuer." in started.output
    assert (tmp_path / "budget_communes_2024.csv").is_file()  # the messy file is in her folder

    assert run_cli("lesson", "check").exit_code == 0  # explanation read
    module = get_module(2, "fr")
    separator, dates = (str(module.step(s).data["answer"]) for s in ("separateur", "dates"))
    other = "1" if separator != "1" else "2"
    wrong = run_cli("lesson", "check", other)
    assert wrong.exit_code == 1
    assert f"Le choix {other} n'est pas le bon." in wrong.output and "lesson hint" in wrong.output
    hint = run_cli("lesson", "hint")
    assert "Indice 1/2 :" in hint.output and "deuxième ligne" in hint.output
    right = run_cli("lesson", "check", separator)
    assert right.exit_code == 0 and "Juste" in right.output
    assert "Jour ou mois" in right.output  # the next step is shown

    assert run_cli("lesson", "check", dates).exit_code == 0
    not_yet = run_cli("lesson", "check")  # "do it" before doing it
    assert not_yet.exit_code == 1 and "n'existe pas encore" in not_yet.output
    imported = run_cli("import", "budget_communes_2024.csv")
    assert imported.exit_code == 0, imported.output
    done = run_cli("lesson", "check")
    assert done.exit_code == 0 and "5 vérifications réussies" in done.output, done.output

    lines = len((tmp_path / "budget_communes_2024.csv").read_bytes().splitlines())
    assert run_cli("lesson", "check", str(lines)).exit_code == 1  # counted the title and the header
    assert run_cli("lesson", "check", str(lines - 2)).exit_code == 0
    assert run_cli("lesson", "check", "2").exit_code == 0
    assert run_cli("lesson", "check", "7001").exit_code == 1  # lost the leading zero
    last = run_cli("lesson", "check", "07001")
    assert last.exit_code == 0 and "Module terminé" in last.output
    assert "Voyez datactiviste lesson list" in last.output and "`" not in last.output   # no raw Markdown

    progress = run_cli("lesson", "progress")
    assert "2. Importer un fichier sale : 6/6 exercices" in progress.output
    events = _events(learner_home)
    assert ("2", "separateur", "attempt", 0, "1") in [(str(m), s, k, c, d) for m, s, k, c, d in events]
    assert (2, "separateur", "hint", None, "1") in events
    assert sum(1 for e in events if e[2] == "done") == 7  # 6 exercises + the explanation


def test_hints_end_with_the_solution_and_show_works_in_english(run_cli, learner_home):
    run_cli("lesson", "start", "4")
    run_cli("lesson", "check")
    for _ in range(2):
        assert "Indice" in run_cli("lesson", "hint").output
    solution = run_cli("lesson", "hint")
    assert "Solution :" in solution.output and "WHERE chapitre = 'Santé' AND montant_fcfa > 1000000" in solution.output
    shown = run_cli("--lang", "en", "lesson", "show")
    assert "Large health payments" in shown.output and "--sql" in shown.output


def test_sql_answers_are_checked_on_a_variant_database(run_cli, learner_home, tmp_path):
    run_cli("lesson", "start", "4")
    assert (tmp_path / "lecon-04.db").is_file()  # the practice database, to try queries in Datasette
    run_cli("lesson", "check")
    connection = sqlite3.connect(tmp_path / "lecon-04.db")
    total = connection.execute("SELECT count(*) FROM budget_communes_2024").fetchone()[0]
    rows = connection.execute("SELECT code_commune, libelle, montant_fcfa FROM budget_communes_2024 "
                              "WHERE chapitre = 'Santé' AND montant_fcfa > 1000000").fetchall()
    connection.close()
    typed = " UNION ALL ".join("SELECT '{}', '{}', {}".format(c, l.replace("'", "''"), m) for c, l, m in rows)
    cheat = run_cli("lesson", "check", "--sql", typed)
    assert cheat.exit_code == 1 and "tapée à la main" in cheat.output
    query = tmp_path / "requete.sql"
    query.write_text("SELECT montant_fcfa, libelle, code_commune FROM budget_communes_2024 "
                     "WHERE montant_fcfa > 1000000 AND chapitre = 'Santé';", encoding="cp1252")
    columns_swapped = run_cli("lesson", "check", "--file", query)  # Notepad's ANSI, columns swapped
    assert columns_swapped.exit_code == 0, columns_swapped.output  # the same table: fair
    broken = run_cli("lesson", "check", "--sql", "SELECT nothing FROM nowhere")
    assert "SQLite a refusé la requête" in broken.output
    writing = run_cli("lesson", "check", "--sql", "DELETE FROM budget_communes_2024")
    assert writing.exit_code == 1 and "readonly" in writing.output  # graded read-only
    from datactiviste.lessons.loader import get_module
    from datactiviste.lessons.practice import practice_databases, scalar

    reference, _variant = practice_databases(get_module(4).practice_data)
    assert scalar(reference, "SELECT count(*) FROM budget_communes_2024") == total  # intact


def test_errors_are_messages_not_tracebacks(run_cli, learner_home):
    assert "Aucune leçon commencée" in run_cli("lesson", "show").output
    missing = run_cli("lesson", "start", "42")
    assert missing.exit_code == 2 and "Il n'y a pas de module 42" in missing.output
    assert "Traceback" not in missing.output
    both = run_cli("lesson", "check", "3", "--sql", "SELECT 1")
    assert both.exit_code == 2


def _learner(home, name, steps):
    store = ProgressStore(name, home / "progress")
    for index, (module, step, kind, correct) in enumerate(steps):
        store.record(module, step, kind, correct, detail=str(index), at=f"2026-01-05T09:{index:02d}:00+00:00")
    return store


def test_progress_export_and_merge_round_trip(run_cli, learner_home, tmp_path):
    awa = _learner(learner_home, "Awa Diop", [(2, "separateur", "attempt", False), (2, "separateur", "hint", None),
                                               (2, "separateur", "attempt", True), (2, "separateur", "done", None)])
    exported = awa.export()
    awa.close()
    result = run_cli("lesson", "--learner", "Awa Diop", "export-progress", "-o", "awa.json")
    assert result.exit_code == 0
    assert read_export(tmp_path / "awa.json") == exported
    assert (tmp_path / "awa.json").stat().st_size < 2_000  # fits anywhere

    # on another laptop: import twice, nothing doubles, same export comes back
    other = tmp_path / "other-laptop"
    run_cli("lesson", "--learner", "Awa Diop", "reset", "--yes")
    added = run_cli("lesson", "--learner", "Awa Diop", "import-progress", "awa.json")
    assert "4 enregistrements ajoutés" in added.output
    again = run_cli("lesson", "--learner", "Awa Diop", "import-progress", "awa.json")
    assert "0 enregistrements ajoutés" in again.output
    restored = ProgressStore("Awa Diop", learner_home / "progress")
    assert restored.export() == exported
    restored.close()
    assert not other.exists()


def test_class_report_merges_learners_and_shows_where_they_got_stuck(run_cli, learner_home, tmp_path):
    files = []
    for name, steps in [
        ("Awa Diop", [(2, "separateur", "attempt", True), (2, "separateur", "done", None)]),
        ("Moussa Sow", [(2, "separateur", "attempt", False), (2, "separateur", "attempt", False),
                        (2, "separateur", "hint", None), (2, "separateur", "solution", None)]),
        ("Fatou Ba", [(4, "where", "attempt", False)]),
    ]:
        store = _learner(learner_home, name, steps)
        files.append(store.write_export(tmp_path / f"{name}.json"))
        store.close()
    files.append(files[0])  # the same stick read twice must not double anything
    learners = merge_exports(files)
    assert list(learners) == ["Awa Diop", "Fatou Ba", "Moussa Sow"]
    stuck = stuck_points(learners)
    first = stuck[0]
    assert (first["module"], first["step"], first["stuck"], first["wrong"], first["solutions"]) == \
        (2, "separateur", ["Moussa Sow"], 2, 1)

    result = run_cli("lesson", "class-report", *files, "-o", "classe.html")
    assert result.exit_code == 0 and "3 apprenants" in result.output
    html = (tmp_path / "classe.html").read_text(encoding="utf-8")
    assert "Où l'on a bloqué" in html and "Moussa Sow" in html and "<td>1/6</td>" in html
    run_cli("lesson", "class-report", *files, "-o", "again.html")
    assert (tmp_path / "again.html").read_bytes() == (tmp_path / "classe.html").read_bytes()

    (tmp_path / "notes.json").write_text(json.dumps({"hello": 1}), encoding="utf-8")
    wrong = run_cli("lesson", "class-report", tmp_path / "notes.json")
    assert wrong.exit_code == 2 and "n'est pas un fichier de progression" in wrong.output


@pytest.mark.parametrize("given, expected", [
    ("Awa\tDiop", "Awa Diop"), ("  Awa \n Diop ", "Awa Diop"), ("Awa\x1b[31mDiop", "Awa[31mDiop"),
    ("Aïssatou\u00a0Ndiaye", "Aïssatou Ndiaye"), ("x" * 80, "x" * 60)])
def test_display_names_keep_their_words_apart(given, expected):
    from datactiviste.lessons.identity import clean_name

    assert clean_name(given) == expected


def test_identical_answers_typed_within_a_second_are_each_an_attempt(run_cli, learner_home, tmp_path):
    """Three times the same wrong choice, as fast as the CLI goes: three attempts in her file, in
    her export and in the class report; importing that export twice elsewhere adds it once."""
    assert run_cli("lesson", "start", "1").exit_code == 0
    assert run_cli("lesson", "check").exit_code == 0            # the reading step
    module = get_module(1, "fr")
    step = module.step("bonne-question")
    wrong = next(str(n) for n in range(1, len(step.data["choices"]) + 1) if str(n) != str(step.data["answer"]))
    for _try in range(3):
        assert run_cli("lesson", "check", wrong).exit_code == 1
    attempts = [e for e in _events(learner_home) if e[:3] == (1, "bonne-question", "attempt")]
    assert attempts == [(1, "bonne-question", "attempt", 0, wrong)] * 3

    store = ProgressStore("Aïssatou Ndiaye", learner_home / "progress")
    store.record(1, "bonne-question", "hint", detail="1")   # and in one second, done by the store itself
    store.record(1, "bonne-question", "hint", detail="1")
    exported = store.export()
    store.close()
    times = [e[5] for e in exported["events"] if e[1] == "bonne-question"]
    assert len(times) == 5 and len(set(zip(times, (e[2] for e in exported["events"] if e[1] == "bonne-question"),
                                           strict=True))) == 5
    assert run_cli("lesson", "export-progress", "-o", "aissatou.json").exit_code == 0
    assert read_export(tmp_path / "aissatou.json") == exported

    other = ProgressStore("Aïssatou Ndiaye", tmp_path / "other-laptop")
    try:
        assert other.merge(exported) == len(exported["events"])
        assert other.merge(exported) == 0                       # the same stick read twice
        assert other.export() == exported
    finally:
        other.close()
    stuck = stuck_points(merge_exports([tmp_path / "aissatou.json", tmp_path / "aissatou.json"]))
    assert {row["step"]: row["wrong"] for row in stuck}["bonne-question"] == 3


def test_a_new_event_gets_a_time_no_same_event_has(tmp_path):
    """The store gives a repeated event of the same second the next free microsecond; events that
    differ (another kind, another answer) keep the plain second."""
    store = ProgressStore("Awa Diop", tmp_path)
    try:
        first = store.record(3, "requete", "attempt", False, "SELECT 1")
        second = store.record(3, "requete", "attempt", False, "SELECT 1")
        other = store.record(3, "requete", "attempt", False, "SELECT 2")
        assert first != second
        assert len(store.events()) == 3
        assert [e.at for e in store.events()] == sorted(e.at for e in store.events())
        if first[:19] == second[:19]:   # same second (almost always): a microsecond after it
            assert second == first[:19] + ".000001" + first[19:]
        if other[:19] == first[:19]:
            assert other == first
        # an event given its time (from an export) that the store has is not added again
        store.record(3, "requete", "attempt", False, "SELECT 1", at=first)
        assert len(store.events()) == 3
    finally:
        store.close()
