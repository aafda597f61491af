"""The learner's side of the live room: join the trainer's classroom server, queue, re-send.

`lesson join URL CODE` asks the server (`serve --classroom`, endpoint `/-/atelier/envoi`, see
notes/ATELIER.md) for a token and keeps it in the learner's progress file; from then on every
event the session records also goes into the `outbox` table there, and the outbox is flushed
after each lesson command within a short deadline. The hotspot may drop at any moment: an event
leaves the outbox only once the server has acknowledged it (nothing lost) and the server ignores
one it already has (nothing doubled), so re-sending after a failure is always safe.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.lessons.live_http import Address, Answer, Unreachable, WrongAnswer, parse_address, post, printable
from datactiviste.lessons.progress import SENT_DETAIL, Event, ProgressStore, now

PROTOCOL_VERSION = 1
COMMAND_BUDGET = 3.0   # seconds a lesson command may spend sending (never more, never fails it)
SYNC_BUDGET = 10.0     # `lesson sync` and `lesson join`: the learner asked and is waiting
QUIET_AFTER_WAIT = 20.0  # after the network made a command wait, the next ones do not try for this long
MAX_EVENTS = 50        # per post, and the body stays under the server's 16 KiB
MAX_BODY = 16 * 1024
CODE = re.compile(r"[A-Z0-9]{1,32}")
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,200}")
STATE = ("atelier_url", "atelier_room", "atelier_token", "atelier_name", "atelier_problem", "atelier_quiet_until")


@dataclass
class Room:
    """The live room this learner has joined."""
    address: Address
    room: str
    token: str
    name: str


@dataclass
class SendReport:
    """What a flush did: how many events the server now has, how many wait, and why."""
    sent: int
    waiting: int
    problem: str | None = None      # a sentence; None when everything went
    offline: bool = False           # the network (or a busy server): it will go later by itself
    new_problem: bool = False       # a refusal not reported before (reported once, then summed up)
    rejoin: bool = False            # the server does not know her (restarted, another room): join again


def clean_code(code: str) -> str:
    """The room code as the server compares it: capitals, no spaces or dashes."""
    cleaned = re.sub(r"[\s\-]+", "", str(code or "")).upper()
    if not CODE.fullmatch(cleaned):
        raise DatactivisteError(_("A room code is made of letters and digits, as written on the board "
                                  "(e.g. K7P2QX)."))
    return cleaned


def joined_room(store: ProgressStore) -> Room | None:
    url, room, token, name = (store.get_state(key) for key in STATE[:4])
    if not (url and room and token):
        return None
    return Room(parse_address(url), room, token, name or store.name)


def waiting(store: ProgressStore) -> int:
    return store.connection.execute("SELECT count(*) FROM outbox").fetchone()[0]


def queue(store: ProgressStore, event: Event) -> None:
    """Put a just-recorded event in the outbox when this learner is in a live room."""
    if store.get_state("atelier_token"):
        _insert(store, [event])


def _insert(store: ProgressStore, events) -> None:
    store.connection.executemany(
        "INSERT OR IGNORE INTO outbox (module, step, kind, correct, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
        [(e.module, e.step, e.kind, e.correct, e.detail, e.at) for e in events])


def wire_event(row) -> list:
    """An outbox row as the protocol's event [module, step, kind, correct, detail, at]."""
    module, step, kind, correct, detail, at = row
    return [module, step, kind, None if correct is None else int(correct), detail[:SENT_DETAIL], at]


def message(room: str, token: str | None, name: str, events: list) -> dict:
    """The protocol's message; `sent` (this laptop's clock now) lets the server correct for a
    laptop whose clock is wrong when it tells how long ago a step was started."""
    return {"v": PROTOCOL_VERSION, "room": room, "learner": token, "name": name, "events": events, "sent": now()}


def next_batch(store: ProgressStore, room: Room) -> tuple[list[int], list[list]]:
    """The oldest waiting events that fit in one post (≤ 50 events, ≤ 16 KiB)."""
    size = len(json.dumps(message(room.room, room.token, room.name, []), ensure_ascii=False).encode("utf-8"))
    ids, events = [], []
    for row_id, *row in store.connection.execute(
            "SELECT id, module, step, kind, correct, detail, at FROM outbox ORDER BY at, id LIMIT ?", (MAX_EVENTS,)):
        event = wire_event(row)
        size += len(json.dumps(event, ensure_ascii=False).encode("utf-8")) + 1
        if size > MAX_BODY - 256 and events:
            break
        ids.append(row_id)
        events.append(event)
    return ids, events


