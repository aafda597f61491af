"""The live room over the hotspot: the one write the classroom server accepts, and the trainer's pages.

`Atelier` is an ASGI layer placed after `SiteGuard` (own host, no cross-site request) and
before `ClassroomGuard` (which refuses every POST and hides `/-/` pages), in classroom mode
only. It answers the paths under `/-/atelier` itself and passes everything else on:

- `POST /-/atelier/envoi`: a learner joins (room code, display name) or sends events
  (token). JSON only (a cross-site browser form cannot send it without a preflight), 16 KiB
  at most read with a cap, every event checked by `progress.event_problem`, rate-limited per
  address and per token, bounded in learners and events; the served databases are never
  touched (the room lives in its own journal, `atelier_room`);
- `GET /-/atelier[?code=…]`, `/-/atelier/etat.json`, `/-/atelier/export.csv`: the trainer's
  dashboard, its data and its CSV, behind the trainer code (wrong codes rate-limited).
Answers are never cached (`no-store`) and never shared by the classroom cache.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from urllib.parse import parse_qs

from datactiviste.serve import atelier_room
from datactiviste.serve.atelier_room import Room, RoomFull, dumps, parse_time, same_code
from datactiviste.serve.compress import GzipResponses

logger = logging.getLogger(__name__)
PREFIX = "/-/atelier"
SEND_PATH = PREFIX + "/envoi"
STATE_PATH = PREFIX + "/etat.json"
EXPORT_PATH = PREFIX + "/export.csv"
PROTOCOL_VERSION = 1
MAX_BODY_BYTES = 16 * 1024
MAX_EVENTS_PER_POST = 50
POSTS_PER_ADDRESS = 60      # per minute
POSTS_PER_TOKEN = 30        # per minute
WRONG_CODES_PER_ADDRESS = 10  # per minute
MAX_NAME_FIELD = 200        # characters of the raw name before cleaning
NO_STORE = [(b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class Refusal(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


class Disconnected(Exception):
    """The client went away before its whole body arrived: nothing to keep, nobody to answer."""


class Atelier:
    """ASGI middleware: `/-/atelier…` answered here, the rest passed to `app`."""

    def __init__(self, app, room: Room, settings, translator, datasette=None, modules=None):
        self.app = app
        self.room = room
        self.settings = settings
        self.translator = translator
        self.datasette = datasette
        self._modules = modules  # the curricula, loaded on first use (tests may pass their own)

    def modules(self):
        if self._modules is None:
            from datactiviste.lessons.loader import load_modules

            try:
                self._modules = load_modules(self.translator.language)
            except Exception:  # noqa: BLE001 - a broken curriculum must not hide the room: step ids shown
                self._modules = []
        return self._modules

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return await self.app(scope, receive, send)
        _ = self.translator.gettext
        method = scope.get("method", "GET")
        try:
            if path == SEND_PATH:
                if method != "POST":
                    raise Refusal(405, _("Send results with POST (datactiviste lesson join)."))
                return await self._json(send, 200, await self._receive_post(scope, receive))
            if path not in (PREFIX, STATE_PATH, EXPORT_PATH):
                raise Refusal(404, _("This page is not available in classroom mode."))
            if method not in ("GET", "HEAD"):
                raise Refusal(405, _("Classroom mode is read-only: only reading is allowed."))
            # The dashboard weighs ~300 KB for a room of 30: gzipped like the data pages
            return await GzipResponses(lambda scope, _receive, send: self._trainer_page(scope, send, path))(
                scope, receive, send)
        except Refusal as refusal:
            return await self._refuse(scope, send, path, refusal)
        except Disconnected:
            return None
        except sqlite3.OperationalError as error:  # the journal is busy (other workers) or its disk full
            logger.warning(_("Live room: its journal {path} could not be written ({error}).").format(
                path=self.room.path, error=error))
            busy = "locked" in str(error) or "busy" in str(error)
            return await self._refuse(scope, send, path, Refusal(
                503, _("The live room is busy: try again in a moment.") if busy else
                _("The live room cannot write its journal: the trainer's terminal says why."), retry_after=2))
        except Exception as error:  # noqa: BLE001 - a bug must not answer English text nor stop the server
            logger.error(_("Live room: a request to {path} failed ({error}).").format(
                path=path, error=f"{type(error).__name__}: {error}"))
            return await self._refuse(scope, send, path, Refusal(
                500, _("The live room failed on this request: the trainer's terminal says why.")))

    # the learners' endpoint --------------------------------------------------------------------
    async def _receive_post(self, scope, receive) -> dict:
        _ = self.translator.gettext
        client = _client(scope)
        await self._limit("post:" + client, POSTS_PER_ADDRESS,
                          _("Too many sends from this device: wait a minute."))
        headers = dict(scope.get("headers", []))
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type != b"application/json":
            raise Refusal(415, _("Send JSON (Content-Type: application/json)."))
        body = await read_capped(receive, headers, MAX_BODY_BYTES)
        if body is None:
            raise Refusal(413, _("Too much at once: {size} KB at most per send.").format(
                size=MAX_BODY_BYTES // 1024))
        message = self._parse(body)
        if not same_code(message["room"], self.settings.room_code):
            raise Refusal(403, _("Wrong room code: check the code written on the board."))
        token = message.get("learner")
        if token is None:
            return await self._join(message)
        learner = await asyncio.to_thread(self.room.learner_id, token)
        if learner is None:
            raise Refusal(403, _("This learner is not known in this room: join again with "
                                 "datactiviste lesson join."))
        await self._limit("token:" + str(learner), POSTS_PER_TOKEN,
                          _("Too many sends for this learner: wait a minute."))
        accepted, known = await self._add(learner, message["events"], message.get("sent"))
        return {"v": PROTOCOL_VERSION, "accepted": accepted, "known": known}

    def _parse(self, body: bytes) -> dict:
        """The message, checked field by field; a Refusal (400) says which field or event is wrong."""
        from datactiviste.lessons.progress import event_problem

        _ = self.translator.gettext
        try:
            message = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise Refusal(400, _("The body is not valid UTF-8 JSON.")) from None
        if not isinstance(message, dict):
            raise Refusal(400, _("The body must be one JSON object."))
        if message.get("v") != PROTOCOL_VERSION or isinstance(message.get("v"), bool):
            raise Refusal(400, _("Unknown protocol version (v must be {version}): update datactiviste.")
                          .format(version=PROTOCOL_VERSION))
        if not isinstance(message.get("room"), str):
            raise Refusal(400, _("The room code is missing (field room)."))
        if message.get("learner") is not None and not isinstance(message.get("learner"), str):
            raise Refusal(400, _("The field learner must be a text or null."))
        events = message.get("events", [])
        if not isinstance(events, list):
            raise Refusal(400, _("The field events must be a list."))
        if len(events) > MAX_EVENTS_PER_POST:
            raise Refusal(400, _("At most {count} events per send.").format(count=MAX_EVENTS_PER_POST))
        for number, event in enumerate(events, start=1):
            problem = event_problem(event, _)
            if problem:
                raise Refusal(400, _("event {number}: {problem}").format(number=number, problem=problem))
        message["events"] = events
        sent = message.get("sent")
        try:
            message["sent"] = parse_time(sent) if isinstance(sent, str) and len(sent) <= 40 else None
        except ValueError:
            message["sent"] = None
        return message

    async def _join(self, message: dict) -> dict:
        from datactiviste.errors import DatactivisteError
        from datactiviste.lessons.identity import clean_name

        _ = self.translator.gettext
        name = message.get("name")
        if not isinstance(name, str) or len(name) > MAX_NAME_FIELD:
            raise Refusal(400, _("Give a name (your first name and last name, for the trainer)."))
        try:
            name = clean_name(name)
        except DatactivisteError:
            raise Refusal(400, _("Give a name (your first name and last name, for the trainer).")) from None
        try:
            token, display = await asyncio.to_thread(self.room.join, name)
        except RoomFull:
            raise Refusal(503, _("The room is full ({count} learners).").format(
                count=atelier_room.MAX_LEARNERS)) from None
        answer = {"v": PROTOCOL_VERSION, "learner": token, "name": display}
        if message["events"]:
            learner = await asyncio.to_thread(self.room.learner_id, token)
            answer["accepted"], answer["known"] = await self._add(learner, message["events"], message.get("sent"))
        return answer

    async def _add(self, learner: int, events: list, sent: float | None) -> tuple[int, int]:
        _ = self.translator.gettext
        try:
            return await asyncio.to_thread(self.room.add_events, learner, events, sent)
        except RoomFull as full:
            if full.what == "events":
                raise Refusal(503, _("The room holds as many results as it can ({count}): the trainer can "
                                     "start a new one (serve --classroom --new-room).").format(
                                         count=atelier_room.MAX_EVENTS_PER_ROOM)) from None
            raise Refusal(503, _("This learner has sent too many events ({count}).").format(
                count=atelier_room.MAX_EVENTS_PER_LEARNER)) from None

    async def _limit(self, key: str, limit: int, message: str, count: bool = True) -> None:
        wait = await asyncio.to_thread(self.room.hit, key, limit, count)
        if wait is not None:
            raise Refusal(429, message, retry_after=wait)

    # the trainer's pages -----------------------------------------------------------------------
    async def _trainer_page(self, scope, send, path: str):
        from datactiviste.serve import atelier_page, atelier_report

        _ = self.translator.gettext
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), max_num_fields=10)
        given = (query.get("code") or [None])[0]
        if given is None and path == PREFIX:
            return await self._html(send, 200, await atelier_page.code_form(self, scope, ""))
        key = "code:" + _client(scope)
        await self._limit(key, WRONG_CODES_PER_ADDRESS,
                          _("Too many wrong codes from this device: wait a minute."), count=False)
        if not same_code(given, self.settings.trainer_code):
            await asyncio.to_thread(self.room.hit, key, WRONG_CODES_PER_ADDRESS)
            raise Refusal(403, _("Wrong trainer code: it is printed in the terminal where the "
                                 "server was started."))
        snapshot = await asyncio.to_thread(atelier_report.snapshot, self.room, self.modules(),
                                           self.translator)
        if path == STATE_PATH:
            return await self._json(send, 200, snapshot)
        if path == EXPORT_PATH:
            body, filename = atelier_report.csv_export(snapshot, self.translator)
            return await _send(send, 200, body, b"text/csv; charset=utf-8", [
                (b"content-disposition", f'attachment; filename="{filename}"'.encode("ascii"))])
        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
        return await self._html(send, 200, await atelier_page.dashboard(self, scope, snapshot, host))

    # answers -----------------------------------------------------------------------------------
    async def _refuse(self, scope, send, path: str, refusal: Refusal):
        from datactiviste.serve import atelier_page

        extra = [(b"retry-after", str(refusal.retry_after).encode())] if refusal.retry_after else []
        if refusal.status == 405:
            extra.append((b"allow", b"POST" if path == SEND_PATH else b"GET, HEAD"))
        if path == SEND_PATH or path.endswith(".json") or path.endswith(".csv"):
            body = dumps({"v": PROTOCOL_VERSION, "error": refusal.message})
            return await _send(send, refusal.status, body, b"application/json; charset=utf-8", extra)
        page = await atelier_page.refusal_page(self, scope, refusal.message,
                                               show_form=refusal.status == 403)
        return await _send(send, refusal.status, page.encode("utf-8"), b"text/html; charset=utf-8", extra)

    async def _json(self, send, status: int, data: dict):
        return await _send(send, status, dumps(data), b"application/json; charset=utf-8")

    async def _html(self, send, status: int, page: str):
        return await _send(send, status, page.encode("utf-8"), b"text/html; charset=utf-8")


def _client(scope) -> str:
    return str((scope.get("client") or ("?", 0))[0])


async def read_capped(receive, headers: dict, limit: int) -> bytes | None:
    """The request body, or None as soon as it is known to exceed `limit` bytes."""
    declared = headers.get(b"content-length", b"")
    if declared.strip().isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":  # the hotspot dropped mid-send: keep nothing of it
            raise Disconnected()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def _send(send, status: int, body: bytes, content_type: bytes, extra=()):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
                + NO_STORE + list(extra)})
    await send({"type": "http.response.body", "body": body})
