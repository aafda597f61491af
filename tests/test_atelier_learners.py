"""Three learners in a live room over a hotspot that drops, against a real `serve --classroom`.

The classroom server is the real one (its own process, 2 workers, tests/security_servers.py);
each learner has her own DATACTIVISTE_HOME, her own folder and her own hotspot
(tests/atelier_network.py: a relay from her own address that can refuse, black-hole or lose the
server's answers), and runs the real `datactiviste lesson` commands. They join, check answers,
lose the network, check more (kept, one line said, the check's exit code unchanged), the network
comes back, they re-send: the server's room (its journal and etat.json) then holds exactly each
learner's local events, none lost, none twice. Then the trainer's server itself stops and
comes back on another port the same day: the queued results still arrive, once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from datactiviste.lessons.loader import get_module
from tests.atelier_network import Hotspot
from tests.security_servers import start_server
from tests.serve_fixtures import make_project_db

ROOM = "Q4ZR8M"
TRAINER = "TRAINER789"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    folder = tmp_path_factory.mktemp("room")
    patch = pytest.MonkeyPatch()
    patch.setenv("DATACTIVISTE_HOME", str(folder / "server-home"))
    patch.setenv("DATACTIVISTE_ATELIER_ROOM_CODE", ROOM)
    patch.setenv("DATACTIVISTE_ATELIER_TRAINER_CODE", TRAINER)
    try:
        server = start_server(make_project_db(folder / "projet.db"), "classroom", folder / "server.log")
    finally:
        patch.undo()
    server.home = folder / "server-home"
    yield server
    log = server.stop()
    assert "Traceback" not in log, log[-3000:]


class Learner:
    """One trainee: her laptop's DATACTIVISTE_HOME, her working folder, her hotspot."""

    def __init__(self, name: str, root: Path, server, number: int):
        self.name = name
        self.home = root / "home"
        self.folder = root / "travail"
        self.folder.mkdir(parents=True)
        self.hotspot = Hotspot(("127.0.0.1", server.port), source=f"127.0.3.{number}")

    @property
    def url(self) -> str:
        return self.hotspot.url

    def run(self, *args):
        from datactiviste.cli import cli
        from datactiviste.i18n import translate_click

        translate_click()
        before = os.getcwd()
        os.chdir(self.folder)
        try:
            return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False,
                                      env={"DATACTIVISTE_HOME": str(self.home), "DATACTIVISTE_LEARNER": None})
        finally:
            os.chdir(before)

    def _query(self, sql: str) -> list[tuple]:
        [path] = (self.home / "progress").glob("*.sqlite")
        connection = sqlite3.connect(path)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def events(self) -> list[tuple]:
        """Her local events as the room keeps them (an attempt's answer cut at 200 characters)."""
        return sorted((m, s, k, c, d[:200] if k == "attempt" else d, at) for m, s, k, c, d, at in
                      self._query("SELECT module, step, kind, correct, detail, at FROM events"))

    def waiting(self) -> int:
        return self._query("SELECT count(*) FROM outbox")[0][0]


@pytest.fixture
def learners(classroom, tmp_path, monkeypatch):
    monkeypatch.delenv("DATACTIVISTE_LEARNER", raising=False)
    people = [Learner(name, tmp_path / f"laptop-{n}", classroom, n)
              for n, name in enumerate(["Awa Diop", "Moussa Ba", "Fatou Sall"], start=1)]
    yield people
    for learner in people:
        learner.hotspot.close()


def room_events(server, name: str) -> list[tuple]:
    """What the room's journal holds for the learner shown as `name`."""
    [journal] = (server.home / "atelier").glob(f"*_{ROOM}.sqlite")
    connection = sqlite3.connect(journal)
    try:
        return sorted(connection.execute(
            "SELECT e.module, e.step, e.kind, e.correct, e.detail, e.at FROM events e "
            "JOIN learners l ON l.id = e.learner WHERE l.display = ?", (name,)))
    finally:
        connection.close()


def dashboard(server) -> dict:
    response = server.request(f"/-/atelier/etat.json?code={TRAINER}")
    assert response.status == 200, response.body
    return {learner["name"]: learner for learner in json.loads(response.body)["learners"]}


