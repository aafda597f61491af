"""Each learner's progress in a small local SQLite file, and its export for a USB stick.

The file lives in `DATACTIVISTE_HOME` (default `~/.datactiviste`) under `progress/NAME.sqlite`,
so it survives changing folders and works on a laptop shared by several trainees (one name
each). Everything that happens is an event (start, attempt, hint, solution shown, step done);
an export is the list of events as JSON, and merging exports is a union of events, so a
trainer's class report and a restore on another laptop give the same counts.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

EXPORT_FORMAT = "datactiviste-progress"
EXPORT_VERSION = 1
EVENT_KINDS = ("start", "attempt", "hint", "solution", "done")
SENT_DETAIL = 200  # characters of an answer the live room keeps and compares (lessons/live.py)

EVENT_COLUMNS = """
    id INTEGER PRIMARY KEY,
    module INTEGER NOT NULL,
    step TEXT NOT NULL,
    kind TEXT NOT NULL,
    correct INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    UNIQUE (module, step, kind, detail, at)
"""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS events ({EVENT_COLUMNS});
-- events not yet acknowledged by the trainer's live room (lessons/live.py); copies, so that a
-- reset before the hotspot comes back loses nothing the trainer should have seen
CREATE TABLE IF NOT EXISTS outbox ({EVENT_COLUMNS});
"""
KEPT_ON_RESET = "key = 'name' OR key LIKE 'atelier\\_%' ESCAPE '\\'"  # who she is, which room she joined


def home() -> Path:
    return Path(os.environ.get("DATACTIVISTE_HOME") or Path.home() / ".datactiviste")


def learner_key(name: str) -> str:
    """A file-system-safe key for a learner's name ('Aïssatou Ndiaye' -> 'aissatou-ndiaye')."""
    from datactiviste.ingest.names import fold

    key = re.sub(r"[^a-z0-9]+", "-", fold(name.strip())).strip("-")
    if not key:
        raise DatactivisteError(_("A learner name needs at least one letter or digit."),
                                hint=_("e.g. --learner \"Aïssatou Ndiaye\""))
    return key


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class Event:
    module: int
    step: str
    kind: str
    correct: int | None
    detail: str
    at: str

    def key(self):
        return (self.module, self.step, self.kind, self.detail, self.at)


class ProgressStore:
    """One learner's progress file."""

    def __init__(self, name: str, folder: Path | None = None):
        self.name = name.strip()
        self.path = (folder or home() / "progress") / f"{learner_key(name)}.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(self.path, isolation_level=None)
        self.connection.executescript(SCHEMA)
        self.set_state("name", self.name)

    def close(self) -> None:
        self.connection.close()

    # state: current module and step
    def get_state(self, key: str, default: str | None = None) -> str | None:
        row = self.connection.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_state(self, key: str, value) -> None:
        self.connection.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, None if value is None else str(value)))

    def record(self, module: int, step: str, kind: str, correct: bool | None = None, detail: str = "",
               at: str | None = None) -> str:
        """Add an event and return its time.

        With `at` (an event from an export) an event the store already has is not added again,
        so merging the same export twice adds nothing. Without `at` it is a new event, always
        added: three identical wrong answers typed within one second are three attempts, the
        second and third getting a time a microsecond later (…:12.000001+00:00), a time that
        then travels with them into exports and to the live room (which compares the first
        SENT_DETAIL characters of an answer).
        """
        detail = detail[:500]
        if at is None:
            at = self._new_time(module, step, kind, detail)
        self.connection.execute(
            "INSERT OR IGNORE INTO events (module, step, kind, correct, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
            (module, step, kind, None if correct is None else int(correct), detail, at))
        return at

    def _new_time(self, module: int, step: str, kind: str, detail: str) -> str:
        """Now, to the second, or the first microsecond after it that no same event has."""
        moment = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        taken = {row[0] for row in self.connection.execute(
            "SELECT at FROM events WHERE module = ? AND step = ? AND kind = ? AND substr(detail, 1, ?) = ? "
            "AND at >= ? AND at < ?", (module, step, kind, SENT_DETAIL, detail[:SENT_DETAIL],
                                       moment.isoformat(), (moment + datetime.timedelta(seconds=1)).isoformat()))}
        while moment.isoformat() in taken:
            moment += datetime.timedelta(microseconds=1)
        return moment.isoformat()

    def events(self, module: int | None = None) -> list[Event]:
        sql = "SELECT module, step, kind, correct, detail, at FROM events"
        params: tuple = ()
        if module is not None:
            sql += " WHERE module = ?"
            params = (module,)
        return [Event(*row) for row in self.connection.execute(sql + " ORDER BY at, id", params)]

    def done_steps(self, module: int) -> set[str]:
        return {row[0] for row in self.connection.execute(
            "SELECT DISTINCT step FROM events WHERE module = ? AND kind = 'done'", (module,))}

    def hints_used(self, module: int, step: str) -> int:
        return self.connection.execute(
            "SELECT count(*) FROM events WHERE module = ? AND step = ? AND kind = 'hint'", (module, step)).fetchone()[0]

    def reset(self, module: int | None = None) -> int:
        if module is None:
            removed = self.connection.execute("DELETE FROM events").rowcount
            self.connection.execute(f"DELETE FROM state WHERE NOT ({KEPT_ON_RESET})")
        else:
            removed = self.connection.execute("DELETE FROM events WHERE module = ?", (module,)).rowcount
            if self.get_state("module") == str(module):
                self.connection.execute("DELETE FROM state WHERE key IN ('module', 'step')")
        return removed

    # export and merge
    def export(self) -> dict:
        return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "learner": self.name,
                "events": [[e.module, e.step, e.kind, e.correct, e.detail, e.at]
                           for e in sorted(self.events(), key=Event.key)]}

    def write_export(self, path: Path) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.export(), ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")
        return path

    def merge(self, exported: dict) -> int:
        """Add the events of an export that this store does not have; returns how many."""
        before = self.connection.execute("SELECT count(*) FROM events").fetchone()[0]
        self.connection.execute("BEGIN")
        for module, step, kind, correct, detail, at in exported["events"]:
            self.record(module, step, kind, None if correct is None else bool(correct), detail, at)
        self.connection.execute("COMMIT")
        return self.connection.execute("SELECT count(*) FROM events").fetchone()[0] - before


