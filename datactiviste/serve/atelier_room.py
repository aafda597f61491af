"""The live room's memory: learners, their events and the rate counters, in one small SQLite journal.

A classroom server runs several worker processes sharing one socket, so a learner's post may
reach one process and the trainer's page another: the journal under
`DATACTIVISTE_HOME/atelier/` (one file per serve run, named by date, time and room code) is
the room all of them share (WAL mode, short transactions). It is also what the trainer can
export after a crash. It is never one of the served databases.

Tokens are kept as their SHA-256 only; a learner's clock may be wrong, so each learner's
offset to the server's clock is estimated from his posts (`Learner.skew`) and event times
are read through it.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L look-alikes
ROOM_CODE_LENGTH = 6
TRAINER_CODE_LENGTH = 10
ROOM_CODE_VARIABLE = "DATACTIVISTE_ATELIER_ROOM_CODE"
TRAINER_CODE_VARIABLE = "DATACTIVISTE_ATELIER_TRAINER_CODE"
MAX_LEARNERS = 300
MAX_EVENTS_PER_LEARNER = 20_000
MAX_EVENTS_PER_ROOM = 200_000   # a two-day workshop of 30 is ~30,000; each worker keeps them (~25 MB)
MAX_ATTEMPT_DETAIL = 200
OLDEST = 30 * 24 * 3600  # seconds: how far before its arrival an event's time may be read

SCHEMA = """
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS learners (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    display TEXT NOT NULL,
    joined REAL NOT NULL,
    heard REAL NOT NULL,
    skew REAL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    learner INTEGER NOT NULL REFERENCES learners (id),
    module INTEGER NOT NULL,
    step TEXT NOT NULL,
    kind TEXT NOT NULL,
    correct INTEGER,
    detail TEXT NOT NULL,
    at TEXT NOT NULL,
    at_seconds REAL NOT NULL,   -- `at` read once (seconds since the epoch, the learner's clock)
    received REAL NOT NULL,
    UNIQUE (learner, module, step, kind, detail, at)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);  -- the room's codes, to continue it
CREATE TABLE IF NOT EXISTS hits (
    key TEXT NOT NULL,
    minute INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, minute)
);
"""


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normal_code(text) -> str:
    """What a person typed, read as a code: case, spaces and dashes do not matter."""
    return "".join(str(text or "").split()).replace("-", "").upper()


def same_code(given, expected: str) -> bool:
    """Constant-time comparison of a typed code with the real one."""
    return hmac.compare_digest(normal_code(given).encode("utf-8"), expected.encode("utf-8"))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class AtelierSettings:
    """The two codes and the journal of one serve run (shared by its worker processes).

    A classroom server restarted the same day (a crash, a lunch break) continues that day's
    latest room: same codes (the one on the board stays right), same learners, and their queued
    results arrive. `resume=False` (serve --new-room) or codes given make a new room.
    """

    room_code: str
    trainer_code: str
    journal: Path
    resumed: bool = False

    @classmethod
    def create(cls, home: Path | None = None, room_code: str | None = None,
               trainer_code: str | None = None, resume: bool = False) -> "AtelierSettings":
        """Today's room to continue (with `resume`), else new random codes (or the ones given /
        in the environment) and a new journal's path."""
        from datactiviste.lessons.progress import home as datactiviste_home

        folder = Path(home or datactiviste_home()) / "atelier"
        room = normal_code(room_code or os.environ.get(ROOM_CODE_VARIABLE))
        trainer = normal_code(trainer_code or os.environ.get(TRAINER_CODE_VARIABLE))
        if resume and not (room or trainer):
            found = todays_room(folder)
            if found is not None:
                return found
        room, trainer = room or new_code(ROOM_CODE_LENGTH), trainer or new_code(TRAINER_CODE_LENGTH)
        stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H%M%S")
        return cls(room, trainer, folder / f"{stamp}_{room}.sqlite")

    def to_json(self) -> dict:
        return dict(asdict(self), journal=str(self.journal))

    @classmethod
    def from_json(cls, data: dict) -> "AtelierSettings":
        return cls(data["room_code"], data["trainer_code"], Path(data["journal"]), bool(data.get("resumed")))


