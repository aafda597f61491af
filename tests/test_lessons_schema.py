"""The curricula: every module valid in French and English, with the same exercises; the
validator itself names the file, step and field of every mistake."""

from __future__ import annotations

import copy

import pytest
import yaml

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import LANGUAGES
from datactiviste.lessons import loader
from datactiviste.lessons.schema import parity_problems, validate_module

FOLDERS = loader.module_folders()


def _raw(folder, language):
    return yaml.safe_load((folder / f"{language}.yaml").read_text(encoding="utf-8"))


def test_the_workshop_has_at_least_eight_modules_in_both_languages():
    assert len(FOLDERS) >= 8
    for language in LANGUAGES:
        modules = loader.load_modules(language)
        assert [m.number for m in modules] == list(range(1, len(FOLDERS) + 1))
        # two days of about five hours
        assert 8 * 60 <= sum(m.minutes for m in modules) <= 12 * 60


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_module_file_is_valid(folder, language):
    data = _raw(folder, language)
    assert validate_module(data, language) == []
    assert data["language"] == language


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_french_and_english_hold_the_same_exercises(folder):
    assert parity_problems(_raw(folder, "fr"), _raw(folder, "en")) == []


def test_every_exercise_has_graded_hints_a_solution_and_sample_data_that_exists():
    for language in LANGUAGES:
        for module in loader.load_modules(language):
            assert module.exercises, module.title
            assert module.facilitator_notes.strip() and module.objectives and module.key_points
            for step in module.exercises:
                assert step.hints and all(h.strip() for h in step.hints), (module.number, step.id)
                assert step.solution.strip(), (module.number, step.id)
            for relative in module.practice_data + module.files:
                assert loader.sample_path(relative).is_file(), relative


def test_every_step_kind_of_the_issue_is_used():
    kinds = {step.kind for module in loader.load_modules("fr") for step in module.steps}
    assert kinds == {"explanation", "number", "text", "choice", "sql", "do_it"}


def _module_2():
    return _raw(loader.PACKAGE_CURRICULA / "02-import", "fr")


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d.pop("title"), "le champ « title » manque"),
    (lambda d: d["steps"][1].update(kind="essay"), "« kind » doit valoir l'un de"),
    (lambda d: d["steps"][1].update(answer=7), "« answer » doit être le numéro d'un des choix (1 à 3)"),
    (lambda d: d["steps"][1].update(hints=[]), "« hints » doit être une liste de textes non vide"),
    (lambda d: d["steps"][1].pop("solution"), "le champ « solution » manque"),
    (lambda d: d["steps"][2].update(id="separateur"), "cet identifiant est utilisé deux fois"),
    (lambda d: d["steps"][3]["checks"].append({"check": "row_count"}), "a besoin de « table »"),
    (lambda d: d["steps"][4].update(answer=309), "donnez exactement l'un de « answer » et « answer_sql »"),
    (lambda d: d["minutes"].update(teaching="vingt"), "« minutes.teaching » doit être un nombre entier"),
    (lambda d: d.update(colour="blue"), "champ inconnu « colour »"),
])
def test_the_validator_says_what_is_wrong_and_where(mutate, expected):
    data = copy.deepcopy(_module_2())
    mutate(data)
    problems = validate_module(data, "fr")
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(("module", "étape")) for p in problems)


def test_parity_catches_a_translated_answer():
    french, english = _module_2(), copy.deepcopy(_raw(loader.PACKAGE_CURRICULA / "02-import", "en"))
    english["steps"][1]["answer"] = 1
    english["steps"][4]["answer_sql"] = "SELECT 1"
    problems = parity_problems(french, english)
    assert "étape separateur : « answer » diffère entre les langues" in problems
    assert "étape lignes : « answer_sql » diffère entre les langues" in problems


def test_a_broken_yaml_file_is_reported_with_its_line(tmp_path, monkeypatch):
    folder = tmp_path / "01-broken"
    folder.mkdir()
    (folder / "fr.yaml").write_text("module: 1\ntitle: Un titre : avec deux-points\n", encoding="utf-8")
    (folder / "en.yaml").write_text("module: 1\n", encoding="utf-8")
    monkeypatch.setenv("DATACTIVISTE_CURRICULA", str(tmp_path))
    problems = loader.problems()
    assert "ligne 2" in problems[str(folder / "fr.yaml")][0]
    with pytest.raises(DatactivisteError) as error:
        loader.load_modules("fr")
    assert error.value.line == 2
