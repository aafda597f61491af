"""The learner's side of the live room against addresses that are wrong and servers that lie.

Real sockets on 127.0.0.1 (tests/atelier_network.py): a server answering a huge body, a
redirect, a 403 page, HTML, an answer dripped byte by byte, a fake token; a hotspot that
accepts and never answers. Each time: a clear French message, `lesson check` keeps its own exit
code and is not held up beyond the deadline, nothing queued is dropped.
"""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from datactiviste.lessons import live
from datactiviste.lessons.loader import get_module
from datactiviste.lessons.progress import ProgressStore
from tests.atelier_network import Hotspot, WrongServer


@pytest.fixture
def learner(tmp_path, monkeypatch):
    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DATACTIVISTE_LEARNER", "Awa Diop")
    return tmp_path / "home"


@pytest.fixture
def server():
    wrong = WrongServer()
    yield wrong
    wrong.close()


def _outbox(home) -> list[tuple]:
    connection = sqlite3.connect(home / "progress" / "awa-diop.sqlite")
    try:
        return connection.execute("SELECT module, step, kind, correct, detail, at FROM outbox").fetchall()
    finally:
        connection.close()


def _local_events(home) -> set[tuple]:
    connection = sqlite3.connect(home / "progress" / "awa-diop.sqlite")
    try:
        return set(connection.execute("SELECT module, step, kind, correct, detail, at FROM events"))
    finally:
        connection.close()


def _sent_events(server) -> list[tuple]:
    return [tuple(e) for payload in server.payloads() for e in payload["events"]]


@pytest.mark.parametrize("address, expected", [
    ("https://192.168.43.1:8001", "parle http://, pas https://"),
    ("ftp://192.168.43.1", "Seules les adresses http://"),
    ("http://awa:secret@192.168.43.1:8001", "ni nom d'utilisateur ni mot de passe"),
    ("http://192.168.43.1:99999", "Ce n'est pas une adresse de serveur"),
    ("http://", "Ce n'est pas une adresse de serveur"),
])
def test_join_takes_only_a_plain_http_address(run_cli, learner, address, expected):
    result = run_cli("lesson", "join", address, "K7P2QX")
    assert result.exit_code == 2
    assert expected in result.output and "lesson join http://192.168.43.1:8001 K7P2QX" in result.output
    assert "Traceback" not in result.output


def test_join_needs_the_code_and_checks_its_letters(run_cli, learner, server):
    missing = run_cli("lesson", "join", server.url)
    assert missing.exit_code == 2 and "code de la salle" in missing.output
    wrong = run_cli("lesson", "join", server.url, "K7P2QX !")
    assert wrong.exit_code == 2 and "lettres et de chiffres" in wrong.output
    assert server.requests == []   # refused before any network


@pytest.mark.parametrize("mode, expected", [
    ("huge", "réponse bien trop longue"),
    ("forbidden-html", "ne répond pas comme une salle datactiviste (HTTP 403)"),
    ("html", "ne répond pas comme une salle datactiviste (HTTP 200)"),
    ("fake-token", "ne répond pas comme une salle datactiviste"),
    ("forbidden-json", "Code faux : regardez le tableau."),
])
def test_join_against_a_wrong_server_says_what_is_wrong(run_cli, learner, server, mode, expected):
    server.mode = mode
    result = run_cli("lesson", "join", server.url, "K7P2QX")
    assert result.exit_code == 2, result.output
    assert expected in result.output, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output   # no terminal codes from the server
    assert "Traceback" not in result.output and "Error" not in result.output
    assert run_cli("lesson", "join").output.startswith("Vous n'êtes dans aucune salle en direct.")


def test_a_redirect_is_not_followed(run_cli, learner, server):
    elsewhere = WrongServer()
    try:
        server.mode = "redirect"
        result = run_cli("lesson", "join", server.url, "K7P2QX")
        assert result.exit_code == 2
        assert "redirection (HTTP 302" in result.output and "n'est pas suivie" in result.output
        assert "\x1b" not in result.output
        assert len(server.requests) == 1 and elsewhere.requests == []
    finally:
        elsewhere.close()