def join(store: ProgressStore, url: str, code: str, name: str, budget: float = SYNC_BUDGET) -> tuple[Room, bool]:
    """Join the room and queue every event recorded so far (or keep the room already joined with
    the same address, code and name, so typing the command twice does not show her twice to the
    trainer). Returns (room, newly joined)."""
    address, code = parse_address(url), clean_code(code)
    current = joined_room(store)
    if current and (current.address, current.room, store.get_state("atelier_asked_name")) == (address, code, name):
        return current, False
    try:
        answer = post(address, message(code, None, name, []), time.monotonic() + budget)
    except (Unreachable, WrongAnswer) as error:
        hint = _("Check that this computer is on the trainer's Wi-Fi and that the address is the one on the board.")
        raise DatactivisteError(_sentence(str(error)), hint=hint) from None
    token, given = answer.data.get("learner"), answer.data.get("name")
    if answer.status != 200 or not isinstance(token, str) or not TOKEN.fullmatch(token):
        raise DatactivisteError(_refusal(answer, address, joining=True),
                                hint=_("Check the room code on the board and the address."))
    room = Room(address, code, token, printable(given, 100) if isinstance(given, str) and given.strip() else name)
    for key, value in zip(STATE, (address.url, code, token, room.name, None, None), strict=True):
        store.set_state(key, value)
    store.set_state("atelier_asked_name", name)
    store.connection.execute("DELETE FROM outbox")   # what the previous room missed is not this room's
    _insert(store, store.events())
    return room, True


def leave(store: ProgressStore) -> Room | None:
    """Stop sending: forget the room and its queue (the events themselves stay in the progress file)."""
    room = joined_room(store)
    for key in STATE + ("atelier_asked_name",):
        store.set_state(key, None)
    store.connection.execute("DELETE FROM outbox")
    return room


def flush(store: ProgressStore, budget: float = COMMAND_BUDGET, asked: bool = False) -> SendReport | None:
    """Send what waits in the outbox, oldest first, until done or `budget` seconds; None when
    not in a live room. Never raises for the network or the server: the report says it.

    When the network made a command wait the whole budget (a hotspot that accepts and never
    answers), the following commands do not try again for QUIET_AFTER_WAIT seconds, so a learner
    checking three answers in a row waits once, not three times; `asked` (lesson sync) always tries.
    """
    room = joined_room(store)
    if room is None:
        return None
    if not asked and time.time() < float(store.get_state("atelier_quiet_until") or 0):
        return SendReport(0, waiting(store), None, offline=True)
    deadline, sent = time.monotonic() + budget, 0
    while True:
        ids, events = next_batch(store, room)
        if not ids:
            store.set_state("atelier_problem", None)
            store.set_state("atelier_quiet_until", None)
            return SendReport(sent, 0)
        try:
            answer = post(room.address, message(room.room, room.token, room.name, events), deadline)
        except Unreachable as error:
            store.set_state("atelier_quiet_until", time.time() + QUIET_AFTER_WAIT if error.slow else None)
            return SendReport(sent, waiting(store), _sentence(str(error)), offline=True)
        except WrongAnswer as error:
            return _refused(store, sent, _sentence(str(error)), rejoin=True)
        if answer.status == 429:
            return SendReport(sent, waiting(store), _("The trainer's server is busy; it asked to wait a little."),
                              offline=True)
        if answer.status != 200 or not _acknowledges(answer):
            return _refused(store, sent, _refusal(answer, room.address, joining=False), rejoin=answer.status == 403)
        store.connection.executemany("DELETE FROM outbox WHERE id = ?", [(i,) for i in ids])
        store.set_state("atelier_quiet_until", None)
        sent += len(ids)


def _acknowledges(answer: Answer) -> bool:
    counts = [answer.data.get("accepted"), answer.data.get("known")]
    return all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts)


def _refused(store: ProgressStore, sent: int, problem: str, rejoin: bool = False) -> SendReport:
    """A refusal keeps the queue and is reported once (then summed up until it changes)."""
    new = store.get_state("atelier_problem") != problem
    store.set_state("atelier_problem", problem)
    return SendReport(sent, waiting(store), problem, offline=False, new_problem=new, rejoin=rejoin)


def _refusal(answer: Answer, address: Address, joining: bool) -> str:
    """Why the server said no, in the server's words when it gave some."""
    said = answer.server_message()
    if answer.status == 200:
        return _("The server at {url} did not answer like a datactiviste classroom.").format(url=address.url)
    if answer.status == 403 and not joining:
        return _("The trainer's server no longer knows you (it was restarted?): {reason}").format(
            reason=said or _("refused (HTTP 403)."))
    if said:
        return _("The trainer's server refused: {reason}").format(reason=said)
    return _("The trainer's server refused (HTTP {status}).").format(status=answer.status)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