def read_export(path: Path) -> dict:
    """A progress export, checked enough to give a clear message on a wrong file."""
    path = Path(path)
    not_ours = dict(hint=_("Learners create it with `datactiviste lesson export-progress`."))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatactivisteError(_("File not found: {path}").format(path=path)) from None
    except UnicodeDecodeError:
        data = None
    except json.JSONDecodeError as error:
        raise DatactivisteError(_("{path}:{line}:{column}: not valid JSON ({error}).").format(
            path=path, line=error.lineno, column=error.colno, error=error.msg), **not_ours) from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("events"), list):
        raise DatactivisteError(_("{path} is not a progress file exported by datactiviste.").format(path=path),
                                **not_ours)
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise DatactivisteError(_("{path}: the version must be a whole number.").format(path=path), **not_ours)
    if version > EXPORT_VERSION:
        raise DatactivisteError(_("{path} comes from a newer datactiviste; update this one.").format(path=path))
    problem = export_problem(data)
    if problem:
        raise DatactivisteError(_("{path}: {problem}").format(path=path, problem=problem), **not_ours)
    return data


MAX_TEXT = {"learner": 200, "step": 200, "detail": 500, "at": 40}
MAX_MODULE = 10_000


def export_problem(data: dict) -> str | None:
    """What makes `data` not a valid export (the schema every event must follow), or None.

    Checked on import, so that a hand-edited or hostile file is refused with the place of its
    mistake instead of being merged and breaking `export-progress` or the class report later.
    """
    learner = data.get("learner")
    if not isinstance(learner, str) or not learner.strip() or len(learner) > MAX_TEXT["learner"]:
        return _("the learner name must be a text of 1 to {limit} characters.").format(limit=MAX_TEXT["learner"])
    for number, event in enumerate(data["events"], start=1):
        problem = event_problem(event)
        if problem:
            return _("event {number}: {problem}").format(number=number, problem=problem)
    return None


def event_problem(event, _=_) -> str | None:
    """What makes `event` not a valid progress event, or None (`_`: the language of the answer;
    the classroom server passes its own, which may differ from the process's)."""
    if not isinstance(event, list) or len(event) != 6:
        return _("an event is a list of 6 values [module, step, kind, correct, detail, at].")
    module, step, kind, correct, detail, at = event
    if not isinstance(module, int) or isinstance(module, bool) or not 0 <= module <= MAX_MODULE:
        return _("the module must be a whole number from 0 to {limit}.").format(limit=MAX_MODULE)
    for field, value in (("step", step), ("detail", detail), ("at", at)):
        if not isinstance(value, str) or len(value) > MAX_TEXT[field]:
            return _("{field} must be a text of at most {limit} characters.").format(
                field=field, limit=MAX_TEXT[field])
    if not step:
        return _("step must not be empty.")
    if kind not in EVENT_KINDS:
        return _("the kind must be one of: {kinds}.").format(kinds=", ".join(EVENT_KINDS))
    if correct not in (None, 0, 1) or isinstance(correct, float):
        return _("correct must be true, false or null.")
    try:
        datetime.datetime.fromisoformat(at)
    except ValueError:
        return _("at must be a date and time like 2026-03-05T10:00:00+00:00.")
    return None


_event_problem = event_problem  # the former private name


def events_of(exported: dict) -> list[Event]:
    return [Event(*row) for row in exported["events"]]
