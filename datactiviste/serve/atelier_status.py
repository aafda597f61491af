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


def _add_unknown_steps(infos: list[ModuleInfo], events) -> None:
    """Steps learners sent that the server's curricula do not have (another version): kept, at the end."""
    by_number = {m.number: m for m in infos}
    known = {(s.module, s.id) for m in infos for s in m.steps}
    for event in events:
        if (event.module, event.step) not in known:
            module = by_number[event.module]
            module.steps.append(StepInfo(event.module, event.step, len(module.steps) + 1, event.step,
                                         True, None))
            known.add((event.module, event.step))


def room_state(learners, events, modules, now: float):
    """([ModuleInfo], [LearnerState]) for the room's learners and events (`Room` objects)."""
    infos = curriculum(modules, {e.module for e in events})
    _add_unknown_steps(infos, events)
    steps = {(s.module, s.id): s for m in infos for s in m.steps}
    order = {m.number: [s.id for s in m.steps] for m in infos}
    states = {l.id: LearnerState(l.id, l.display, l.heard) for l in learners}
    mine: dict[int, list] = {l.id: [] for l in learners}
    for event in events:
        mine.setdefault(event.learner, []).append(event)
    for learner_id, own in mine.items():
        state = states.get(learner_id)
        if state is not None:
            _fill(state, own, order)
            for key, cell in state.cells.items():
                _judge(cell, steps[key], now)
    return infos, list(states.values())


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
