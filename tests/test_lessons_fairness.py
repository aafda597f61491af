"""Fair checkers: each unfair or gameable case the workshop trial found, as a test.

Real practice databases (the sample data through the real importer), the real CLI, real files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import pytest

from datactiviste.i18n import set_language
from datactiviste.lessons.checkers import (canonical_text, check, compare_results, number_readings,
                                           read_answer_file)
from datactiviste.lessons.loader import get_module, load_modules
from datactiviste.lessons.model import Step


@pytest.fixture(autouse=True)
def french():
    set_language("fr")
    yield
    set_language(None)


def _sql_step(module, step_id):
    return module, module.step(step_id)


def test_a_correct_query_with_columns_in_another_order_passes():
    module, step = _sql_step(get_module(4, "fr"), "where")
    columns = "montant_fcfa, code_commune, libelle"
    sql = f"SELECT {columns} FROM budget_communes_2024 WHERE chapitre = 'Santé' AND montant_fcfa > 1000000"
    assert check(module, step, sql, ".").ok


def test_messages_say_what_differs():
    expected_columns = ["region", "total"]
    expected = [("Dakar", 10), ("Thiès", 7)]
    extra = compare_results([("Dakar", 10, 1), ("Thiès", 7, 2)], expected, False,
                            ["region", "total", "n"], expected_columns)
    assert "colonne de trop : n" in extra
    missing = compare_results([("Dakar",), ("Thiès",)], expected, False, ["region"], expected_columns)
    assert "Il manque une colonne" in missing and "total" in missing
    order = compare_results([("Thiès", 7), ("Dakar", 10)], expected, True, expected_columns, expected_columns)
    assert "pas dans l'ordre" in order
    off = compare_results([("Dakar", 10), ("Thiès", 8)], expected, False, expected_columns, expected_columns)
    assert off == "Une valeur diffère : dans la ligne (Thiès, 8), total vaut 8 là où 7 est attendu."
    # a row that is there is never said to be missing
    assert "manque" not in (compare_results([("Thiès", 7), ("Dakar", 11)], expected, False,
                                            expected_columns, expected_columns) or "")


def test_column_names_count_only_when_the_step_asks():
    expected_columns = ["region", "total"]
    expected = [("Dakar", 10)]
    assert compare_results([("Dakar", 10)], expected, False, ["region", "sum(x)"], expected_columns) is None
    named = compare_results([("Dakar", 10)], expected, False, ["region", "sum(x)"], expected_columns, names=True)
    assert "AS total" in named


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig", "latin-1"])
def test_answer_files_in_any_encoding(tmp_path, encoding):
    path = tmp_path / "q.sql"
    path.write_text("SELECT * FROM budget WHERE chapitre = 'Santé'", encoding=encoding)
    assert read_answer_file(path) == "SELECT * FROM budget WHERE chapitre = 'Santé'"


def test_the_cli_reads_a_notepad_ansi_file_without_an_unexpected_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DATACTIVISTE_LEARNER", "Awa")
    run_cli("lesson", "start", "4")
    run_cli("lesson", "check")
    query = tmp_path / "q.sql"
    query.write_bytes("SELECT count(*) FROM budget_communes_2024 WHERE chapitre = 'Santé'".encode("cp1252"))
    result = run_cli("lesson", "check", "--file", str(query))
    assert "Erreur inattendue" not in result.output and "UnicodeDecodeError" not in result.output
    assert "SQLite" not in result.output  # the query was read and run, right or wrong


@pytest.mark.parametrize("answer", ["CC0", "CC-0", "CC0 1.0 Universel", "cc0 1.0 universal", "CC zéro",
                                    "Creative Commons Zero", "la licence CC0", "CC0-1.0"])
def test_licence_synonyms(answer):
    module = get_module(1, "fr")
    assert check(module, module.step("licence"), answer, ".").ok


def test_licence_wrong_answers_stay_wrong():
    module = get_module(1, "fr")
    for answer in ("CC BY", "ODbL", "Licence ouverte", "zzz"):
        assert not check(module, module.step("licence"), answer, ".").ok
    assert canonical_text("St Louis") == canonical_text("Saint-Louis")


@pytest.mark.parametrize("text, value", [("2,456,100", 2456100), ("2 456 100", 2456100), ("2.456.100", 2456100),
                                         ("2456100.0", 2456100), ("1 234,5", 1234.5), ("1,234.5", 1234.5),
                                         ("12,5 %", 12.5)])
def test_numbers_in_both_languages(text, value):
    assert value in number_readings(text)


def test_an_english_grouped_number_passes_a_number_step():
    module = get_module(1, "en")
    step = module.step("compter")
    step = Step(step.id, step.kind, step.text, data={"answer": 2456100})
    assert check(module, step, "2,456,100", ".").ok
    assert check(module, step, "2 456 100", ".").ok
    assert not check(module, step, "2,456,101", ".").ok


def test_file_steps_refuse_leftovers_from_before_the_step(tmp_path):
    module = get_module(6, "fr")
    step = module.step("carte-points")
    from datactiviste.lessons.verify import run_command

    run_command("datactiviste import " + str(_copy(module, tmp_path, "structures_sante.csv")), tmp_path)
    run_command(step.data["solution_commands"][-1], tmp_path)
    made = (tmp_path / "carte_sante.html").stat().st_mtime
    assert check(module, step, None, tmp_path, started_at=made - 60).ok  # made during the step
    late = check(module, step, None, tmp_path, started_at=made + 60)     # left over from before
    assert not late.ok and "avant le début de cette étape" in late.message


def _copy(module, folder, name):
    from datactiviste.lessons.loader import sample_path

    source = next(sample_path(f) for f in module.files if f.endswith(name))
    target = folder / name
    target.write_bytes(source.read_bytes())
    return target


def test_choice_answers_are_spread_and_prompts_do_not_give_one():
    answers = Counter()
    for language in ("fr", "en"):
        for module in load_modules(language):
            for step in module.steps:
                if step.kind == "choice":
                    answers[(language, step.data["answer"])] += 1
    french = [count for (language, _), count in answers.items() if language == "fr"]
    assert len(french) == 3 and max(french) <= sum(french) / 2, answers
    from datactiviste.lessons.session import step_text

    module = get_module(1, "fr")
    shown = step_text(module, module.step("bonne-question"))
    assert "lesson check NUMÉRO" in shown and "check 2" not in shown


def test_a_right_answer_ending_in_a_question_mark_gets_no_second_end(run_cli, tmp_path, monkeypatch):
    """'Juste : … comparé à Mbour ?' and not '… Mbour ?.'; `check` with no answer is no wrong try."""
    import sqlite3

    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DATACTIVISTE_LEARNER", "Awa Diop")
    step = get_module(1, "fr").step("bonne-question")
    assert run_cli("lesson", "start", "1").exit_code == 0
    assert run_cli("lesson", "check").exit_code == 0                 # the reading step
    empty = run_cli("lesson", "check")
    assert empty.exit_code == 1 and "Donnez votre réponse" in empty.output
    right = run_cli("lesson", "check", str(step.data["answer"])).output
    chosen = step.data["choices"][step.data["answer"] - 1]
    assert chosen.endswith("?") and f"Juste : {chosen}\n" in right and "?." not in right
    connection = sqlite3.connect(tmp_path / "home" / "progress" / "awa-diop.sqlite")
    try:
        tries = connection.execute("SELECT correct FROM events WHERE step = ? AND kind = 'attempt'",
                                   (step.id,)).fetchall()
    finally:
        connection.close()
    assert tries == [(1,)]


def test_choices_are_in_the_same_order_in_both_languages():
    for french, english in zip(load_modules("fr"), load_modules("en")):
        for a, b in zip(french.steps, english.steps):
            if a.kind == "choice":
                assert a.data["answer"] == b.data["answer"], (french.number, a.id)


def test_piping_commands_into_head_ends_quietly(tmp_path):
    """`datactiviste … | head -1` for every command's help and a typical output: no traceback."""
    from datactiviste.cli import COMMANDS

    env = dict(os.environ, DATACTIVISTE_HOME=str(tmp_path / "home"), DATACTIVISTE_LANG="fr")
    lines = [[c, "--help"] for c in COMMANDS] + [["--help"], ["lesson", "list"], ["lesson", "verify", "-v"],
                                                  ["lesson", "handouts", "--help"]]
    started = time.monotonic()
    for args in lines:
        command = [sys.executable, "-m", "datactiviste", *args]
        producer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                    cwd=tmp_path)
        first = producer.stdout.readline()
        producer.stdout.close()   # what `head -1` does
        _out, errors = producer.communicate(timeout=120)
        assert first.strip(), args
        assert b"Traceback" not in errors and b"BrokenPipe" not in errors, (args, errors[-500:])
        assert b"Erreur inattendue" not in errors, args
    assert time.monotonic() - started < 300


def test_lesson_text_in_the_terminal_has_no_raw_markdown():
    from datactiviste.lessons.session import step_text

    import re

    for module in load_modules("fr"):
        for step in module.steps:
            shown = step_text(module, step)
            assert "`" not in shown, (module.number, step.id)
            taught = "".join(re.findall(r"`[^`]*`", step.text))   # Markdown shown as an example
            for bold in re.findall(r"\*\*[^*\n]+\*\*", shown):
                assert bold in taught, (module.number, step.id, bold)
