"""The live room of a real `serve --classroom` (2 worker processes) on 127.0.0.1, shared by the
server-side tests (test_atelier_server.py: the write endpoint) and the trainer's pages
(test_atelier_dashboard.py): the module-scoped `room` fixture and raw-HTTP learner helpers."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from tests.security_servers import start_server
from tests.serve_fixtures import make_project_db

ROOM = "K7P2QX"
TRAINER = "TRAINER234"
HOSTILE = '=HYPERLINK("http://evil.example","clic")'


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    folder = tmp_path_factory.mktemp("atelier")
    database = make_project_db(folder / "projet.db")
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    patch = pytest.MonkeyPatch()
    patch.setenv("DATACTIVISTE_HOME", str(folder / "home"))
    patch.setenv("DATACTIVISTE_ATELIER_ROOM_CODE", ROOM)
    patch.setenv("DATACTIVISTE_ATELIER_TRAINER_CODE", TRAINER)
    try:
        server = start_server(database, "classroom", folder / "server.log")
    finally:
        patch.undo()
    server.home = folder / "home"
    server.before = before
    yield server
    log = server.stop()
    assert "Traceback" not in log, log[-3000:]


def post(server, body, source="127.0.0.1", content_type="application/json", headers=None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    response = server.request("/-/atelier/envoi", method="POST", body=data, source=source,
                              headers={"Content-Type": content_type, **(headers or {})})
    try:
        response.json = json.loads(response.body)
    except ValueError:
        response.json = None
    return response


def join(server, name, source="127.0.0.1", events=()):
    response = post(server, {"v": 1, "room": ROOM, "learner": None, "name": name, "events": list(events)},
                    source=source)
    assert response.status == 200, response.body
    return response.json["learner"], response.json["name"]


def send(server, token, events, source="127.0.0.1", **extra):
    return post(server, {"v": 1, "room": ROOM, "learner": token, "events": events, **extra}, source=source)


def state(server, source="127.0.0.1"):
    response = server.request(f"/-/atelier/etat.json?code={TRAINER.lower()}", source=source)
    assert response.status == 200, response.body
    return json.loads(response.body)


def learner_row(data, name):
    return next(learner for learner in data["learners"] if learner["name"] == name)


def cell(data, name, module, step):
    return next((c for c in learner_row(data, name)["cells"] if (c["module"], c["step"]) == (module, step)),
                {"status": "not started"})


def outside_the_minute_boundary():
    """Rate limits count per clock minute: start a burst early in a minute, so it stays in one."""
    while time.time() % 60 > 40:
        time.sleep(0.5)