def assert_room_matches(server, learners) -> None:
    """Nothing lost, nothing twice: the journal is each learner's events, and the dashboard counts
    her attempts and her done steps exactly as her own progress file does."""
    shown = dashboard(server)
    for learner in learners:
        local = learner.events()
        assert room_events(server, learner.name) == local, learner.name
        assert learner.waiting() == 0, learner.name
        cells = {(c["module"], c["step"]): c for c in shown[learner.name]["cells"]}
        for module, step in {(e[0], e[1]) for e in local}:
            attempts = sum(1 for e in local if e[:3] == (module, step, "attempt"))
            done = any(e[:3] == (module, step, "done") for e in local)
            assert cells[(module, step)]["attempts"] == attempts, (learner.name, step)
            assert (cells[(module, step)]["status"] == "done") == done, (learner.name, step)


def test_three_learners_lose_the_hotspot_and_nothing_is_lost_or_doubled(classroom, learners):
    awa, moussa, fatou = learners
    module = get_module(2, "fr")
    separator, dates = (str(module.step(s).data["answer"]) for s in ("separateur", "dates"))
    wrong_separator = "1" if separator != "1" else "2"
    wrong_dates = "1" if dates != "1" else "2"

    # Awa starts before joining: what she did is sent when she joins
    assert awa.run("lesson", "start", "2", "--name", "Awa Diop").exit_code == 0
    assert awa.run("lesson", "check").exit_code == 0
    joined = awa.run("lesson", "join", awa.url, ROOM.lower()[:3] + "-" + ROOM.lower()[3:])
    assert joined.exit_code == 0, joined.output
    assert f"Vous avez rejoint la salle {ROOM} sur {awa.url} sous le nom Awa Diop." in joined.output
    assert "Envoyés : 2 nouveaux résultats pour le formateur." in joined.output
    for learner in (moussa, fatou):
        result = learner.run("lesson", "join", learner.url, ROOM, "--name", learner.name)
        assert result.exit_code == 0, result.output
        assert "Rien à envoyer" in result.output
        assert learner.run("lesson", "start", "2").exit_code == 0
        assert learner.run("lesson", "check").exit_code == 0
    for learner in learners:
        wrong = learner.run("lesson", "check", wrong_separator)
        assert wrong.exit_code == 1 and "gardé" not in wrong.output
        assert learner.run("lesson", "hint").exit_code == 0
        assert learner.run("lesson", "check", separator).exit_code == 0
    assert_room_matches(classroom, learners)
    assert set(dashboard(classroom)) >= {"Awa Diop", "Moussa Ba", "Fatou Sall"}

    # the hotspot drops, three ways
    awa.hotspot.refuse()          # gone: connection refused
    moussa.hotspot.blackhole()    # a weak signal: nothing answers
    fatou.hotspot.lose_answers()  # her posts arrive, the answers are lost on the way back
    right = awa.run("lesson", "check", dates)
    assert right.exit_code == 0 and "Juste" in right.output
    assert ("Résultats gardés, ils seront envoyés au formateur quand le réseau reviendra (2 en attente)."
            in right.output)
    began = time.monotonic()
    wrong = moussa.run("lesson", "check", wrong_dates)
    assert time.monotonic() - began < 8   # cut at the 3 s deadline
    assert wrong.exit_code == 1   # a wrong answer stays a wrong answer, network or not
    assert "Résultat gardé, il sera envoyé au formateur quand le réseau reviendra (1 en attente)." in wrong.output
    lost = fatou.run("lesson", "check", dates)
    assert lost.exit_code == 0 and "quand le réseau reviendra (2 en attente)" in lost.output
    hint = awa.run("lesson", "hint")   # any command that records something: kept too
    assert hint.exit_code == 0 and "(3 en attente)" in hint.output, hint.output
    where = awa.run("lesson", "join")
    assert "Vous êtes dans la salle" in where.output and "attendent d'être envoyés" in where.output
    sync = moussa.run("lesson", "sync")
    assert sync.exit_code == 1 and "n'a pas répondu à temps" in sync.output
    shown = dashboard(classroom)
    cells = {name: {c["step"]: c for c in row["cells"]} for name, row in shown.items()}
    assert cells["Awa Diop"].get("dates", {}).get("status") != "done"   # not arrived
    assert cells["Fatou Sall"]["dates"]["status"] == "done"              # arrived, answer lost

    # the hotspot comes back: the next command (or lesson sync) sends what waited
    for learner in learners:
        learner.hotspot.up()
    synced = awa.run("lesson", "sync")
    assert synced.exit_code == 0 and "nouveaux résultats pour le formateur" in synced.output
    again = moussa.run("lesson", "check", dates)   # his network made him wait: no new try for 20 s...
    assert again.exit_code == 0 and "quand le réseau reviendra (3 en attente)" in again.output, again.output
    synced = moussa.run("lesson", "sync")           # ...unless he asks
    assert synced.exit_code == 0 and "3 nouveaux résultats pour le formateur" in synced.output, synced.output
    resent = fatou.run("lesson", "sync")
    assert resent.exit_code == 0, resent.output
    assert_room_matches(classroom, learners)


