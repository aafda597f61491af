"""The schema of a lesson file, and a validator that says exactly what is wrong and where.

Written here rather than with jsonschema: the schema is small (a table of fields per step kind),
trainers who write modules need messages in French that name the step and the field, and it
keeps one dependency out of the frozen binary.
"""

from __future__ import annotations

import re

from datactiviste.i18n import _
from datactiviste.lessons.model import EXERCISE_KINDS, STEP_KINDS

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NUMBER = (int, float)

# field -> (accepted types, required)
MODULE_FIELDS = {
    "module": (int, True), "slug": (str, True), "language": (str, True), "title": (str, True),
    "summary": (str, True), "minutes": (dict, True), "objectives": (list, True),
    "key_points": (list, True), "facilitator_notes": (str, True), "prerequisites": (list, False),
    "practice_data": (list, False), "files": (list, False), "steps": (list, True),
}
# plain_numbers: figures the step writes that are not read from the data (a threshold of the
# question, "× 100", a deliberately wrong figure to correct), so `lesson verify` lets them be.
COMMON_STEP_FIELDS = {"id": (str, True), "kind": (str, True), "title": (str, False), "text": (str, True),
                      "plain_numbers": (list, False)}
EXERCISE_FIELDS = {"hints": (list, True), "solution": (str, True), "wrong_answers": (list, False)}
KIND_FIELDS = {
    "explanation": {},
    "number": {"answer": (NUMBER, False), "answer_sql": (str, False), "tolerance": (NUMBER, False),
               "unit": (str, False)},
    "text": {"accepted": (list, False), "answer_sql": (str, False)},
    "choice": {"choices": (list, True), "answer": (int, True), "keep_order": (bool, False)},
    "sql": {"solution_sql": (str, True), "ordered": (bool, False), "column_names": (bool, False)},
    "do_it": {"checks": (list, True), "solution_commands": (list, True), "solution_files": (dict, False)},
}
CHECK_FIELDS = {
    "table_exists": {"table"}, "row_count": {"table"}, "column_type": {"table", "column", "type"},
    "sql_true": {"sql"}, "file_exists": {"pattern"}, "html_title": {"pattern"},
    "file_contains": {"pattern", "any"}, "file_size_max": {"pattern", "bytes"},
    "dossier_checked": set(), "built_from": {"pattern", "tables"},
}
CHECK_OPTIONAL = {"db", "message", "same_as_practice", "equals", "at_least", "folder", "columns"}


def _type_name(types) -> str:
    types = types if isinstance(types, tuple) else (types,)
    names = {int: _("a whole number"), float: _("a number"), str: _("a text"), list: _("a list"),
             dict: _("a mapping"), bool: _("true or false")}
    return " / ".join(dict.fromkeys(names[t] for t in types))


def _check_fields(data: dict, fields: dict, where: str, errors: list[str], allowed_extra=()) -> None:
    for name, (types, required) in fields.items():
        if name not in data:
            if required:
                errors.append(_("{where}: the field '{field}' is missing").format(where=where, field=name))
            continue
        value = data[name]
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            ok = False
        else:
            ok = isinstance(value, types)
        if not ok:
            errors.append(_("{where}: '{field}' must be {expected}").format(
                where=where, field=name, expected=_type_name(types)))
    for name in data:
        if name not in fields and name not in allowed_extra:
            errors.append(_("{where}: unknown field '{field}'").format(where=where, field=name))


