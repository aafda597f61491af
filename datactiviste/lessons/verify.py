"""Prove the curricula: every solution passes its checker, every wrong answer fails helpfully.

For each module and language: the files are valid and the two languages hold the same
exercises; each exercise's reference answer passes; wrong answers fail with a message (every
other choice, a number off the mark, a nonsense text, the SQL result typed in by hand — which
must fail on the variant database — and the wrong answers the author listed). "Do it" steps
fail in an empty folder, then pass after their solution commands are run through the real
CLI (so each file step's own checker accepts what its solution draws, `built_from` included),
and fail on the same files left over from before the step, or on a sibling step's chart or map
under their name; a step that draws a chart or map without a `built_from` check fails. A command not yet available in this build is reported as
skipped (`--strict` fails it).
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from datactiviste.i18n import LANGUAGES, _, get_language, set_language
from datactiviste.lessons import loader
from datactiviste.lessons.checkers import FILE_CHECKS, check, expected_value, hard_coded_query, run_query
from datactiviste.lessons.model import Module, Step
from datactiviste.lessons.practice import practice_databases
from datactiviste.lessons.session import workspace_name
from datactiviste.lessons.stated import module_step, stated_problems

PASS, FAIL, SKIP = "pass", "fail", "skip"


@dataclass
class Outcome:
    module: int
    language: str
    step: str
    case: str
    status: str
    message: str


def verify(numbers: list[int] | None = None, languages=LANGUAGES) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for where, problems in loader.problems().items():
        for problem in problems:
            outcomes.append(Outcome(0, "", Path(where).name, _("schema"), FAIL, f"{where}: {problem}"))
    if any(o.status == FAIL for o in outcomes):
        return outcomes
    previous = get_language()
    try:
        for language in languages:
            set_language(language)
            for module in loader.load_modules(language):
                if numbers and module.number not in numbers:
                    continue
                outcomes += _verify_module(module)
    finally:
        set_language(previous)
    return outcomes


def _expect(module: Module, step: Step, case: str, answer, should_pass: bool, workspace: Path,
            started_at: float | None = None) -> Outcome:
    result = check(module, step, None if answer is None else str(answer), workspace, started_at)
    ok = result.ok == should_pass and (should_pass or bool(result.message.strip()))
    message = result.message if ok else _("expected to {verb}, got: {message}").format(
        verb=_("pass") if should_pass else _("fail"), message=result.message)
    return Outcome(module.number, module.language, step.id, case, PASS if ok else FAIL, message)


def _answer_values(module: Module) -> set[float]:
    """The numbers the module's answers produce: prose may state them without a directive."""
    values: set[float] = set()
    reference = practice_databases(module.practice_data)[0] if module.practice_data else None
    for step in module.exercises:
        found = []
        if step.kind in ("number", "text"):
            value = expected_value(module, step)
            found += value if isinstance(value, list) else [value]
        if step.kind == "sql" and reference is not None:
            found += [cell for row in run_query(reference, step.data["solution_sql"])[1] for cell in row]
        values.update(float(v) for v in found if isinstance(v, (int, float)) and not isinstance(v, bool))
    return values


def _verify_stated(module: Module) -> list[Outcome]:
    """Every figure a step states comes from the data (see lessons.stated)."""
    answers = _answer_values(module)
    outcomes = []
    for step in [module_step(module)] + module.steps:
        problems = stated_problems(module, step, answers)
        outcomes += [Outcome(module.number, module.language, step.id, _("stated facts"), FAIL, problem)
                     for problem in problems]
    if not outcomes:
        outcomes.append(Outcome(module.number, module.language, "-", _("stated facts"), PASS,
                                _("every figure the text states comes from the data")))
    return outcomes


def _verify_module(module: Module) -> list[Outcome]:
    outcomes = _verify_stated(module) + _unchecked_sources(module)
    empty = Path(tempfile.mkdtemp(prefix="datactiviste-verify-empty-"))
    try:
        for step in module.exercises:
            if step.kind == "do_it":
                outcomes.append(_expect(module, step, _("empty folder"), None, False, empty))
            else:
                outcomes += _verify_answers(module, step, empty)
        outcomes += _verify_do_it(module)
    finally:
        shutil.rmtree(empty, ignore_errors=True)
    return outcomes


def _verify_answers(module: Module, step: Step, workspace: Path) -> list[Outcome]:
    cases: list[tuple[str, object, bool]] = []
    if step.kind == "number":
        expected = float(expected_value(module, step))
        tolerance = float(step.data.get("tolerance", 0))
        french = f"{expected:.2f}".replace(".", ",")
        cases += [(_("solution"), repr(expected), True), (_("solution, French notation"), french, True),
                  (_("off the mark"), repr(expected * 1.5 + 2 * tolerance + 1), False),
                  (_("not a number"), "beaucoup", False)]
    elif step.kind == "text":
        expected = expected_value(module, step)
        accepted = expected if isinstance(expected, list) else [expected]
        cases += [(_("solution"), a, True) for a in accepted]
        cases += [(_("solution in capitals"), str(accepted[0]).upper(), True), (_("nonsense"), "zzz", False)]
    elif step.kind == "choice":
        for number in range(1, len(step.data["choices"]) + 1):
            cases.append((_("choice {number}").format(number=number), number, number == step.data["answer"]))
    elif step.kind == "sql":
        cases += [(_("solution"), step.data["solution_sql"], True),
                  (_("result typed by hand"), hard_coded_query(module, step), False)]
        reference, variant = practice_databases(module.practice_data)
        if run_query(reference, step.data["solution_sql"]) == run_query(variant, step.data["solution_sql"]):
            return [Outcome(module.number, module.language, step.id, _("variant"), FAIL,
                            _("the variant database gives the same result: hard-coded answers would pass"))]
    cases += [(_("listed wrong answer"), wrong, False) for wrong in step.data.get("wrong_answers", [])]
    return [_expect(module, step, case, answer, should_pass, workspace) for case, answer, should_pass in cases]


