"""The lesson model: plain data read from the curricula files (validated before it gets here)."""

from __future__ import annotations

from dataclasses import dataclass, field

EXERCISE_KINDS = ("number", "text", "choice", "sql", "do_it")
STEP_KINDS = ("explanation",) + EXERCISE_KINDS


@dataclass
class Step:
    """One screen of a module: an explanation or an exercise (prompt, hints, solution, checker)."""

    id: str
    kind: str
    text: str
    title: str = ""
    hints: list[str] = field(default_factory=list)
    solution: str = ""
    data: dict = field(default_factory=dict)  # the checker's parameters, as written in the file

    @property
    def is_exercise(self) -> bool:
        return self.kind in EXERCISE_KINDS


@dataclass
class Module:
    """A workshop module in one language."""

    number: int
    slug: str
    language: str
    title: str
    summary: str
    minutes_teaching: int
    minutes_exercises: int
    objectives: list[str]
    key_points: list[str]
    facilitator_notes: str
    prerequisites: list[int]
    practice_data: list[str]
    files: list[str]
    steps: list[Step]
    folder: str = ""

    @property
    def exercises(self) -> list[Step]:
        return [s for s in self.steps if s.is_exercise]

    @property
    def minutes(self) -> int:
        return self.minutes_teaching + self.minutes_exercises

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)
