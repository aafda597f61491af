#!/usr/bin/env python3
"""Classroom load: 30 trainees browsing one laptop's `datactiviste serve --classroom` at once.

Builds a 100k-row French budget table (indexed the way `serve.indexes.prepare_for_serving`
does), starts the classroom server in a separate process on 127.0.0.1 (the real app: our
plugin, immutable database, ClassroomGuard with its cache), then runs N clients, each with
its own keep-alive connection like a browser, back to back with no think time (a stress
test: real trainees pause between clicks). Each client repeats one exercise: table page,
facet, filter + facet, sort, GROUP BY query, a random row, a filtered sort, a JSON page.

Reports requests/s, p50/p95/p99 latency (overall and per page kind), errors, cache hits and
the server's memory (RSS) at start and end. Budget (DESIGN.md): p95 < 300 ms, zero errors.

With --atelier (the default in classroom mode) each trainee also runs the live room's learner
side while browsing, as `datactiviste lesson` does beside her browser: she joins once, then
posts `lesson check` results to /-/atelier/envoi about every --post-every seconds (a new
connection each time, the message built by lessons.live), and the trainer's dashboard data
(etat.json) is read every 10 s. As the CLI is a process of its own, these run in a second
client process (from the same per-trainee addresses), so their timings do not include waiting
behind the browsing clients' event loop. Their latencies are reported apart ("atelier"), with
the same budget, and the room's journal must hold exactly the events the server acknowledged.

usage: python benchmarks/classroom_load.py [--rows 100000] [--clients 30] [--duration 60]
                                          [--think SECONDS] [--slow-clients 8] [--baseline]
                                          [--published --workers N] [--json results.json]
                                          [--no-atelier] [--post-every SECONDS]
(--published: the same load on a `datactiviste publish` folder's entrypoint, --workers 1 or 2;
--baseline: the same load on plain `datasette serve -i`, for comparison on the same machine;
--slow-clients N: N of the clients instead loop on their own queries that run until the 1.5 s
time limit cuts them, the issue-12 scenario: the budget then applies to the others.)
Each client connects from its own loopback address (127.0.0.N, like trainees' own devices),
so the server's per-client limits see 30 clients, not one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from processes import tree_rss_mib  # noqa: E402

REGIONS = ["Dakar", "Thiès", "Saint-Louis", "Ziguinchor", "Kaolack", "Louga", "Fatick", "Kolda",
           "Matam", "Tambacounda", "Kaffrine", "Kédougou", "Sédhiou", "Diourbel"]
POSTES = ["Santé", "Éducation", "Voirie", "Eau potable", "Assainissement", "Éclairage public",
          "Marchés", "État civil"]


def build_database(path: Path, rows: int, seed: int = 1) -> None:
    from datactiviste import project
    from datactiviste.serve.indexes import prepare_for_serving

    rng = random.Random(seed)
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE depenses (id INTEGER PRIMARY KEY, code_commune TEXT, commune TEXT, region TEXT, "
        "poste TEXT, fournisseur TEXT, montant REAL, quantite INTEGER, date_paiement TEXT, "
        "statut TEXT, latitude REAL, longitude REAL)")
    connection.executemany(
        "INSERT INTO depenses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((i, f"{rng.randint(1, 14):02d}{rng.randint(1, 40):03d}", f"Commune {rng.randint(1, 550)}",
          rng.choice(REGIONS), rng.choice(POSTES), f"Fournisseur {rng.randint(1, 3000)}",
          round(rng.uniform(1000, 50_000_000), 2), rng.randint(1, 500),
          f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
          rng.choice(["payé", "engagé", "annulé"]), round(rng.uniform(12.3, 16.7), 5),
          round(rng.uniform(-17.5, -11.4), 5)) for i in range(1, rows + 1)))
    project.ensure_schema(connection)
    connection.execute(
        "INSERT INTO _sources (table_name, file_name, imported_at, encoding, delimiter, rows_read, "
        "rows_written, columns) VALUES ('depenses', 'depenses_2024.csv', '2024-05-02T09:00:00', "
        "'cp1252', ';', ?, ?, '[]')", (rows, rows))
    connection.commit()
    indexed = prepare_for_serving(connection, "depenses")
    connection.commit()
    connection.close()
    print(f"indexed columns: {', '.join(indexed)}", file=sys.stderr)


def serve_only(database: str, port_file: str) -> None:
    """The server process: the classroom app exactly as `datactiviste serve --classroom` builds it."""
    if os.environ.get("BENCH_BASELINE"):
        # plain `datasette serve -i bench.db`: no plugin, no cache, one process, default settings
        import uvicorn
        from datasette.app import Datasette

        from datactiviste.serve.server import bind_socket

        sock = bind_socket("127.0.0.1", 0)
        Path(port_file).write_text(str(sock.getsockname()[1]))
        app = Datasette(immutables=[database]).app()
        uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])
        return
    if os.environ.get("BENCH_PUBLISHED"):
        # `datactiviste publish` folder, run by its own entrypoint.sh (uvicorn, WORKERS processes)
        import socket

        from datactiviste.publish.folder import PublishOptions, publish

        folder = Path(database).parent / "published"
        publish([database], folder, PublishOptions(language="fr"), wheels=False)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        Path(port_file).write_text(str(port))
        environment = dict(os.environ, HOST="127.0.0.1", PORT=str(port),
                           WORKERS=os.environ.get("BENCH_WORKERS") or "1",
                           PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
        os.execve(str(folder / "entrypoint.sh"), [str(folder / "entrypoint.sh")], environment)
    from datactiviste.serve.launch import default_workers, prepare, warm_up_in_background

    workers = int(os.environ.get("BENCH_WORKERS") or default_workers())
    prepared = prepare([database], classroom=True, language="fr", host="127.0.0.1", port=0,
                       workers=workers)
    warm_up = warm_up_in_background(prepared)  # as `datactiviste serve --classroom` does

    def ready_when_warm():
        warm_up.join()
        Path(port_file).write_text(str(prepared.server.port))

    import threading

    threading.Thread(target=ready_when_warm, daemon=True).start()
    prepared.server.run()


def exercise(rng: random.Random, rows: int) -> list[tuple[str, str]]:
    """One trainee's pass through the exercise: (page kind, path)."""
    region, poste = rng.choice(REGIONS), rng.choice(POSTES)
    group_by = quote("select region, count(*) as n, sum(montant) as total from depenses "
                     "group by region order by total desc")
    return [
        ("table", "/bench/depenses"),
        ("facet", "/bench/depenses?_facet=region"),
        ("filter+facet", f"/bench/depenses?region={quote(region)}&_facet=poste"),
        ("sort", "/bench/depenses?_sort_desc=montant"),
        ("sql", f"/bench?sql={group_by}"),
        ("row", f"/bench/depenses/{rng.randint(1, rows)}"),
        ("filter+sort", f"/bench/depenses?region={quote(region)}&poste={quote(poste)}&_sort=date_paiement"),
        ("json", f"/bench/depenses.json?_size=50&region={quote(region)}"),
    ]