def _available(command: str) -> bool:
    from datactiviste.cli import COMMANDS

    words = shlex.split(command)
    return len(words) > 1 and words[1] in COMMANDS


def run_command(command: str, workspace: Path) -> tuple[int, str]:
    """Run one `datactiviste ...` command line in-process, in `workspace`; (exit code, output)."""
    from datactiviste.cli import cli

    language = get_language()
    output = io.StringIO()
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            code = cli.main(args=["--lang", language] + shlex.split(command)[1:], prog_name="datactiviste",
                            standalone_mode=False)
    except SystemExit as exit_:  # noqa: PERF203
        code = exit_.code
    finally:
        os.chdir(cwd)
        set_language(language)
    return int(code or 0), output.getvalue()


def _makes_files(module: Module, step: Step) -> bool:
    provided = {Path(f).name for f in module.files}
    return any(c["check"] in FILE_CHECKS and c["pattern"] not in provided for c in step.data["checks"])


def _unchecked_sources(module: Module) -> list[Outcome]:
    """A step whose solution draws a chart or a map must check what data it was drawn from:
    otherwise a chart of another table, or one left over from another module, would pass."""
    outcomes = []
    for step in module.steps:
        if step.kind != "do_it":
            continue
        draws = [c for c in step.data["solution_commands"] if shlex.split(c)[1:2] in (["chart"], ["map"])]
        if draws and not any(c["check"] == "built_from" for c in step.data["checks"]):
            outcomes.append(Outcome(module.number, module.language, step.id, _("data drawn"), FAIL,
                                    _("`{command}` draws a chart or map, but no `built_from` check says "
                                      "which table it must be made from").format(command=draws[0][:80])))
    return outcomes


def copy_module_files(module: Module, workspace: Path) -> None:
    """The module's files in `workspace`, named as `lesson start` names them."""
    for relative in module.files:
        shutil.copyfile(loader.sample_path(relative), workspace / workspace_name(relative))


def run_solution(step: Step, workspace: Path) -> str | None:
    """Do a "do it" step as its solution says (files written, commands run); None, or what failed."""
    for name, content in sorted(step.data.get("solution_files", {}).items()):
        (workspace / name).write_text(content, encoding="utf-8")
    for command in step.data["solution_commands"]:
        code, output = run_command(command, workspace)
        if code != 0:
            return _("`{command}` exited with {code}: {output}").format(
                command=command, code=code, output=output.strip()[-300:])
    return None


def _verify_do_it(module: Module) -> list[Outcome]:
    steps = [s for s in module.steps if s.kind == "do_it"]
    if not steps:
        return []
    outcomes = []
    workspace = Path(tempfile.mkdtemp(prefix="datactiviste-verify-"))
    try:
        copy_module_files(module, workspace)
        for step in steps:
            missing = [c for c in step.data["solution_commands"] if not _available(c)]
            if missing:
                outcomes.append(Outcome(module.number, module.language, step.id, _("solution"), SKIP,
                                        _("command not available in this build yet: {command}").format(
                                            command=missing[0])))
                continue
            started = time.time()
            failed = run_solution(step, workspace)
            if failed:
                outcomes.append(Outcome(module.number, module.language, step.id, _("solution"), FAIL, failed))
                continue
            outcomes.append(_expect(module, step, _("solution"), None, True, workspace, started))
            if _makes_files(module, step):
                later = time.time() + 3600  # the same files, left over from before the step began
                outcomes.append(_expect(module, step, _("files left over from before the step"), None,
                                        False, workspace, later))
        outcomes += _verify_swapped_outputs(module, steps, workspace)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    return outcomes


def _sourced_files(step: Step) -> list[str]:
    return [c["pattern"] for c in step.data["checks"]
            if c["check"] == "built_from" and not any(ch in c["pattern"] for ch in "*?[")]


def _verify_swapped_outputs(module: Module, steps: list[Step], workspace: Path) -> list[Outcome]:
    """Another step's chart or map, under this step's file name, fails this step's `built_from`
    checks: each step's check tells its data from its neighbours'."""
    outcomes = []
    for step in steps:
        for other in steps:
            theirs = [workspace / name for name in _sourced_files(other) if (workspace / name).is_file()]
            if other is step or not theirs or not _sourced_files(step):
                continue
            scratch = Path(tempfile.mkdtemp(prefix="datactiviste-verify-swap-"))
            try:
                for name in _sourced_files(step):
                    shutil.copyfile(theirs[0], scratch / name)
                only_sources = Step(step.id, step.kind, step.text, data={
                    **step.data, "checks": [c for c in step.data["checks"] if c["check"] == "built_from"]})
                case = _("the file of step {step}").format(step=other.id)
                outcomes.append(_expect(module, only_sources, case, None, False, scratch))
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    return outcomes
