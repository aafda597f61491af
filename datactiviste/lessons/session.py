"""What the `datactiviste lesson` commands do: start a module, show a step, give a hint, check.

A session joins a learner's progress store, the curricula in the current language and the
folder she works in. Step ids are the same in French and English, so she may switch language
half-way through a module.
"""

from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.lessons.checkers import CheckResult, check
from datactiviste.lessons.loader import get_module, load_modules, sample_path
from datactiviste.lessons.model import Module, Step
from datactiviste.lessons.practice import practice_databases
from datactiviste.lessons.markup import to_terminal
from datactiviste.lessons.progress import Event, ProgressStore
from datactiviste.lessons.stated import rendered_step


def practice_db_name(module: Module) -> str:
    return f"lecon-{module.number:02d}.db"


def workspace_name(relative: str) -> str:
    """The name a module file gets in the learner's folder: a dataset's README keeps the name of
    its dataset (README-structures_sante.md), so two modules' READMEs do not collide."""
    path = Path(relative)
    if path.name.lower() == "readme.md" and path.parent.name:
        return f"README-{path.parent.name}.md"
    return path.name


@dataclass
class CheckOutcome:
    result: CheckResult
    step: Step
    next_step: Step | None
    module_finished: bool


@dataclass
class Hint:
    level: int
    count: int
    text: str
    is_solution: bool


class LessonSession:
    def __init__(self, store: ProgressStore, workspace: Path):
        self.store = store
        self.workspace = Path(workspace)
        self.recorded = 0   # events recorded by this command: the CLI then sends them to a live room

    def _record(self, module: int, step: str, kind: str, correct: bool | None = None, detail: str = "") -> None:
        """Record an event, and queue it for the trainer's live room when she joined one."""
        from datactiviste.lessons.live import queue

        at = self.store.record(module, step, kind, correct, detail)  # a time of its own (progress.record)
        queue(self.store, Event(module, step, kind, None if correct is None else int(correct), detail[:500], at))
        self.recorded += 1

    def merge(self, exported: dict) -> int:
        """Add an export's events (her work on another laptop); a live room she joined gets them too."""
        from datactiviste.lessons.live import queue

        known = {event.key() for event in self.store.events()}
        added = self.store.merge(exported)
        for event in self.store.events():
            if event.key() not in known:
                queue(self.store, event)
        self.recorded += added
        return added

    # where the learner is
    def current(self) -> tuple[Module, Step]:
        number = self.store.get_state("module")
        if number is None:
            raise DatactivisteError(_("No lesson started yet."),
                                    hint=_("Start one with `datactiviste lesson start 1` (see `datactiviste lesson list`)."))
        module = get_module(int(number))
        step = module.step(self.store.get_state("step") or "") or self._first_open_step(module)
        return module, step

    def _first_open_step(self, module: Module) -> Step:
        done = self.store.done_steps(module.number)
        return next((s for s in module.steps if s.id not in done), module.steps[-1])

    def start(self, number: int) -> tuple[Module, Step, list[str]]:
        """Make `number` the current module, put its files in the workspace; returns files added."""
        module = get_module(number)
        added = []
        for relative in module.files:
            source = sample_path(relative)
            target = self.workspace / workspace_name(relative)
            if not target.exists():
                shutil.copyfile(source, target)
                added.append(target.name)
        if any(s.kind == "sql" for s in module.steps) and module.practice_data:
            target = self.workspace / practice_db_name(module)
            if not target.exists():
                reference, _variant = practice_databases(module.practice_data)
                shutil.copyfile(reference, target)
                added.append(target.name)
        step = self._first_open_step(module)
        self.store.set_state("module", module.number)
        self.store.set_state("step", step.id)
        self._record(module.number, step.id, "start")
        return module, step, added

    def unfinished_prerequisites(self, module: Module) -> list[int]:
        """Prerequisite modules whose exercises are not all done (a warning, never a lock)."""
        unfinished = []
        for number in module.prerequisites:
            required = get_module(number)
            done = self.store.done_steps(number)
            if any(step.id not in done for step in required.exercises):
                unfinished.append(number)
        return unfinished

    def hint(self) -> Hint:
        """The next hint of the current step; after the last one, the solution."""
        module, step = self.current()
        if not step.is_exercise:
            raise DatactivisteError(_("This step is an explanation: there is nothing to find."),
                                    hint=_("Go on with `datactiviste lesson check`."))
        used = self.store.hints_used(module.number, step.id)
        shown = rendered_step(module, step)
        if used < len(step.hints):
            self._record(module.number, step.id, "hint", detail=str(used + 1))
            return Hint(used + 1, len(step.hints), shown.hints[used], False)
        self._record(module.number, step.id, "solution")
        return Hint(len(step.hints) + 1, len(step.hints), solution_text(shown), True)

    def step_started(self, module: Module, step: Step) -> float | None:
        """When the learner reached `step`: the module's start or the last other step done."""
        times = [e.at for e in self.store.events(module.number)
                 if e.kind == "start" or (e.kind == "done" and e.step != step.id)]
        return datetime.datetime.fromisoformat(max(times)).timestamp() if times else None

    def check(self, answer: str | None) -> CheckOutcome:
        module, step = self.current()
        result = check(module, step, answer, self.workspace, self.step_started(module, step))
        answered = step.kind == "do_it" or bool((answer or "").strip())  # `check` alone is no wrong try
        if step.kind != "explanation" and answered:
            self._record(module.number, step.id, "attempt", result.ok, (answer or "")[:500])
        if not result.ok:
            return CheckOutcome(result, step, step, False)
        self._record(module.number, step.id, "done")
        done = self.store.done_steps(module.number)
        position = module.steps.index(step)
        following = [s for s in module.steps[position + 1:] if s.id not in done] or \
                    [s for s in module.steps if s.id not in done]
        next_step = following[0] if following else None
        self.store.set_state("step", next_step.id if next_step else step.id)
        return CheckOutcome(result, step, next_step, next_step is None)

    def summary(self) -> list[tuple[Module, int, int]]:
        """(module, exercises done, exercises) for every module."""
        rows = []
        for module in load_modules():
            done = self.store.done_steps(module.number)
            rows.append((module, sum(1 for s in module.exercises if s.id in done), len(module.exercises)))
        return rows