def test_join_then_a_server_turning_hostile_never_changes_check_and_drops_nothing(run_cli, learner, server):
    joined = run_cli("lesson", "join", server.url, "k7p2-qx", "--name", "Awa Diop")
    assert joined.exit_code == 0, joined.output
    assert f"Vous avez rejoint la salle K7P2QX sur {server.url} sous le nom Awa Diop." in joined.output
    assert server.payloads()[0]["learner"] is None and server.payloads()[0]["room"] == "K7P2QX"
    assert run_cli("lesson", "start", "2").exit_code == 0
    assert run_cli("lesson", "check").exit_code == 0   # the explanation
    assert _outbox(learner) == []   # all acknowledged

    server.mode = "forbidden-json"
    separator = str(get_module(2, "fr").step("separateur").data["answer"])
    wrong = "1" if separator != "1" else "2"
    first = run_cli("lesson", "check", wrong)
    assert first.exit_code == 1   # the answer was wrong: that stays the answer's exit code
    assert "Code faux : regardez le tableau." in first.output and "\x1b" not in first.output
    assert "1 résultat gardé pour le formateur, pas envoyé" in first.output
    second = run_cli("lesson", "check", separator)
    assert second.exit_code == 0 and "Juste" in second.output
    assert "Code faux" not in second.output   # a refusal is reported once...
    assert "3 résultats gardés pour le formateur, pas envoyés" in second.output   # ...then summed up
    sync = run_cli("lesson", "sync")
    assert sync.exit_code == 1 and "Code faux" in sync.output and "lesson join URL CODE" in sync.output
    assert len(_outbox(learner)) == 3

    server.mode = "join-ok"
    sync = run_cli("lesson", "sync")
    assert sync.exit_code == 0 and "3 nouveaux résultats pour le formateur" in sync.output, sync.output
    assert _outbox(learner) == []
    assert sorted(server.acknowledged) == sorted(_local_events(learner))   # nothing lost, nothing twice


def test_a_busy_server_keeps_results_for_later(run_cli, learner, server):
    assert run_cli("lesson", "join", server.url, "K7P2QX").exit_code == 0
    server.mode = "busy"
    started = run_cli("lesson", "start", "1")
    assert started.exit_code == 0
    assert "Résultat gardé, il sera envoyé au formateur quand le réseau reviendra (1 en attente)." in started.output
    assert "Trop d'envois" not in started.output   # busy is not a refusal: one line, no alarm
    sync = run_cli("lesson", "sync")
    assert sync.exit_code == 1 and "occupé" in sync.output


@pytest.mark.parametrize("how", ["drip", "blackhole"])
def test_a_server_that_never_finishes_does_not_hold_check(run_cli, learner, server, how):
    hotspot = Hotspot(("127.0.0.1", server.port))
    try:
        assert run_cli("lesson", "join", hotspot.url, "K7P2QX").exit_code == 0
        assert run_cli("lesson", "start", "2").exit_code == 0
        if how == "drip":
            server.mode = "drip"       # one byte every 0.25 s for 10 s
        else:
            hotspot.blackhole()        # accepts, never reads, never answers
        began = time.monotonic()
        result = run_cli("lesson", "check")
        elapsed = time.monotonic() - began
        assert result.exit_code == 0 and "Lu." in result.output   # the explanation step, read
        assert "quand le réseau reviendra (1 en attente)" in result.output, result.output
        assert elapsed < 8, elapsed    # cut at the 3 s deadline, not after the 10 s drip (or never)
        tried = hotspot.connections
        hint = run_cli("lesson", "hint")   # right after: it does not make her wait again
        assert hint.exit_code == 0 and "quand le réseau reviendra (2 en attente)" in hint.output
        assert hotspot.connections == tried
        sync = run_cli("lesson", "sync")   # asked: it tries
        assert sync.exit_code == 1 and "n'a pas répondu à temps" in sync.output
        assert hotspot.connections == tried + 1
    finally:
        hotspot.close()