def todays_room(folder: Path) -> AtelierSettings | None:
    """The latest journal of today in `folder` whose codes can be read, as settings to continue."""
    from datactiviste.serve.sqlite_uri import readonly_uri

    today = datetime.datetime.now().strftime("%Y-%m-%d_")
    try:
        journals = sorted(folder.glob(today + "*.sqlite"), reverse=True)
    except OSError:
        return None
    for journal in journals:
        try:
            connection = sqlite3.connect(readonly_uri(journal), uri=True)
            try:
                codes = dict(connection.execute("SELECT key, value FROM meta"))
            finally:
                connection.close()
        except sqlite3.Error:
            continue
        room, trainer = codes.get("room_code", ""), codes.get("trainer_code", "")
        if len(room) == ROOM_CODE_LENGTH and len(trainer) >= TRAINER_CODE_LENGTH:
            return AtelierSettings(room, trainer, journal, resumed=True)
    return None


@dataclass
class Learner:
    id: int
    name: str
    display: str
    joined: float
    heard: float
    skew: float | None  # server time minus learner clock, in seconds (None: no event yet)


@dataclass
class RoomEvent:
    learner: int
    module: int
    step: str
    kind: str
    correct: int | None
    at: float       # the learner's clock, read through his skew (server seconds)
    received: float