def test_the_trainers_laptop_restarts_and_the_queued_results_still_arrive(tmp_path, monkeypatch):
    """The server process itself stops (laptop closed, Ctrl-C) and comes back on another port the
    same day: the learners' hotspots point to it again, their tokens still count, their queues
    arrive once."""
    monkeypatch.delenv("DATACTIVISTE_LEARNER", raising=False)
    database = make_project_db(tmp_path / "projet.db")
    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "server-home"))
    monkeypatch.setenv("DATACTIVISTE_ATELIER_ROOM_CODE", ROOM)
    monkeypatch.setenv("DATACTIVISTE_ATELIER_TRAINER_CODE", TRAINER)
    server = start_server(database, "classroom", tmp_path / "server-1.log")
    server.home = tmp_path / "server-home"
    people = [Learner(name, tmp_path / f"laptop-{n}", server, n)
              for n, name in enumerate(["Aminata Kane", "Ibrahima Sow"], start=1)]
    try:
        for learner in people:
            assert learner.run("lesson", "join", learner.url, ROOM, "--name", learner.name).exit_code == 0
            assert learner.run("lesson", "start", "1").exit_code == 0
        assert_room_matches(server, people)

        log = server.stop()
        assert "Traceback" not in log
        for learner in people:
            kept = learner.run("lesson", "check")
            assert kept.exit_code == 0 and "quand le réseau reviendra" in kept.output, kept.output
            assert learner.waiting() > 0

        monkeypatch.delenv("DATACTIVISTE_ATELIER_ROOM_CODE")   # codes not given: today's room continues
        monkeypatch.delenv("DATACTIVISTE_ATELIER_TRAINER_CODE")
        server = start_server(database, "classroom", tmp_path / "server-2.log")
        server.home = tmp_path / "server-home"
        for learner in people:
            learner.hotspot.target = ("127.0.0.1", server.port)   # the laptop came back on another port
            synced = learner.run("lesson", "sync")
            assert synced.exit_code == 0, synced.output
        assert_room_matches(server, people)
    finally:
        log = server.stop()
        for learner in people:
            learner.hotspot.close()
    assert "Traceback" not in log


def test_three_identical_wrong_answers_in_a_row_make_her_struggling(classroom, tmp_path, monkeypatch):
    """The same wrong choice typed three times within a second or two: three attempts in the room,
    so the dashboard shows her struggling on that step (3 wrong tries), not one attempt."""
    monkeypatch.delenv("DATACTIVISTE_LEARNER", raising=False)
    ndeye = Learner("Ndèye Faye", tmp_path / "laptop-4", classroom, 4)
    try:
        assert ndeye.run("lesson", "start", "2", "--name", ndeye.name).exit_code == 0
        assert ndeye.run("lesson", "join", ndeye.url, ROOM).exit_code == 0
        assert ndeye.run("lesson", "check").exit_code == 0
        answer = str(get_module(2, "fr").step("separateur").data["answer"])
        wrong = "1" if answer != "1" else "2"
        for _try in range(3):
            assert ndeye.run("lesson", "check", wrong).exit_code == 1
        assert [e[:5] for e in ndeye.events() if e[2] == "attempt"] == [(2, "separateur", "attempt", 0, wrong)] * 3
        assert_room_matches(classroom, [ndeye])
        cell = {c["step"]: c for c in dashboard(classroom)[ndeye.name]["cells"]}["separateur"]
        assert (cell["attempts"], cell["wrong"], cell["status"]) == (3, 3, "struggling")
    finally:
        ndeye.hotspot.close()