def client_address(seed: int) -> str:
    """A loopback address of its own for each simulated trainee (Linux routes all of 127/8)."""
    return f"127.0.{1 + seed // 250}.{1 + seed % 250}" if sys.platform.startswith("linux") else "127.0.0.1"


def slow_query(rng: random.Random) -> str:
    """A query of one's own that runs until the time limit stops it (never cached, never shared)."""
    return "/bench?sql=" + quote("with recursive r(i) as (select 1 union all select i + 1 from r) "
                                 f"select count(*) from r where i = {rng.randint(1, 10**12)}")


async def slow_client(base: str, deadline: float, seed: int, results: list) -> None:
    import httpx

    rng = random.Random(seed)
    transport = httpx.AsyncHTTPTransport(local_address=client_address(seed))
    async with httpx.AsyncClient(base_url=base, timeout=60, transport=transport) as http:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status = (await http.get(slow_query(rng))).status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            results.append(("slow", time.perf_counter() - started, status, False))


async def client(base: str, deadline: float, seed: int, results: list, rows: int, think: float = 0) -> None:
    import httpx

    rng = random.Random(seed)
    transport = httpx.AsyncHTTPTransport(local_address=client_address(seed))
    async with httpx.AsyncClient(base_url=base, timeout=30, transport=transport) as http:
        for asset in ("/-/static/app.css", "/-/datactiviste/serve.css", "/-/datactiviste/table-fr.js",
                      "/-/static/table.js"):
            await http.get(asset)  # a browser's first visit; then they come from its cache
        while time.monotonic() < deadline:
            for kind, path in exercise(rng, rows):
                if time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                try:
                    response = await http.get(path)
                    status, hit = response.status_code, response.headers.get("x-datactiviste-cache") == "hit"
                except httpx.HTTPError as error:
                    status, hit = f"{type(error).__name__}", False
                results.append((kind, time.perf_counter() - started, status, hit))
                if think:
                    await asyncio.sleep(rng.uniform(think / 2, think * 1.5))