def test_join_twice_is_one_learner_and_leave_stops_sending(run_cli, learner, server):
    assert run_cli("lesson", "start", "1").exit_code == 0   # before joining: sent at join
    assert run_cli("lesson", "join", server.url, "K7P2QX").exit_code == 0
    again = run_cli("lesson", "join", server.url, "K7P2QX")
    assert again.exit_code == 0 and "Vous êtes déjà dans la salle K7P2QX" in again.output
    joins = [p for p in server.payloads() if p["learner"] is None]
    assert len(joins) == 1   # the trainer does not see her twice
    assert sorted(server.acknowledged) == sorted(_local_events(learner))
    where = run_cli("lesson", "join")
    assert f"Vous êtes dans la salle K7P2QX sur {server.url} sous le nom Awa Diop." in where.output
    assert "Rien n'attend" in where.output

    assert run_cli("lesson", "reset", "--yes").exit_code == 0
    assert "Vous êtes dans la salle K7P2QX" in run_cli("lesson", "join").output   # reset keeps the room
    left = run_cli("lesson", "join", "--leave")
    assert left.exit_code == 0 and f"Vous avez quitté la salle en direct sur {server.url}." in left.output
    posts = len(server.requests)
    assert run_cli("lesson", "start", "1").exit_code == 0
    assert len(server.requests) == posts and _outbox(learner) == []


def test_posts_stay_within_the_protocols_bounds(learner, server):
    """120 long answers in accented letters: every post ≤ 50 events and ≤ 16 KiB, all sent."""
    store = ProgressStore("Awa Diop")
    try:
        live.join(store, server.url, "K7P2QX", "Awa Diop")
        for number in range(120):
            event = live.Event(3, "requete", "attempt", 0, f"SELECT « é » {number} " + "é" * 480,
                               f"2026-12-02T09:{number // 60:02d}:{number % 60:02d}+00:00")
            store.record(event.module, event.step, event.kind, False, event.detail, event.at)
            live.queue(store, event)
        report = live.flush(store, budget=10)
        assert report.waiting == 0 and report.sent == 120
    finally:
        store.close()
    bodies = [body for _m, _p, body in server.requests[1:]]
    assert len(bodies) >= 3
    assert all(len(body) <= 16 * 1024 and len(json.loads(body)["events"]) <= 50 for body in bodies)
    sent = _sent_events(server)
    assert len(sent) == 120 and all(len(e[4]) == 200 for e in sent)   # the server keeps 200 characters


def test_the_kept_line_in_english_uses_plural_forms(run_cli, learner):
    server = WrongServer()
    assert run_cli("--lang", "en", "lesson", "join", server.url, "K7P2QX").exit_code == 0
    server.close()   # the hotspot is gone
    result = run_cli("--lang", "en", "lesson", "start", "2")
    assert result.exit_code == 0
    assert "Result kept; it will be sent to the trainer when the network is back (1 waiting)." in result.output
    result = run_cli("--lang", "en", "lesson", "check")
    assert "Results kept; they will be sent to the trainer when the network is back (2 waiting)." in result.output
    sync = run_cli("--lang", "en", "lesson", "sync")
    assert sync.exit_code == 1 and f"{server.url} does not answer (connection refused)" in sync.output


def test_progress_brought_on_a_usb_stick_reaches_the_room_too(run_cli, learner, server, tmp_path):
    assert run_cli("lesson", "join", server.url, "K7P2QX").exit_code == 0
    other_laptop = {"format": "datactiviste-progress", "version": 1, "learner": "Awa Diop", "events": [
        [3, "select", "start", None, "", "2026-12-01T09:00:00+00:00"],
        [3, "select", "attempt", 1, "SELECT * FROM communes", "2026-12-01T09:04:00+00:00"],
        [3, "select", "done", None, "", "2026-12-01T09:04:00+00:00"]]}
    (tmp_path / "progress-awa.json").write_text(json.dumps(other_laptop), encoding="utf-8")
    result = run_cli("lesson", "import-progress", "progress-awa.json")
    assert result.exit_code == 0 and "3 enregistrements ajoutés." in result.output, result.output
    assert sorted(server.acknowledged) == sorted(tuple(e) for e in other_laptop["events"])
    again = run_cli("lesson", "import-progress", "progress-awa.json")   # nothing new: nothing sent
    assert again.exit_code == 0 and len(server.acknowledged) == 3 and _outbox(learner) == []
