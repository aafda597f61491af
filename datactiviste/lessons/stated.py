"""Lesson text whose figures come from the data, and the check that typed figures do too.

A step states facts about its dataset (a count, a maximum, the region that comes last) with
the dossier's directives (`{{ nombre: SELECT … }}`, see `datactiviste.facts`), evaluated on the
practice database the learner has: the text cannot contradict the data. `stated_problems`
is what `lesson verify` runs: every directive of every step evaluates on the practice database
and on the hidden variant, and a number typed by hand in the prose (not in code) must be a value
of the data or of the step's answer, else it is a claim nobody computed.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.facts import evaluate, parse
from datactiviste.i18n import _, get_language
from datactiviste.lessons.model import Module, Step
from datactiviste.lessons.practice import practice_databases
from datactiviste.project import data_tables
from datactiviste.ingest.names import quote

PROSE_FIELDS = ("title", "text", "solution")
# Numbers typed in prose: '2 456 100', '7,036', '12,5', '122'. Smaller whole numbers (3 regions,
# 7 steps) and years are words of the explanation, not figures read from the data.
_NUMBER = re.compile(r"(?<![\w.,/-])\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?:[.,]\d+)?(?![\w/-])"
                     r"|(?<![\w.,/-])\d+(?:[.,]\d+)?(?![\w/-])")
_UNIT_AFTER = re.compile(r"[ \u00a0\u202f]?(?:[KMG]o|[KMG]B|octets|bytes|min|minutes|h|heures|hours|px)\b")
_CODE = re.compile(r"```.*?```|`[^`\n]*`|\{\{.*?\}\}|\[[^\]]*\]\([^)]*\)|https?://\S+", re.S)


def _connection(database: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{database}?mode=ro", uri=True)


def render(module: Module, text: str, lang: str | None = None, database: Path | None = None) -> str:
    """`text` with its directives replaced by their values on `database` (default: the practice
    database the learner was given)."""
    if not text or "{{" not in text:
        return text
    return _render(module.folder, module.language, tuple(module.practice_data), text,
                   lang or module.language, str(database) if database else "")


@lru_cache(maxsize=512)
def _render(folder: str, language: str, practice: tuple, text: str, lang: str, database: str) -> str:
    path = Path(database) if database else _reference(practice, folder)
    connection = _connection(path)
    try:
        return evaluate(text, connection, lang, path=f"{folder}/{language}.yaml").plain()
    finally:
        connection.close()


def _reference(practice: tuple, folder: str) -> Path:
    if not practice:
        raise DatactivisteError(_("This lesson states figures computed from data but has no "
                                  "practice_data to compute them on."), path=folder)
    return practice_databases(list(practice))[0]


def step_fields(step: Step) -> dict[str, str]:
    """The texts a learner reads in a step: title, text, hints, solution, choices."""
    fields = {name: getattr(step, name) for name in PROSE_FIELDS}
    fields.update({f"hint {i}": hint for i, hint in enumerate(step.hints, start=1)})
    if step.kind == "choice":
        fields.update({f"choice {i}": c for i, c in enumerate(step.data["choices"], start=1)})
    return fields


def rendered_step(module: Module, step: Step) -> Step:
    """The step as the learner sees it: every directive replaced by its value."""
    texts = step_fields(step)
    if not any("{{" in t for t in texts.values()):
        return step
    data = dict(step.data)
    if step.kind == "choice":
        data["choices"] = [render(module, c) for c in step.data["choices"]]
    return dataclasses.replace(step, title=render(module, step.title), text=render(module, step.text),
                               solution=render(module, step.solution),
                               hints=[render(module, h) for h in step.hints], data=data)


def module_step(module: Module) -> Step:
    """The module's own prose (summary, objectives, notes, key points) as one step, so it is
    checked like the steps' text."""
    text = "\n\n".join([module.summary, module.facilitator_notes] + module.objectives + module.key_points)
    return Step(id="module", kind="explanation", text=text, title=module.title)


def typed_numbers(text: str) -> list[str]:
    """Numbers written by hand in the prose of `text` (not in code, links or directives)."""
    from datactiviste.lessons.checkers import number_readings

    prose = _CODE.sub(" ", text or "")
    found = []
    for match in _NUMBER.finditer(prose):
        if _UNIT_AFTER.match(prose, match.end()):   # '150 KB', '20 min': sizes and times of the tool
            continue
        readings = number_readings(match.group(0))
        if not readings:
            continue
        whole = all(float(r).is_integer() for r in readings) and not re.search(r"[.,]\d{1,2}$", match.group(0))
        if whole and (max(readings) < 100 or (1900 <= max(readings) <= 2100 and match.group(0).isdigit())
                      or match.group(0).startswith("0")):   # small counts, years, codes (07001)
            continue
        found.append(match.group(0))
    return found


@lru_cache(maxsize=16)
def data_numbers(database: str) -> frozenset:
    """Every number the practice database holds, and every table's row count."""
    values: set[float] = set()
    connection = _connection(Path(database))
    try:
        for table in data_tables(connection):
            quoted = quote(table)
            rows = connection.execute(f"SELECT * FROM {quoted}").fetchall()
            values.add(float(len(rows)))
            for row in rows:
                values.update(float(v) for v in row if isinstance(v, (int, float)) and not isinstance(v, bool))
    finally:
        connection.close()
    return frozenset(values)


def _matches(text: str, known: set[float]) -> bool:
    from datactiviste.lessons.checkers import number_readings

    for reading in number_readings(text):
        places = len(re.split(r"[.,]", text)[-1]) if re.search(r"[.,]\d{1,2}$", text) else 0
        if any(round(value, places) == round(reading, places) for value in known):
            return True
    return False


def stated_problems(module: Module, step: Step, answers: set[float]) -> list[str]:
    """What `lesson verify` reports for one step: directives that fail or come back empty on the
    practice data or its variant, and typed numbers the data does not hold."""
    problems = []
    texts = step_fields(step)
    if step.kind == "choice":   # the wrong options may (must) state wrong figures
        texts = {k: v for k, v in texts.items()
                 if not k.startswith("choice") or k == f"choice {step.data['answer']}"}
    databases = practice_databases(module.practice_data) if module.practice_data else ()
    answers = set(answers) | {float(n) for n in step.data.get("plain_numbers", [])}
    for name, text in texts.items():
        if "{{" in text:
            problems += _directive_problems(module, name, text, databases)
        for number in typed_numbers(text):
            known = set(answers) | (set(data_numbers(str(databases[0]))) if databases else set())
            if not _matches(number, known):
                problems.append(_("{field}: the figure {number} is typed by hand and is not in the data: "
                                  "compute it with {{{{ nombre: SELECT … }}}}").format(field=name, number=number))
    return problems


def _directive_problems(module: Module, name: str, text: str, databases) -> list[str]:
    if not databases:
        return [_("{field}: figures computed from data need the module's practice_data").format(field=name)]
    try:
        directives = parse(text)
    except DatactivisteError as error:
        return [f"{name}: {error.message}"]
    if any(d.kind != "number" for d in directives):
        return [_("{field}: lessons state numbers only ({{{{ nombre: … }}}}); charts and maps are "
                  "made by the learner").format(field=name)]
    problems = []
    for label, database in zip((_("practice data"), _("variant")), databases):
        connection = _connection(database)
        try:
            evaluation = evaluate(text, connection, get_language())
        except DatactivisteError as error:
            problems.append(f"{name} ({label}): {error.message}")
            continue
        finally:
            connection.close()
        problems += [f"{name} ({label}): {warning}" for fact in evaluation.facts for warning in fact.warnings]
    return problems