ROOM_CODE, TRAINER_CODE = "BENCH2", "BENCHTRAIN"


def check_results(rng: random.Random, state: dict) -> list[list]:
    """What one `lesson check` records: an attempt, and `done` when it is right (then the next step)."""
    from datactiviste.lessons.progress import now

    module, steps = state["module"], state["steps"]
    step = steps[state["position"] % len(steps)]
    right = rng.random() < 0.4
    at = now()
    events = [[module, step, "attempt", int(right), f"SELECT count(*) FROM t{rng.randint(1, 10**6)}", at]]
    if right:
        events.append([module, step, "done", None, "", at])
        state["position"] += 1
    return events


async def learner_side(base: str, deadline: float, seed: int, results: list, every: float, acknowledged: list) -> None:
    """The trainee's `datactiviste lesson` beside her browser: join, then a check result now and then."""
    import httpx

    from datactiviste.lessons.live import message
    from datactiviste.lessons.loader import load_modules

    rng = random.Random(10_000 + seed)
    module = rng.choice(load_modules("fr"))
    state = {"module": module.number, "steps": [s.id for s in module.steps], "position": 0}
    name = f"Stagiaire {seed + 1}"
    transport = httpx.AsyncHTTPTransport(local_address=client_address(seed))
    headers = {"Content-Type": "application/json", "Connection": "close"}   # as the CLI: one connection per post
    async with httpx.AsyncClient(base_url=base, timeout=30, transport=transport, headers=headers) as http:
        token = None
        await asyncio.sleep(rng.uniform(0, every))
        while time.monotonic() < deadline:
            events = check_results(rng, state) if token else []
            started = time.perf_counter()
            try:
                response = await http.post("/-/atelier/envoi", content=json.dumps(
                    message(ROOM_CODE, token, name, events), ensure_ascii=False).encode("utf-8"))
                status = response.status_code
                if status == 200 and token is None:
                    token = response.json()["learner"]
                elif status == 200:
                    acknowledged.append(response.json()["accepted"])
            except httpx.HTTPError as error:
                status = type(error).__name__
            results.append(("atelier join" if not events else "atelier post", time.perf_counter() - started,
                            status, False))
            await asyncio.sleep(rng.uniform(every / 2, every * 1.5))


