"""Read the curricula: one folder per module, one YAML file per language, validated on load.

The curricula ship inside the package (`datactiviste/curricula/`) so that `pip install` users
and the frozen binary get the same lessons; `DATACTIVISTE_CURRICULA` points to another folder
(a trainer's own modules), validated the same way.
"""

from __future__ import annotations

import hashlib
import os
import random
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


def choice_order(slug: str, step_id: str, count: int, answer: int, rank: int) -> list[int]:
    """The order a choice step's options are shown in, the same in both languages.

    Authors tend to put the right answer second, and learners learn to answer 2: the right
    answer goes to position `rank` modulo `count` (the rank of the step among the module's
    choice steps, offset by the module), the others are shuffled with the step's id as seed."""
    others = [i for i in range(count) if i != answer - 1]
    random.Random(int(hashlib.sha256(f"{slug}/{step_id}".encode()).hexdigest()[:12], 16)).shuffle(others)
    others.insert(rank % count, answer - 1)
    return others


def _shuffled(data: dict) -> list[dict]:
    steps, rank = [], data["module"] * 2
    for raw in data["steps"]:
        if raw["kind"] == "choice" and not raw.get("keep_order"):
            order = choice_order(data["slug"], raw["id"], len(raw["choices"]), raw["answer"], rank)
            raw = dict(raw, choices=[raw["choices"][i] for i in order], answer=order.index(raw["answer"] - 1) + 1)
            rank += 1
        steps.append(raw)
    return steps


def _module_from(data: dict, folder: Path) -> Module:
    steps = []
    for raw in _shuffled(data):
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
