"""Where each learner of the live room is: the status of every step, from the events alone.

A step is *done* once a `done` event arrived; *struggling* when not done and either 3 wrong
attempts or, for an exercise, reached longer ago than twice its planned time (the module's
exercise minutes divided among its exercises); *in progress* when it was reached (an event on
it, or it is the step after the last one done); else *not started*. The same rules give the
page, its JSON and the CSV export, in the curricula's step order and titles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DONE, STRUGGLING, IN_PROGRESS, NOT_STARTED = "done", "struggling", "in progress", "not started"
STATUSES = (DONE, STRUGGLING, IN_PROGRESS, NOT_STARTED)
WRONG_TRIES = 3
SLOW_FACTOR = 2
MAX_UNKNOWN_MODULES = 10   # modules the server's curricula do not have, shown at most
MAX_UNKNOWN_STEPS = 20     # steps it does not have, shown at most per module


@dataclass
class StepInfo:
    module: int
    id: str
    position: int
    title: str
    exercise: bool
    planned_seconds: float | None  # per exercise; None for an explanation or an unknown step


@dataclass
class Cell:
    status: str = NOT_STARTED
    attempts: int = 0
    wrong: int = 0
    hints: int = 0
    solution: bool = False  # the solution was shown
    first_seen: float | None = None
    reached: float | None = None
    done_at: float | None = None
    slow: bool = False  # struggling because of the time, not the tries


@dataclass
class LearnerState:
    id: int
    name: str
    heard: float
    cells: dict = field(default_factory=dict)   # (module, step) -> Cell
    current: tuple | None = None                 # (module, step) the learner is on


@dataclass
class ModuleInfo:
    number: int
    title: str
    steps: list


def curriculum(modules, numbers) -> list[ModuleInfo]:
    """The modules numbered `numbers` with their steps (planned time per exercise), in order."""
    known = {m.number: m for m in modules}
    found = []
    for number in sorted(numbers):
        module = known.get(number)
        if module is None:
            found.append(ModuleInfo(number, "", []))
            continue
        exercises = len(module.exercises) or 1
        per_exercise = module.minutes_exercises * 60 / exercises
        found.append(ModuleInfo(number, module.title, [
            StepInfo(number, s.id, position, s.title or s.id, s.is_exercise,
                     per_exercise if s.is_exercise else None)
            for position, s in enumerate(module.steps, start=1)]))
    return found


def _shown_steps(infos: list[ModuleInfo], events, known_numbers) -> int:
    """Add the steps learners sent that the server's curricula do not have (another version) at
    the end of their module, within bounds (a page stays a page whatever one learner sends):
    `MAX_UNKNOWN_MODULES` modules, `MAX_UNKNOWN_STEPS` steps each. Returns how many were left out."""
    by_number = {m.number: m for m in infos}
    shown = {(s.module, s.id) for m in infos for s in m.steps}
    left_out = set()
    for event in events:
        key = (event.module, event.step)
        if key in shown or key in left_out:
            continue
        module = by_number.get(event.module)
        if module is None and len(by_number) - len(known_numbers) < MAX_UNKNOWN_MODULES:
            module = by_number[event.module] = ModuleInfo(event.module, "", [])
            infos.append(module)
        unknown = sum(1 for s in module.steps if s.planned_seconds is None and s.exercise) if module else 0
        if module is None or unknown >= MAX_UNKNOWN_STEPS:
            left_out.add(key)
            continue
        module.steps.append(StepInfo(event.module, event.step, len(module.steps) + 1, event.step, True, None))
        shown.add(key)
    infos.sort(key=lambda m: m.number)
    return len(left_out)


def room_state(learners, events, modules, now: float):
    """([ModuleInfo], [LearnerState], steps left out) for the room's learners and events (`Room` objects)."""
    known_numbers = {m.number for m in modules} & {e.module for e in events}
    infos = curriculum(modules, known_numbers)
    left_out = _shown_steps(infos, events, known_numbers)
    steps = {(s.module, s.id): s for m in infos for s in m.steps}
    order = {m.number: [s.id for s in m.steps] for m in infos}
    states = {l.id: LearnerState(l.id, l.display, l.heard) for l in learners}
    mine: dict[int, list] = {l.id: [] for l in learners}
    for event in events:
        if (event.module, event.step) in steps:
            mine.setdefault(event.learner, []).append(event)
    for learner_id, own in mine.items():
        state = states.get(learner_id)
        if state is not None:
            _fill(state, own, order)
            for key, cell in state.cells.items():
                _judge(cell, steps[key], now)
    return infos, list(states.values()), left_out


def _fill(state: LearnerState, events, order) -> None:
    marks: dict[int, list[float]] = {}   # module -> times a step was reached from (start, done)
    events = sorted(events, key=lambda e: e.at)  # stable: same second, order of arrival
    for event in events:
        cell = state.cells.setdefault((event.module, event.step), Cell())
        if cell.first_seen is None:
            cell.first_seen = event.at
        if event.kind == "attempt":
            cell.attempts += 1
            cell.wrong += 0 if event.correct else 1
        elif event.kind == "hint":
            cell.hints += 1
        elif event.kind == "solution":
            cell.solution = True
        elif event.kind == "done" and cell.done_at is None:
            cell.done_at = event.at
        if event.kind in ("start", "done"):
            marks.setdefault(event.module, []).append(event.at)
    for (module, _step), cell in state.cells.items():
        before = [t for t in marks.get(module, []) if t <= cell.first_seen and t != cell.done_at]
        cell.reached = max(before) if before else cell.first_seen
    if not events:
        return
    last = events[-1]
    if last.kind != "done":
        state.current = (last.module, last.step)
        return
    steps = order[last.module]
    position = steps.index(last.step)
    following = [s for s in steps[position + 1:] + steps[:position]
                 if not state.cells.get((last.module, s), Cell()).done_at]
    if following:
        state.current = (last.module, following[0])
        cell = state.cells.setdefault(state.current, Cell())
        if cell.first_seen is None:
            cell.reached = last.at


def _judge(cell: Cell, step: StepInfo, now: float) -> None:
    if cell.done_at is not None:
        cell.status = DONE
    elif cell.reached is None:
        cell.status = NOT_STARTED
    elif cell.wrong >= WRONG_TRIES:
        cell.status = STRUGGLING
    elif step.planned_seconds and now - cell.reached > SLOW_FACTOR * step.planned_seconds:
        cell.status, cell.slow = STRUGGLING, True
    else:
        cell.status = IN_PROGRESS


def step_rates(infos, states) -> dict:
    """{(module, step): (done, reached)}: how many learners finished a step among those who reached it."""
    rates = {}
    for module in infos:
        for step in module.steps:
            cells = [s.cells.get((module.number, step.id)) for s in states]
            reached = [c for c in cells if c is not None and c.status != NOT_STARTED]
            rates[(module.number, step.id)] = (sum(1 for c in reached if c.status == DONE), len(reached))
    return rates


def stuck_now(states) -> list[tuple[LearnerState, Cell]]:
    """Learners whose current step is struggling, the longest stuck first."""
    found = [(s, s.cells[s.current]) for s in states
             if s.current is not None and s.cells[s.current].status == STRUGGLING]
    return sorted(found, key=lambda pair: (pair[1].reached, pair[0].name))