async def trainer_side(base: str, deadline: float, results: list) -> None:
    """The trainer's dashboard refreshing itself every 10 s (its data: etat.json)."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status = (await http.get(f"/-/atelier/etat.json?code={TRAINER_CODE}")).status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            results.append(("atelier dashboard", time.perf_counter() - started, status, False))
            await asyncio.sleep(10)


def atelier_side(base: str, out: Path, first: int, last: int, duration: float, every: float) -> None:
    """The second client process: trainees' `lesson` commands and the trainer's dashboard."""
    results: list = []
    acknowledged: list = []

    async def run_all():
        end = time.monotonic() + duration
        await asyncio.gather(trainer_side(base, end, results),
                             *(learner_side(base, end, seed, results, every, acknowledged)
                               for seed in range(first, last)))

    asyncio.run(run_all())
    out.write_text(json.dumps({"results": results, "acknowledged": sum(acknowledged)}), encoding="utf-8")


def journal_events(home: Path) -> int | None:
    """Events the room's journal holds (what the server acknowledged must all be there, once)."""
    journals = list((home / "atelier").glob(f"*_{ROOM_CODE}.sqlite"))
    if not journals:
        return None
    connection = sqlite3.connect(journals[0])
    try:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        connection.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summarise(results: list, duration: float) -> dict:
    def stats(items):
        times = [t * 1000 for _k, t, _s, _h in items]
        if not times:
            return {"requests": 0}
        return {"requests": len(items), "p50_ms": round(percentile(times, 50), 1),
                "p95_ms": round(percentile(times, 95), 1), "p99_ms": round(percentile(times, 99), 1),
                "max_ms": round(max(times), 1), "mean_ms": round(statistics.fmean(times), 1)}

    slow = [r for r in results if r[0] == "slow"]
    atelier = [r for r in results if r[0].startswith("atelier")]
    results = [r for r in results if r[0] != "slow" and not r[0].startswith("atelier")]
    errors = [r for r in results if r[2] != 200]
    summary = {"requests_per_s": round(len(results) / duration, 1), **stats(results),
               "errors": len(errors), "error_samples": sorted({str(r[2]) for r in errors})[:5],
               "cache_hit_rate": round(sum(1 for r in results if r[3]) / max(1, len(results)), 3),
               "by_kind": {}}
    for kind in sorted({r[0] for r in results}):
        summary["by_kind"][kind] = stats([r for r in results if r[0] == kind])
    for key, items in (("atelier", [r for r in atelier if r[0] != "atelier dashboard"]),
                       ("atelier_dashboard", [r for r in atelier if r[0] == "atelier dashboard"])):
        if items:  # the learners' posts (the budget), the trainer's dashboard: apart from the pages
            failed = [r for r in items if r[2] != 200]
            summary[key] = {**stats(items), "errors": len(failed),
                            "error_samples": sorted({str(r[2]) for r in failed})[:5], "by_kind": {
                                kind: stats([r for r in items if r[0] == kind])
                                for kind in sorted({r[0] for r in items})}}
    if slow:  # cut by the time limit (400) or made to wait their turn: counted apart
        summary["slow_clients"] = {**stats(slow), "statuses": {str(k): sum(1 for r in slow if r[2] == k)
                                                               for k in sorted({r[2] for r in slow}, key=str)}}
    return summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, default=0,
                        help="mean pause between clicks in seconds (0: back to back, a stress test)")
    parser.add_argument("--workers", type=int, help="server processes (default: as `serve --classroom`)")
    parser.add_argument("--slow-clients", type=int, default=0,
                        help="how many of the clients loop on slow queries of their own (the rest browse)")
    parser.add_argument("--baseline", action="store_true",
                        help="serve with plain Datasette (no plugin, cache, workers or classroom settings)")
    parser.add_argument("--published", action="store_true",
                        help="serve a `datactiviste publish` folder with its entrypoint (--workers N)")
    parser.add_argument("--atelier", action=argparse.BooleanOptionalAction, default=None,
                        help="trainees also post lesson check results to the live room (default: on, "
                             "except with --baseline or --published, which have no live room)")
    parser.add_argument("--post-every", type=float, default=3,
                        help="mean seconds between one trainee's posts to the live room (real ones: ~60)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--serve", nargs=2, metavar=("DB", "PORT_FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--atelier-side", nargs=4, metavar=("BASE", "OUT", "FIRST", "LAST"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve_only(*args.serve)
        return 0
    if args.atelier_side:
        base, out, first, last = args.atelier_side
        atelier_side(base, Path(out), int(first), int(last), args.duration, args.post_every)
        return 0
    if args.atelier is None:
        args.atelier = not (args.baseline or args.published)

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.db"
        started = time.perf_counter()
        build_database(database, args.rows)
        print(f"built {args.rows:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        port_file = Path(folder) / "port"
        home = Path(folder) / "home"   # the live room's journal goes there, not into ~/.datactiviste
        environment = dict(os.environ, BENCH_WORKERS=str(args.workers or ""), DATACTIVISTE_HOME=str(home),
                           DATACTIVISTE_ATELIER_ROOM_CODE=ROOM_CODE, DATACTIVISTE_ATELIER_TRAINER_CODE=TRAINER_CODE,
                           BENCH_BASELINE="1" if args.baseline else "",
                           BENCH_PUBLISHED="1" if args.published else "")
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(database), str(port_file)],
                                  env=environment)
        try:
            deadline = time.monotonic() + 60
            while not port_file.exists() or not port_file.read_text():
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
            base = f"http://127.0.0.1:{port_file.read_text()}"
            import httpx

            for _ in range(100):  # wait until it answers
                try:
                    httpx.get(base + "/-/static/app.css", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            memory_start = tree_rss_mib(server.pid)
            results: list = []
            acknowledged: list = []   # events the live room accepted, post by post
            memory_samples: list = []   # (seconds since start, MiB): the page cache must level off
            began = time.monotonic()

            async def sample_memory(end: float) -> None:
                while time.monotonic() < end:
                    await asyncio.sleep(min(args.duration / 12, end - time.monotonic()))
                    memory = tree_rss_mib(server.pid)
                    memory_samples.append((round(time.monotonic() - began), memory and round(memory)))

            async def run_all():
                end = time.monotonic() + args.duration
                browsing = range(args.slow_clients, args.clients)
                await asyncio.gather(sample_memory(end),
                                     *(slow_client(base, end, seed, results) for seed in range(args.slow_clients)),
                                     *(client(base, end, seed, results, args.rows, args.think) for seed in browsing))

            live_out = Path(folder) / "atelier.json"
            live = subprocess.Popen([sys.executable, __file__, "--atelier-side", base, str(live_out),
                                     str(args.slow_clients), str(args.clients), "--duration", str(args.duration),
                                     "--post-every", str(args.post_every)]) if args.atelier else None
            asyncio.run(run_all())
            elapsed = time.monotonic() - began
            if live is not None:
                live.wait(timeout=args.duration + 120)
                side = json.loads(live_out.read_text(encoding="utf-8"))
                results += [tuple(r) for r in side["results"]]
                acknowledged.append(side["acknowledged"])
            memory_end = tree_rss_mib(server.pid)
            in_journal = journal_events(home) if args.atelier else None
        finally:
            server.terminate()
            server.wait(timeout=20)

    summary = summarise(results, elapsed)
    summary.update({"rows": args.rows, "clients": args.clients, "duration_s": round(elapsed, 1),
                    "server_rss_mib_start": memory_start and round(memory_start, 1),
                    "server_rss_mib_end": memory_end and round(memory_end, 1),
                    "server_rss_mib_over_time": memory_samples,
                    "cpu_count": os.cpu_count(), "think_time_s": args.think,
                    "server_workers": args.workers or "default", "baseline": args.baseline,
                    "published": args.published,
                    "slow_clients_count": args.slow_clients,
                    "atelier_enabled": args.atelier, "atelier_post_every_s": args.post_every,
                    "atelier_events_acknowledged": sum(acknowledged) if args.atelier else None,
                    "atelier_events_in_journal": in_journal,
                    "load_average_after": os.getloadavg()[0] if hasattr(os, "getloadavg") else None})
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    budget_ok = summary["p95_ms"] < 300 and summary["errors"] == 0
    if args.atelier:
        room = summary.get("atelier", {})
        room_ok = (room.get("requests") and room["p95_ms"] < 300 and room["errors"] == 0
                   and summary["atelier_events_acknowledged"] == in_journal)
        print(("within" if room_ok else "OVER") + " budget for the live room (learners' joins and posts: p95 < 300 ms, "
              "zero errors, the journal holds every acknowledged event)", file=sys.stderr)
    print(("within" if budget_ok else "OVER") + " budget (p95 < 300 ms, zero errors"
          + (f", for the {args.clients - args.slow_clients} clients not running slow queries)" if args.slow_clients
             else ")"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
