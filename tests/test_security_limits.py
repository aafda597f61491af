"""The server's last lines of defence on their own: the response byte cap and the fair gate.

Driven as uvicorn drives them (ASGI messages) around small real ASGI apps, so each rule is
shown at its edge: a body just over the cap, a stream cut mid-way, a heavy client queued while
a light one walks in.
"""

from __future__ import annotations

import asyncio
import json

from datactiviste.serve.fairness import FairGate, runs_free_sql
from datactiviste.serve.responsecap import ResponseCap
from datactiviste.serve.translate import Translator

SCOPE = {"type": "http", "method": "GET", "path": "/projet.json", "query_string": b"", "headers": []}


def app_sending(parts: list[bytes], headers=()):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
        for number, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": number < len(parts) - 1})
    return app


def run(app, scope=SCOPE) -> tuple[list[int], bytes]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    statuses = [m["status"] for m in sent if m["type"] == "http.response.start"]
    return statuses, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_body_over_the_cap_is_replaced_by_a_clear_error():
    capped = ResponseCap(app_sending([b"x" * 1001]), 1000, Translator("fr"))
    statuses, body = run(capped)
    assert statuses == [400] and "trop grosse" in json.loads(body)["error"]
    assert run(ResponseCap(app_sending([b"x" * 1000]), 1000, Translator("fr"))) == ([200], b"x" * 1000)


def test_a_stream_over_the_cap_is_cut_with_a_last_line_saying_why():
    stream = ResponseCap(app_sending([b"a" * 600, b"b" * 600, b"c" * 600]), 1000, Translator("en"))
    statuses, body = run(stream)
    assert statuses == [200] and body.startswith(b"a" * 600) and b"c" * 600 not in body
    assert b"too big for the server" in body


def test_files_streamed_from_disk_announce_their_size_and_pass():
    sized = ResponseCap(app_sending([b"x" * 800] * 3, headers=[(b"content-length", b"2400")]), 1000,
                        Translator("fr"))
    assert run(sized) == ([200], b"x" * 2400)


def test_free_sql_is_recognised_in_the_query_string():
    assert runs_free_sql(b"sql=select+1") and runs_free_sql(b"_size=5&_where=x%3D1")
    assert not runs_free_sql(b"_sort=montant&region=Dakar") and not runs_free_sql(b"_sql_note=1")


def test_heavy_clients_queue_for_the_lane_while_light_ones_walk_in():
    async def scenario():
        gate = FairGate(per_client=2, sql_slots=1, heavy_seconds=0.05, window=30)
        order: list[str] = []

        async def query(client, seconds):
            async with gate.admit(client, free_sql=True):
                order.append(f"{client} start")
                await asyncio.sleep(seconds)
                order.append(f"{client} end")

        await asyncio.gather(query("heavy-1", 0.1), query("heavy-2", 0.1))  # both now heavy
        assert gate.is_heavy("heavy-1") and gate.is_heavy("heavy-2")
        order.clear()
        await asyncio.gather(query("heavy-1", 0.2), query("heavy-2", 0.2), query("light", 0.01))
        return order

    order = asyncio.run(scenario())
    # one heavy query at a time in the lane; the light client did not wait for either
    assert order.index("light end") < order.index("heavy-1 end")
    assert order.index("heavy-1 end") < order.index("heavy-2 start")


def test_a_client_past_its_limit_waits_its_turn_then_gets_429_past_the_queue():
    from datactiviste.serve.fairness import Busy

    async def scenario():
        gate = FairGate(per_client=1, max_waiting=1)
        release = asyncio.Event()
        results = []

        async def page(name):
            try:
                async with gate.admit("trainee", free_sql=False):
                    results.append(f"{name} in")
                    await release.wait()
            except Busy as busy:
                results.append(f"{name} {busy.status}")

        tasks = [asyncio.create_task(page(n)) for n in ("first", "second", "third")]
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(*tasks)
        return results

    assert asyncio.run(scenario()) == ["first in", "third 429", "second in"]
