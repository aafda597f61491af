"""Read the curricula: one folder per module, one YAML file per language, validated on load.

The curricula ship inside the package (`datactiviste/curricula/`) so that `pip install` users
and the frozen binary get the same lessons; `DATACTIVISTE_CURRICULA` points to another folder
(a trainer's own modules), validated the same way.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import LANGUAGES, _, get_language
from datactiviste.lessons.model import Module, Step
from datactiviste.lessons.schema import parity_problems, validate_module

PACKAGE_CURRICULA = Path(__file__).resolve().parents[1] / "curricula"
SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"


def curricula_root() -> Path:
    return Path(os.environ.get("DATACTIVISTE_CURRICULA") or PACKAGE_CURRICULA)


def module_folders(root: Path | None = None) -> list[Path]:
    root = root or curricula_root()
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name[:2].isdigit())


def read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatactivisteError(_("Lesson file not found: {path}").format(path=path)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DatactivisteError(_("This lesson file is not valid YAML: {problem}").format(
            problem=getattr(error, "problem", None) or error), path=str(path),
            line=mark.line + 1 if mark else None,
            hint=_("Check the indentation and the quotes around the line shown.")) from None


def problems(root: Path | None = None) -> dict[str, list[str]]:
    """{file: [problems]} for every module file, plus French/English parity per module."""
    found: dict[str, list[str]] = {}
    for folder in module_folders(root):
        raw = {}
        for language in LANGUAGES:
            path = folder / f"{language}.yaml"
            try:
                raw[language] = read_yaml(path)
                errors = validate_module(raw[language], language)
            except DatactivisteError as error:
                errors = [f"{error.message} ({error.location()})"]
            if errors:
                found[str(path)] = errors
        if all(isinstance(raw.get(lang), dict) for lang in LANGUAGES):
            parity = parity_problems(raw["fr"], raw["en"])
            if parity:
                found[str(folder)] = parity
    return found


def _module_from(data: dict, folder: Path) -> Module:
    steps = []
    for raw in data["steps"]:
        extra = {k: v for k, v in raw.items() if k not in ("id", "kind", "title", "text", "hints", "solution")}
        steps.append(Step(id=raw["id"], kind=raw["kind"], text=raw["text"], title=raw.get("title", ""),
                          hints=list(raw.get("hints", [])), solution=raw.get("solution", ""), data=extra))
    return Module(number=data["module"], slug=data["slug"], language=data["language"], title=data["title"],
                  summary=data["summary"], minutes_teaching=data["minutes"]["teaching"],
                  minutes_exercises=data["minutes"]["exercises"], objectives=data["objectives"],
                  key_points=data["key_points"], facilitator_notes=data["facilitator_notes"],
                  prerequisites=list(data.get("prerequisites", [])),
                  practice_data=list(data.get("practice_data", [])), files=list(data.get("files", [])),
                  steps=steps, folder=str(folder))


@lru_cache(maxsize=8)
def _load_all(root: str, language: str) -> tuple[Module, ...]:
    modules = []
    for folder in module_folders(Path(root)):
        path = folder / f"{language}.yaml"
        data = read_yaml(path)
        errors = validate_module(data, language)
        if errors:
            raise DatactivisteError(_("This lesson file is not valid: {problem}").format(problem=errors[0]),
                                    path=str(path), hint=_("Run `datactiviste lesson verify` to see every problem."))
        modules.append(_module_from(data, folder))
    return tuple(sorted(modules, key=lambda m: m.number))


def load_modules(language: str | None = None) -> list[Module]:
    return list(_load_all(str(curricula_root()), language or get_language()))


def get_module(number: int, language: str | None = None) -> Module:
    for module in load_modules(language):
        if module.number == number:
            return module
    numbers = ", ".join(str(m.number) for m in load_modules(language))
    raise DatactivisteError(_("There is no module {number}.").format(number=number),
                            hint=_("Available modules: {numbers}. See `datactiviste lesson list`.").format(
                                numbers=numbers))


def sample_path(relative: str) -> Path:
    """A file of the bundled sample data ('budget_communes/communes.csv')."""
    return SAMPLE_DATA / relative
