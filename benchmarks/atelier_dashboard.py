#!/usr/bin/env python3
"""Live room: how long the trainer's dashboard data takes to compute as the room grows.

Fills a real journal (atelier_room.Room, SQLite) with L learners of E events each, spread over
the eight modules, then times `atelier_report.snapshot` (what `/-/atelier`, `etat.json` and
`export.csv` compute) twice: the first call reads every row, the next only the new ones; then
the whole dashboard page over HTTP from a real classroom server on 127.0.0.1 (its size too).
The page refreshes every 10 s, so all this must stay well under that.

usage: python benchmarks/atelier_dashboard.py [--rooms 30x300,30x1000,300x300,200x1000]
(200 x 1000 is the room's bound, atelier_room.MAX_EVENTS_PER_ROOM.)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datactiviste.lessons.loader import load_modules  # noqa: E402
from datactiviste.serve.atelier_report import snapshot  # noqa: E402
from datactiviste.serve.atelier_room import Room  # noqa: E402
from datactiviste.serve.translate import Translator  # noqa: E402
from datactiviste.serve.atelier_room import AtelierSettings  # noqa: E402
from tests.atelier_helpers import running, stamp  # noqa: E402
from tests.serve_fixtures import make_project_db  # noqa: E402


def fill(room: Room, modules, learners: int, per_learner: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for number in range(learners):
        token, _name = room.join(f"Apprenant {number}")
        learner = room.learner_id(token)
        events = []
        for k in range(per_learner):
            module = modules[k * len(modules) // per_learner]
            step = module.steps[rng.randrange(len(module.steps))]
            events.append([module.number, step.id, rng.choice(["attempt", "attempt", "hint", "done"]),
                           rng.choice([0, 1]), f"essai {k}", stamp(per_learner - k)])
        for start in range(0, per_learner, 50):  # as posted: 50 events at most per send
            room.add_events(learner, events[start:start + 50])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", default="30x300,30x1000,300x300,200x1000",
                        help="learners x events per learner, comma-separated")
    args = parser.parse_args(argv)
    modules, translator = load_modules("fr"), Translator("fr")
    print("learners  events/learner  fill s  first snapshot s  next snapshot s  page s  page KB")
    for size in args.rooms.split(","):
        learners, per_learner = (int(part) for part in size.lower().split("x"))
        with tempfile.TemporaryDirectory() as folder:
            settings = AtelierSettings.create(Path(folder), "BENCH2", "BENCHMARK2")
            room = Room(settings.journal)
            started = time.perf_counter()
            fill(room, modules, learners, per_learner)
            filled = time.perf_counter()
            snapshot(room, modules, translator)
            first = time.perf_counter()
            snapshot(room, modules, translator)
            second = time.perf_counter()
            room.close()
            with running(make_project_db(Path(folder) / "projet.db"), atelier=settings) as server:
                url = f"{server.server.url}-/atelier?code={settings.trainer_code}"
                with urllib.request.urlopen(url, timeout=60) as response:  # a worker's first read
                    response.read()
                asked = time.perf_counter()
                with urllib.request.urlopen(url, timeout=60) as response:
                    page = response.read()
                answered = time.perf_counter()
        print(f"{learners:8d}  {per_learner:14d}  {filled - started:6.1f}  {first - filled:16.3f}  "
              f"{second - first:15.3f}  {answered - asked:6.3f}  {len(page) // 1024:7d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
