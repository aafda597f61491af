"""One trainee cannot starve the room: a per-client limit on expensive pages, and a fair SQL lane.

Cached pages cost nothing; uncached ones hold a SQL thread and a core. `FairGate` admits them:
- each client address may have `per_client` uncached requests running at once in this process
  (a browser needs one or two); more wait their turn, and past `max_waiting` they get a 429;
- free-form SQL (`?sql=`, `_where=`) is what can take the whole 1.5 s time limit. A client whose
  own queries took more than `heavy_seconds` of SQL in the last `window` seconds is "heavy":
  its next queries run in `sql_slots` lanes (per process), given to the waiting heavy client
  served least recently. Eight trainees looping on slow queries then share one lane per
  process between themselves, while everyone else's queries, even free-form ones, run at once.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import Counter
from contextlib import asynccontextmanager

SQL_PARAMETERS = (b"sql=", b"_where=")


class Busy(Exception):
    """The client has too many requests waiting, or the SQL lanes stayed full too long."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def runs_free_sql(query_string: bytes) -> bool:
    """True when the request carries SQL of the user's own (a custom query or a WHERE clause)."""
    return any(part.startswith(SQL_PARAMETERS) for part in query_string.split(b"&"))


class FairGate:
    def __init__(self, per_client: int = 2, sql_slots: int = 1, max_waiting: int = 16,
                 sql_wait_seconds: float = 30, heavy_seconds: float = 1.0, window: float = 30):
        self.per_client = per_client
        self.sql_slots = sql_slots
        self.max_waiting = max_waiting
        self.sql_wait_seconds = sql_wait_seconds
        self.heavy_seconds = heavy_seconds
        self.window = window
        self._sql_spent: dict[str, list] = {}    # client -> [(finished at, seconds)] in the window
        self._running: Counter = Counter()      # client -> uncached requests running
        self._waiting: Counter = Counter()      # client -> requests waiting for their turn
        self._client_turns: dict[str, asyncio.Condition] = {}
        self._sql_running = 0
        self._sql_queue: list = []              # heap of (last served, arrival, client, future)
        self._last_sql: dict[str, float] = {}
        self._arrivals = itertools.count()

    def is_heavy(self, client: str) -> bool:
        """True when the client's own SQL took more than `heavy_seconds` in the last `window`."""
        spent = self._sql_spent.get(client)
        if not spent:
            return False
        horizon = time.monotonic() - self.window
        spent[:] = [(at, seconds) for at, seconds in spent if at > horizon]
        if not spent:
            del self._sql_spent[client]
            return False
        return sum(seconds for _at, seconds in spent) > self.heavy_seconds

    def _record_sql(self, client: str, started: float) -> None:
        finished = time.monotonic()
        self._sql_spent.setdefault(client, []).append((finished, finished - started))
        if len(self._sql_spent) > 10_000:  # forget long-gone clients
            for gone in [c for c in self._sql_spent if c != client and not self.is_heavy(c)]:
                self._sql_spent.pop(gone, None)

    @asynccontextmanager
    async def admit(self, client: str, free_sql: bool):
        await self._client_slot(client)
        try:
            heavy = free_sql and self.is_heavy(client)
            if heavy:
                await self._sql_slot(client)
            started = time.monotonic()
            try:
                yield
            finally:
                if heavy:
                    self._release_sql()
                if free_sql:
                    self._record_sql(client, started)
        finally:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]
            turn = self._client_turns.get(client)
            if turn is not None:
                async with turn:
                    turn.notify()

    async def _client_slot(self, client: str) -> None:
        if self._running[client] < self.per_client:
            self._running[client] += 1
            return
        if self._waiting[client] >= self.max_waiting:
            raise Busy(429)
        turn = self._client_turns.setdefault(client, asyncio.Condition())
        self._waiting[client] += 1
        try:
            async with turn:
                await turn.wait_for(lambda: self._running[client] < self.per_client)
                self._running[client] += 1
        finally:
            self._waiting[client] -= 1
            if self._waiting[client] <= 0:
                del self._waiting[client]
                self._client_turns.pop(client, None)

    async def _sql_slot(self, client: str) -> None:
        if self._sql_running < self.sql_slots and not self._sql_queue:
            self._grant_sql(client)
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sql_queue, (self._last_sql.get(client, 0.0), next(self._arrivals),
                                         client, future))
        try:
            await asyncio.wait_for(asyncio.shield(future), self.sql_wait_seconds)
        except asyncio.TimeoutError:
            if not future.done():
                future.cancel()  # _next_sql skips it
                raise Busy(503) from None
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release_sql()  # granted while the client went away: give it back
            else:
                future.cancel()
            raise

    def _grant_sql(self, client: str) -> None:
        self._sql_running += 1
        self._last_sql[client] = time.monotonic()

    def _release_sql(self) -> None:
        self._sql_running -= 1
        while self._sql_queue and self._sql_running < self.sql_slots:
            _last, _arrival, client, future = heapq.heappop(self._sql_queue)
            if future.cancelled():
                continue
            self._grant_sql(client)
            future.set_result(None)
        if len(self._last_sql) > 10_000:  # forget long-gone clients
            self._last_sql = dict(sorted(self._last_sql.items(), key=lambda kv: kv[1])[-1000:])