def solution_text(step: Step) -> str:
    parts = [step.solution.strip()]
    if step.kind == "sql":
        parts.append(step.data["solution_sql"].strip())
    if step.kind == "do_it":
        parts += step.data["solution_commands"]
    return "\n\n".join(p for p in parts if p)


def step_text(module: Module, step: Step, style=None) -> str:
    """A step as the terminal shows it: where we are, the text (figures computed from the data,
    Markdown turned into plain text), and how to answer. `style` is click.style on a console."""
    position = module.steps.index(step) + 1
    step = rendered_step(module, step)
    lines = [_("Module {number} — {title}").format(number=module.number, title=to_terminal(module.title)),
             _("Step {position}/{count}").format(position=position, count=len(module.steps))
             + (f" — {to_terminal(step.title)}" if step.title else ""), "",
             to_terminal(step.text.strip(), style), ""]
    if step.kind == "choice":
        lines += [f"  {i}. {to_terminal(choice, style)}" for i, choice in enumerate(step.data["choices"], start=1)] + [""]
    how = {
        "explanation": _("When you have read it: datactiviste lesson check"),
        "number": _("Answer with: datactiviste lesson check NUMBER"),
        "text": _("Answer with: datactiviste lesson check \"YOUR ANSWER\""),
        "choice": _("Answer with the number of your choice: datactiviste lesson check NUMBER"),
        "sql": _("Answer with: datactiviste lesson check --sql \"SELECT ...\" (or --file query.sql)"),
        "do_it": _("Do it in this folder, then: datactiviste lesson check"),
    }[step.kind]
    lines.append(how)
    if step.is_exercise:
        lines.append(_("Stuck? datactiviste lesson hint"))
    return "\n".join(lines)
