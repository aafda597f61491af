"""Lesson text cannot contradict the data: figures come from queries, `lesson verify` catches
the ones typed by hand (a test changes a number in a real module file and verify fails)."""

from __future__ import annotations

import shutil

import pytest

from datactiviste.i18n import set_language
from datactiviste.lessons import loader
from datactiviste.lessons.practice import practice_databases, scalar
from datactiviste.lessons.stated import rendered_step, typed_numbers
from datactiviste.lessons.verify import FAIL, verify


@pytest.fixture
def curricula(tmp_path, monkeypatch):
    """A copy of the real curricula that the test may edit."""
    root = tmp_path / "curricula"
    shutil.copytree(loader.PACKAGE_CURRICULA, root)
    monkeypatch.setenv("DATACTIVISTE_CURRICULA", str(root))
    yield root
    set_language(None)


def _stated_failures(numbers):
    return [o for o in verify(numbers, languages=("fr",)) if o.status == FAIL]


def test_the_real_curricula_state_only_figures_from_the_data():
    failures = [o for o in verify() if o.status == FAIL]
    assert failures == []


def test_a_number_typed_in_a_lesson_makes_verify_fail(curricula):
    path = curricula / "01-question" / "fr.yaml"
    text = path.read_text(encoding="utf-8")
    directive = "{{ nombre: SELECT count(*) FROM structures_sante }}"
    assert directive in text
    path.write_text(text.replace(directive, "123"), encoding="utf-8")   # one more than the data
    failures = _stated_failures([1])
    assert [(o.step, o.case) for o in failures] == [("compter", "faits énoncés")]
    assert "123" in failures[0].message and "nombre: SELECT" in failures[0].message


def test_a_hint_whose_query_breaks_or_finds_nothing_fails(curricula):
    path = curricula / "06-map" / "fr.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("WHERE annee = 2024 GROUP BY region) ORDER BY taux LIMIT 1",
                        "WHERE annee = 1999 GROUP BY region) ORDER BY taux LIMIT 1")
    path.write_text(text, encoding="utf-8")
    failures = _stated_failures([6])
    assert failures and all(o.step == "plus-faible" for o in failures)
    assert any("aucune valeur" in o.message or "no value" in o.message for o in failures), failures


def test_the_learner_reads_the_value_of_her_practice_data():
    set_language("fr")
    module = loader.get_module(1, "fr")
    shown = rendered_step(module, module.step("compter"))
    count = scalar(practice_databases(module.practice_data)[0], "SELECT count(*) FROM structures_sante")
    assert shown.solution.startswith(f"{count} structures")
    assert "{{" not in shown.solution


def test_typed_numbers_ignore_code_years_codes_and_sizes():
    text = "En 2024, `SELECT 12345`, le code 07001, 150 Ko, 20 min, mais 2 456 100 FCFA et 12,5 %."
    assert typed_numbers(text) == ["2 456 100", "12,5"]
