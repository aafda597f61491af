"""Classroom mode guard: one laptop serving a room, strictly read-only and kept responsive.

`ClassroomGuard` wraps Datasette's ASGI app:
- only GET and HEAD reach Datasette (no POST, PUT, PATCH, DELETE: nothing can write);
- Datasette's `/-/` pages are hidden except the static files the pages need (`/-/databases`
  would show file paths, `/-/versions` the Python setup, `/-/actor` cookies);
- successful GET responses are kept in a bounded in-memory cache: 30 trainees doing the same
  exercise request the same pages, and immutable databases never change while serving;
- the cache is keyed on the Host the client used too (Datasette writes absolute links: "next
  page", the JSON `next_url`); hosts that are not this server's were refused before (hosts.py);
  and on whether the client accepts gzip: the app inside compresses (compress.py), so the room's
  browsers share one compressed copy and a client without gzip gets its own plain one;
- identical requests arriving together are computed once: when the trainer says "now open the
  facet by region", 30 requests for one uncached page wait for the first instead of running
  the same query 30 times;
- uncached pages go through `fairness.FairGate`: a per-client limit, and a fair lane for
  free-form SQL, so one trainee (or eight) looping on slow queries cannot starve the room.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict

from datactiviste.serve.compress import accepts_gzip
from datactiviste.serve.fairness import Busy, FairGate, runs_free_sql
from datactiviste.serve.refusals import refuse

ALLOWED_DASH_PREFIXES = ("/-/static/", "/-/static-plugins/", "/-/datactiviste/")
READ_METHODS = {"GET", "HEAD"}


class ResponseCache:
    """An LRU of complete responses, bounded in bytes; thread-safe (uvicorn may use threads)."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_entry_bytes: int = 2 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[bytes, tuple[int, list, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: bytes, status: int, headers: list, body: bytes) -> None:
        if len(body) > self.max_entry_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (status, headers, body)
            self._size += len(body)
            while self._size > self.max_bytes and self._entries:
                _key, (_s, _h, old) = self._entries.popitem(last=False)
                self._size -= len(old)


class ClassroomGuard:
    """ASGI middleware: read-only methods, hidden debug pages, cached responses."""

    def __init__(self, app, translator, cache: ResponseCache | None = None, gate: FairGate | None = None):
        self.app = app
        self.translator = translator
        self.cache = cache if cache is not None else ResponseCache()
        self.gate = gate if gate is not None else FairGate()
        self._in_flight: dict[bytes, asyncio.Future] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        _ = self.translator.gettext
        language = self.translator.language
        path = scope.get("path", "")
        if scope.get("method", "GET") not in READ_METHODS:
            return await refuse(send, scope, 405, _("Classroom mode is read-only: only reading is allowed."),
                                language, [(b"allow", b"GET, HEAD")])
        if path.startswith("/-/") and not path.startswith(ALLOWED_DASH_PREFIXES):
            return await refuse(send, scope, 404, _("This page is not available in classroom mode."), language)
        if _has_cookie(scope):
            # an actor or CSRF cookie may personalise the page: never share it
            return await self._admitted(scope, receive, send, self.app(scope, receive, send))
        host = dict(scope.get("headers", [])).get(b"host", b"").lower()
        key = scope["method"].encode() + (b" gzip " if accepts_gzip(scope) else b" plain ") + host + b" " + \
            path.encode("utf-8", "surrogateescape") + b"?" + scope.get("query_string", b"")
        cached = self.cache.get(key)
        if cached is None and key in self._in_flight:
            await asyncio.shield(self._in_flight[key])  # the same page is being computed: wait
            cached = self.cache.get(key)
        if cached is not None:
            status, headers, body = cached
            await send({"type": "http.response.start", "status": status,
                        "headers": headers + [(b"x-datactiviste-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        done = asyncio.get_running_loop().create_future()
        self._in_flight[key] = done
        try:
            await self._admitted(scope, receive, send, self._compute(key, scope, receive, send))
        finally:
            if self._in_flight.get(key) is done:
                del self._in_flight[key]
            done.set_result(None)

    async def _admitted(self, scope, receive, send, work):
        """Run `work` (a coroutine producing the response) once the fair gate lets this client in."""
        if scope.get("path", "").startswith("/-/"):  # static assets: cheap, never gated
            return await work
        client = (scope.get("client") or ("?", 0))[0]
        _ = self.translator.gettext
        try:
            async with self.gate.admit(client, runs_free_sql(scope.get("query_string", b""))):
                return await work
        except Busy as busy:
            work.close()
            message = (_("Too many pages requested at once from this device: wait for the page to load.")
                       if busy.status == 429 else
                       _("The server is busy with other queries: try again in a moment."))
            await refuse(send, scope, busy.status, message, self.translator.language,
                         [(b"retry-after", b"2")])

    async def _compute(self, key, scope, receive, send):
        captured = {"status": None, "headers": [], "chunks": []}

        async def capture(message):
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["chunks"].append(message.get("body", b""))
                if not message.get("more_body"):
                    if captured["status"] == 200 and not any(
                            name.lower() == b"set-cookie" for name, _v in captured["headers"]):
                        self.cache.put(key, 200, captured["headers"], b"".join(captured["chunks"]))
            await send(message)

        await self.app(scope, receive, capture)


def _has_cookie(scope) -> bool:
    return any(name == b"cookie" for name, _value in scope.get("headers", []))