def validate_module(data, language: str) -> list[str]:
    """Every problem in one module file (empty list: valid)."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return [_("the file must contain a mapping of fields (title, steps, ...)")]
    _check_fields(data, MODULE_FIELDS, _("module"), errors)
    if data.get("language") not in (None, language):
        errors.append(_("module: 'language' is {found} but the file is for {expected}").format(
            found=data.get("language"), expected=language))
    if isinstance(data.get("slug"), str) and not _SLUG.match(data["slug"]):
        errors.append(_("module: 'slug' must be lower-case letters, digits and dashes"))
    minutes = data.get("minutes")
    if isinstance(minutes, dict):
        for key in ("teaching", "exercises"):
            if not isinstance(minutes.get(key), int) or minutes[key] < 0:
                errors.append(_("module: 'minutes.{key}' must be a whole number of minutes").format(key=key))
    for name in ("objectives", "key_points"):
        if isinstance(data.get(name), list) and (not data[name] or not all(isinstance(x, str) and x.strip()
                                                                             for x in data[name])):
            errors.append(_("module: '{field}' must be a non-empty list of texts").format(field=name))
    steps = data.get("steps")
    if isinstance(steps, list):
        if not steps:
            errors.append(_("module: 'steps' is empty"))
        seen: set[str] = set()
        for position, step in enumerate(steps, start=1):
            errors += validate_step(step, position, seen)
        if not any(isinstance(s, dict) and s.get("kind") in EXERCISE_KINDS for s in steps):
            errors.append(_("module: there is no exercise"))
    return errors


def validate_step(step, position: int, seen: set[str]) -> list[str]:
    errors: list[str] = []
    where = _("step {position}").format(position=position)
    if not isinstance(step, dict):
        return [_("{where}: a step must be a mapping").format(where=where)]
    if isinstance(step.get("id"), str):
        where = _("step {position} ({id})").format(position=position, id=step["id"])
        if not _SLUG.match(step["id"]):
            errors.append(_("{where}: 'id' must be lower-case letters, digits and dashes").format(where=where))
        if step["id"] in seen:
            errors.append(_("{where}: this id is used twice").format(where=where))
        seen.add(step["id"])
    kind = step.get("kind")
    if kind not in STEP_KINDS:
        errors.append(_("{where}: 'kind' must be one of {kinds}").format(where=where, kinds=", ".join(STEP_KINDS)))
        return errors
    fields = dict(COMMON_STEP_FIELDS)
    fields.update(KIND_FIELDS[kind])
    if kind in EXERCISE_KINDS:
        fields.update(EXERCISE_FIELDS)
    _check_fields(step, fields, where, errors)
    if kind in EXERCISE_KINDS and isinstance(step.get("hints"), list):
        if not step["hints"] or not all(isinstance(h, str) and h.strip() for h in step["hints"]):
            errors.append(_("{where}: 'hints' must be a non-empty list of texts").format(where=where))
    if kind == "number" and ("answer" in step) == ("answer_sql" in step):
        errors.append(_("{where}: give exactly one of 'answer' and 'answer_sql'").format(where=where))
    if kind == "text" and ("accepted" in step) == ("answer_sql" in step):
        errors.append(_("{where}: give exactly one of 'accepted' and 'answer_sql'").format(where=where))
    if kind == "choice" and isinstance(step.get("choices"), list) and isinstance(step.get("answer"), int):
        if len(step["choices"]) < 2 or not 1 <= step["answer"] <= len(step["choices"]):
            errors.append(_("{where}: 'answer' must be the number of one of the choices (1 to {count})").format(
                where=where, count=len(step["choices"])))
    if kind == "do_it" and isinstance(step.get("checks"), list):
        if not step["checks"]:
            errors.append(_("{where}: 'checks' is empty").format(where=where))
        for check in step["checks"]:
            errors += _validate_check(check, where)
    if kind == "do_it" and isinstance(step.get("solution_commands"), list):
        if not all(isinstance(c, str) and c.startswith("datactiviste ") for c in step["solution_commands"]):
            errors.append(_("{where}: every solution command must start with 'datactiviste '").format(where=where))
        if not step["solution_commands"] and not step.get("solution_files"):
            errors.append(_("{where}: give 'solution_commands' or 'solution_files'").format(where=where))
    return errors


def _validate_check(check, where: str) -> list[str]:
    if not isinstance(check, dict) or check.get("check") not in CHECK_FIELDS:
        return [_("{where}: each check needs 'check' set to one of {names}").format(
            where=where, names=", ".join(CHECK_FIELDS))]
    needed = CHECK_FIELDS[check["check"]]
    errors = [_("{where}: the check '{check}' needs '{field}'").format(where=where, check=check["check"], field=f)
              for f in sorted(needed - set(check))]
    unknown = set(check) - needed - CHECK_OPTIONAL - {"check"}
    errors += [_("{where}: unknown field '{field}'").format(where=where, field=f) for f in sorted(unknown)]
    for name in ("tables", "columns"):  # built_from: the data a chart or map must be made from
        value = check.get(name)
        if value is not None and not (isinstance(value, list) and value
                                      and all(isinstance(v, str) and v.strip() for v in value)):
            errors.append(_("{where}: '{field}' must be a non-empty list of names").format(
                where=where, field=name))
    return errors


def parity_problems(french: dict, english: dict) -> list[str]:
    """The French and English files must hold the same exercises with the same answers."""
    problems = []
    for key in ("module", "slug", "minutes", "prerequisites", "practice_data", "files"):
        if french.get(key) != english.get(key):
            problems.append(_("'{field}' differs between the languages").format(field=key))
    fr_steps, en_steps = french.get("steps") or [], english.get("steps") or []
    if [s.get("id") for s in fr_steps] != [s.get("id") for s in en_steps]:
        problems.append(_("the steps are not the same (ids and order) in both languages"))
        return problems
    # Solution commands may carry a title in the learner's language: not compared.
    neutral = ("kind", "answer", "answer_sql", "tolerance", "solution_sql", "ordered", "checks_neutral",
               "plain_numbers", "column_names", "keep_order")
    for fr_step, en_step in zip(fr_steps, en_steps):
        for key in neutral:
            fr_value, en_value = fr_step.get(key), en_step.get(key)
            if key == "checks_neutral":
                fr_value, en_value = _neutral_checks(fr_step), _neutral_checks(en_step)
            if fr_value != en_value:
                problems.append(_("step {id}: '{field}' differs between the languages").format(
                    id=fr_step.get("id"), field=key))
        if fr_step.get("kind") == "choice" and len(fr_step.get("choices", [])) != len(en_step.get("choices", [])):
            problems.append(_("step {id}: not the same number of choices").format(id=fr_step.get("id")))
        if len(fr_step.get("hints", [])) != len(en_step.get("hints", [])):
            problems.append(_("step {id}: not the same number of hints").format(id=fr_step.get("id")))
    return problems


def _neutral_checks(step: dict) -> list[dict]:
    # Messages, file names and words to look for may be localised ("carte*.html", "map*.html").
    localised = {"message", "pattern", "any"}
    return [{k: v for k, v in c.items() if k not in localised} for c in step.get("checks", []) if isinstance(c, dict)]