class RoomFull(Exception):
    """A bound of the room is reached: `what` is "learners", "learner" (her events) or "events"."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def parse_time(text: str) -> float:
    """Seconds since the epoch for an ISO date-time (a time without zone is UTC)."""
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


class Room:
    """One process's handle on the journal; every method is one short transaction."""

    def __init__(self, journal: Path, clock=time.time):
        self.path = Path(journal)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self._lock = threading.Lock()
        self.connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                          timeout=10)
        self.connection.executescript(SCHEMA)
        self.connection.execute("PRAGMA synchronous = NORMAL")
        self._seen: list[tuple] = []  # the event rows read so far, by id (see `events`)

    def close(self) -> None:
        self.connection.close()

    def remember(self, settings: AtelierSettings) -> None:
        """Keep the room's codes in its journal, so a restart the same day continues the room."""
        with self._lock:
            self.connection.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", [
                ("room_code", settings.room_code), ("trainer_code", settings.trainer_code),
                ("started", str(self.clock()))])

    def _transaction(self, work):
        with self._lock:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                result = work(self.connection)
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            self.connection.execute("COMMIT")
            return result

    # rate limits -----------------------------------------------------------------------------
    def hit(self, key: str, limit: int, count: bool = True) -> int | None:
        """Count one request for `key` in the current minute; seconds to wait when over `limit`.

        With `count` False only look (a wrong code is counted after it is seen to be wrong).
        """
        now = self.clock()
        minute = int(now // 60)

        def work(connection):
            connection.execute("DELETE FROM hits WHERE minute < ?", (minute,))
            row = connection.execute("SELECT count FROM hits WHERE key = ? AND minute = ?",
                                     (key, minute)).fetchone()
            used = row[0] if row else 0
            if used >= limit:
                return max(1, int((minute + 1) * 60 - now + 0.999))
            if count:
                connection.execute("INSERT INTO hits VALUES (?, ?, 1) ON CONFLICT (key, minute) "
                                   "DO UPDATE SET count = count + 1", (key, minute))
            return None

        return self._transaction(work)

    # learners --------------------------------------------------------------------------------
    def join(self, name: str) -> tuple[str, str]:
        """(token, display name) of a new learner; the same name again gets « Name (2) »."""
        token = secrets.token_urlsafe(16)
        now = self.clock()

        def work(connection):
            if connection.execute("SELECT count(*) FROM learners").fetchone()[0] >= MAX_LEARNERS:
                raise RoomFull("learners")
            same = [row[0] for row in connection.execute("SELECT name FROM learners")
                    if row[0].casefold() == name.casefold()]
            display = f"{name} ({len(same) + 1})" if same else name
            connection.execute("INSERT INTO learners (token_hash, name, display, joined, heard) "
                               "VALUES (?, ?, ?, ?, ?)", (token_hash(token), name, display, now, now))
            return display

        return token, self._transaction(work)

    def learner_id(self, token) -> int | None:
        if not isinstance(token, str) or not token or len(token) > 100:
            return None
        with self._lock:
            row = self.connection.execute("SELECT id FROM learners WHERE token_hash = ?",
                                          (token_hash(token),)).fetchone()
        return row[0] if row else None

    def add_events(self, learner: int, events: list, sent: float | None = None) -> tuple[int, int]:
        """(accepted, already known) for events valid per `progress.event_problem`.

        `sent`: the learner's clock when he sent them, when he says it (else his latest event's
        time): the smallest `received - sent` seen is his clock's offset.
        """
        now = self.clock()
        rows = [(learner, module, step, kind, None if correct is None else int(correct),
                 detail[:MAX_ATTEMPT_DETAIL] if kind == "attempt" else detail, at, parse_time(at), now)
                for module, step, kind, correct, detail, at in events]

        def work(connection):
            stored = connection.execute("SELECT count(*) FROM events WHERE learner = ?", (learner,)).fetchone()[0]
            total = connection.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]  # never deleted
            before = connection.total_changes
            connection.executemany(
                "INSERT OR IGNORE INTO events (learner, module, step, kind, correct, detail, at, at_seconds, "
                "received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            accepted = connection.total_changes - before
            if stored + accepted > MAX_EVENTS_PER_LEARNER:
                raise RoomFull("learner")
            if total + accepted > MAX_EVENTS_PER_ROOM:
                raise RoomFull("events")
            skew = None
            if sent is not None:
                skew = now - sent
            elif rows:
                skew = now - max(row[7] for row in rows)
            connection.execute("UPDATE learners SET heard = ?, skew = CASE WHEN ? IS NULL THEN skew "
                               "WHEN skew IS NULL OR ? < skew THEN ? ELSE skew END WHERE id = ?",
                               (now, skew, skew, skew, learner))
            return accepted

        accepted = self._transaction(work)
        return accepted, len(rows) - accepted

    # reading ---------------------------------------------------------------------------------
    def learners(self) -> list[Learner]:
        with self._lock:
            rows = self.connection.execute(
                "SELECT id, name, display, joined, heard, skew FROM learners ORDER BY id").fetchall()
        return sorted((Learner(*row) for row in rows), key=lambda learner: (learner.display.casefold(), learner.id))

    def events(self) -> list[RoomEvent]:
        """Every event, its time read on the server's clock (learner time + that learner's skew).

        This process keeps the rows it has read and asks the journal only for newer ones (the
        other workers add to it too); the skews are read each time, as they may have changed.
        """
        with self._lock:
            self._seen += [(row[0], row[1], row[2], sys.intern(row[3]), sys.intern(row[4])) + row[5:]
                           for row in self.connection.execute(
                               "SELECT id, learner, module, step, kind, correct, at_seconds, received FROM events "
                               "WHERE id > ? ORDER BY id", (self._seen[-1][0] if self._seen else 0,))]
            skews = dict(self.connection.execute("SELECT id, coalesce(skew, 0) FROM learners"))
            seen = list(self._seen)
        # never after it arrived, nor more than OLDEST before (a laptop clock set to 1601 or 9999)
        return [RoomEvent(learner, module, step, kind, correct,
                          min(max(at + skews.get(learner, 0.0), received - OLDEST), received), received)
                for _id, learner, module, step, kind, correct, at, received in seen]

    def summary(self) -> dict:
        """Counts for the terminal and the tests."""
        with self._lock:
            learners = self.connection.execute("SELECT count(*) FROM learners").fetchone()[0]
            events = self.connection.execute("SELECT count(*) FROM events").fetchone()[0]
        return {"learners": learners, "events": events, "journal": str(self.path)}


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
