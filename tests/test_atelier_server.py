"""The live room's server side against a real `serve --classroom` (2 worker processes) on 127.0.0.1.

Learners are simulated with raw HTTP (http.client, any header, any source address of
127.0.0.0/8 so each test has its own rate-limit budget): join, events, re-sends, every refusal
of the one write endpoint, and the room's behaviour under failures, restarts and lost networks
(the trainer's pages: test_atelier_dashboard.py). Posts land on either worker: the room they
share is the journal.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time

import pytest

from tests.atelier_helpers import post_json, running, stamp
from tests.atelier_room import (ROOM, TRAINER, cell, join, learner_row, outside_the_minute_boundary, post,  # noqa: F401
                                room, send, state)   # room: the module's fixture
from tests.serve_fixtures import make_project_db

# --- joining and sending -------------------------------------------------------------------------

def test_join_gives_a_token_and_two_people_with_one_name_stay_two(room):
    token, name = join(room, "  Awa   Diop  ", source="127.0.1.1")
    assert name == "Awa Diop" and len(token) >= 20
    token2, name2 = join(room, "awa diop", source="127.0.1.1")
    assert token2 != token and name2 == "awa diop (2)"
    names = [learner["name"] for learner in state(room)["learners"]]
    assert "Awa Diop" in names and "awa diop (2)" in names


def test_room_code_is_read_as_people_type_it(room):
    response = post(room, {"v": 1, "room": "k7p2-qx ", "name": "Fatou Sall"}, source="127.0.1.2")
    assert response.status == 200 and response.json["name"] == "Fatou Sall"


def test_events_are_added_once_and_a_resent_queue_is_harmless(room):
    token, _name = join(room, "Moussa Ba", source="127.0.1.3")
    events = [[4, "select", "start", None, "", stamp(3)],
              [4, "select", "done", None, "", stamp(2)],
              [4, "where", "attempt", False, "SELECT * FROM depenses", stamp(1)]]
    first = send(room, token, events, source="127.0.1.3")
    assert first.status == 200 and first.json == {"v": 1, "accepted": 3, "known": 0}
    # the hotspot dropped before the answer arrived: the learner sends the queue again, plus one
    again = send(room, token, events + [[4, "where", "attempt", True, "SELECT 1", stamp(0)]], source="127.0.1.3")
    assert again.status == 200 and again.json == {"v": 1, "accepted": 1, "known": 3}
    data = state(room)
    assert cell(data, "Moussa Ba", 4, "where")["attempts"] == 2
    assert cell(data, "Moussa Ba", 4, "select")["status"] == "done"


def test_join_may_carry_the_events_already_recorded(room):
    events = [[1, "chaine", "start", None, "", stamp(5)], [1, "chaine", "done", None, "", stamp(4)]]
    response = post(room, {"v": 1, "room": ROOM, "learner": None, "name": "Ndeye Fall", "events": events},
                    source="127.0.1.4")
    assert response.status == 200 and response.json["accepted"] == 2
    assert cell(state(room), "Ndeye Fall", 1, "chaine")["status"] == "done"


def test_a_long_attempt_is_trimmed_by_the_server(room):
    token, _name = join(room, "Long Texte", source="127.0.1.5")
    answer = "SELECT " + "x" * 480
    assert send(room, token, [[4, "where", "attempt", False, answer, stamp()]], source="127.0.1.5").status == 200
    journal = next((room.home / "atelier").glob(f"*_{ROOM}.sqlite"))
    connection = sqlite3.connect(journal)
    stored = connection.execute("SELECT detail FROM events WHERE detail LIKE 'SELECT xxx%'").fetchone()[0]
    connection.close()
    assert stored == answer[:200]


# --- refusals ------------------------------------------------------------------------------------

def test_wrong_room_code_and_unknown_token_are_403(room):
    wrong = post(room, {"v": 1, "room": "AAAAAA", "name": "Intrus"}, source="127.0.2.1")
    assert wrong.status == 403 and "Code de salle incorrect" in wrong.json["error"]
    unknown = send(room, "not-a-token-of-this-room", [], source="127.0.2.1")
    assert unknown.status == 403 and "pas connu dans cette salle" in unknown.json["error"]
    token, _name = join(room, "Bon Code", source="127.0.2.1")
    stolen = post(room, {"v": 1, "room": "BBBBBB", "learner": token, "events": []}, source="127.0.2.1")
    assert stolen.status == 403


def test_oversize_body_is_413_before_being_read(room):
    token, _name = join(room, "Gros Envoi", source="127.0.2.2")
    big = json.dumps({"v": 1, "room": ROOM, "learner": token,
                      "events": [[4, "where", "attempt", False, "y" * 400, stamp()]] * 45}).encode()
    assert len(big) > 16 * 1024
    response = post(room, big, source="127.0.2.2")
    assert response.status == 413 and "16 Ko" in response.json["error"]
    assert not any(c["attempts"] for c in learner_row(state(room), "Gros Envoi")["cells"])


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", ""])
def test_anything_but_json_is_415(room, content_type):
    response = post(room, {"v": 1, "room": ROOM, "name": "Formulaire"}, source="127.0.2.3",
                    content_type=content_type)
    assert response.status == 415, response.body
    assert "JSON" in response.json["error"]


@pytest.mark.parametrize("body, expected", [
    (b"{not json", "pas du JSON"),
    ("\u00e9".encode("latin-1"), "pas du JSON"),
    (b"[1, 2]", "un seul objet JSON"),
    (b'{"v": 2, "room": "K7P2QX", "name": "x"}', "v doit valoir 1"),
    (b'{"v": 1, "name": "x"}', "champ room"),
    (b'{"v": 1, "room": "K7P2QX", "name": "   "}', "Donnez un nom"),
    (b'{"v": 1, "room": "K7P2QX", "name": "x", "events": {}}', "events"),
    (b'{"v": 1, "room": "K7P2QX", "learner": 12, "events": []}', "learner"),
    (json.dumps({"v": 1, "room": ROOM, "name": "x", "events": [[1, "a", "start", None, "", stamp()]] * 51}).encode(),
     "50"),
    (json.dumps({"v": 1, "room": ROOM, "name": "x", "events": [
        [1, "a", "start", None, "", stamp()], [1, "a", "cheat", None, "", stamp()]]}).encode(), "événement 2"),
    (json.dumps({"v": 1, "room": ROOM, "name": "x", "events": [
        [1, "a", "attempt", 2, "", stamp()]]}).encode(), "événement 1 : correct"),
    (json.dumps({"v": 1, "room": ROOM, "name": "x", "events": [
        [1, "a", "attempt", True, "", "hier"]]}).encode(), "événement 1 : at"),
    (b"[" * 5000 + b"]" * 5000, "JSON"),
])
def test_invalid_bodies_are_400_saying_what_is_wrong(room, body, expected):
    response = post(room, body, source="127.0.2.4")
    assert response.status == 400, response.body
    assert expected in response.json["error"], response.json


def test_an_invalid_event_adds_nothing_of_its_send(room):
    token, _name = join(room, "Moitié Valide", source="127.0.2.5")
    response = send(room, token, [[3, "facette", "start", None, "", stamp()],
                                  [3, "facette", "attempt", "oui", "", stamp()]], source="127.0.2.5")
    assert response.status == 400 and "événement 2" in response.json["error"]
    assert learner_row(state(room), "Moitié Valide")["cells"] == []


def test_posts_per_address_are_rate_limited_with_retry_after(room):
    outside_the_minute_boundary()
    statuses = [post(room, {"v": 1, "room": "WRONG1", "name": "x"}, source="127.0.3.1").status
                for _ in range(61)]
    assert statuses[:60] == [403] * 60 and statuses[60] == 429
    limited = post(room, {"v": 1, "room": ROOM, "name": "Pressé"}, source="127.0.3.1")
    assert limited.status == 429 and 1 <= int(limited.headers["retry-after"]) <= 60
    assert "attendez une minute" in limited.json["error"]
    assert post(room, {"v": 1, "room": ROOM, "name": "Voisin"}, source="127.0.3.2").status == 200


def test_posts_per_learner_are_rate_limited(room):
    outside_the_minute_boundary()
    token, _name = join(room, "Boucle Infinie", source="127.0.3.3")
    statuses = [send(room, token, [], source=f"127.0.3.{10 + i % 2}").status for i in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_cross_site_posts_are_refused(room):
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": "null"}):
        response = post(room, {"v": 1, "room": ROOM, "name": "Page Piégée"}, source="127.0.4.1", headers=headers)
        assert response.status == 403, (headers, response.status)
    names = [learner["name"] for learner in state(room)["learners"]]
    assert "Page Piégée" not in names


def test_other_methods_and_paths(room):
    assert room.request("/-/atelier/envoi").status == 405
    assert room.request("/-/atelier/nothing-here").status == 404
    assert room.request("/-/atelier", method="DELETE").status == 405
    assert room.request("/projet/depenses", method="POST", body=b"{}",
                        headers={"Content-Type": "application/json"}).status == 405


# --- in this process: the terminal, an unwritable journal, English, local mode -------------------

def test_serve_start_prints_both_codes_and_keeps_the_qr_code(tmp_path):
    from datactiviste.serve.atelier_room import AtelierSettings
    from datactiviste.serve.launch import announcement, prepare

    database = make_project_db(tmp_path / "projet.db")
    prepared = prepare([database], classroom=True, language="fr", host="127.0.0.1", port=0,
                       atelier=AtelierSettings.create(tmp_path / "home"))
    try:
        lines = announcement(prepared)
    finally:
        prepared.server.socket.close()
    text = "\n".join(lines)
    room_code, trainer_code = prepared.atelier.room_code, prepared.atelier.trainer_code
    assert len(room_code) == 6 and len(trainer_code) == 10
    assert set(room_code + trainer_code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    assert f"datactiviste lesson join http://127.0.0.1:{prepared.server.port} {room_code}" in text
    assert f"/-/atelier?code={trainer_code}" in text and "gardez-le pour vous" in text
    assert f"Atelier en direct : Code de la salle (à écrire au tableau) : {room_code}\n" in text
    assert f"code formateur {trainer_code}" in text
    assert "█" in lines[-2] or "▀" in lines[-2]  # the QR code stays where it was
    assert prepared.atelier.journal.parent == tmp_path / "home" / "atelier"
    assert prepared.atelier.journal.name.endswith(f"_{room_code}.sqlite")


def test_a_journal_that_cannot_be_written_turns_the_room_off_not_the_server(tmp_path):
    import urllib.request

    from datactiviste.serve.atelier_room import AtelierSettings
    from datactiviste.serve.launch import announcement

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the home folder should be")
    with running(make_project_db(tmp_path / "projet.db"), atelier=AtelierSettings.create(blocked)) as prepared:
        text = "\n".join(announcement(prepared))
        assert "L’atelier en direct est désactivé" in text and str(blocked) in text
        with urllib.request.urlopen(prepared.server.url + "projet/communes.json", timeout=10) as response:
            assert response.status == 200
        assert post_json(prepared.server.url, {"v": 1, "room": ROOM, "name": "x"})[0] == 405  # ClassroomGuard


def test_english_csv_uses_commas_and_english_words(tmp_path):
    from datactiviste.lessons.loader import load_modules
    from datactiviste.serve.atelier_report import csv_export, snapshot
    from datactiviste.serve.atelier_room import Room
    from datactiviste.serve.translate import Translator

    room = Room(tmp_path / "journal.sqlite")
    token, name = room.join("Awa, Diop")
    learner = room.learner_id(token)
    room.add_events(learner, [[4, "select", "start", None, "", stamp(3)], [4, "select", "done", None, "", stamp(2)],
                              [4, "where", "attempt", False, "", stamp(1)], [4, "where", "hint", None, "1", stamp(1)],
                              [4, "where", "hint", None, "2", stamp(1)], [4, "where", "solution", None, "", stamp(0)]])
    english = Translator("en")
    body, filename = csv_export(snapshot(room, load_modules("en"), english), english)
    room.close()
    assert body.startswith("\ufeff".encode("utf-8")) and filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))
    assert rows[0] == ["learner", "module", "step", "step title", "status", "attempts", "wrong attempts",
                       "first seen", "done at", "hints", "solution shown"]
    assert rows[1][:5] == ["Awa, Diop", "4", "1", "The shape of a query", "done"]
    assert rows[2][4:7] == ["in progress", "1", "1"] and rows[2][9:] == ["2", "yes"]
    assert rows[3][9:] == ["0", "no"]


def test_local_mode_has_no_live_room(tmp_path):
    import urllib.error
    import urllib.request

    with running(make_project_db(tmp_path / "projet.db"), classroom=False) as prepared:
        assert prepared.atelier is None
        assert post_json(prepared.server.url, {"v": 1, "room": ROOM, "name": "x"})[0] == 405  # no such route
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(prepared.server.url + "-/atelier", timeout=10)
        assert missing.value.code == 404


def test_a_chunked_body_is_cut_at_the_cap_too(room):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", room.port, timeout=20, source_address=("127.0.9.1", 0))
    try:
        chunks = (b'{"v": 1, "room": "K7P2QX", "name": "' + b"x" * 1024 for _ in range(40))
        connection.request("POST", "/-/atelier/envoi", body=chunks, encode_chunked=True,
                           headers={"Host": room.host, "Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 413 and "16 Ko" in json.loads(response.read())["error"]
    finally:
        connection.close()


def test_a_full_room_and_a_learner_with_too_many_events_are_503(tmp_path, monkeypatch):
    from datactiviste.serve import atelier_room

    monkeypatch.setattr(atelier_room, "MAX_LEARNERS", 2)
    monkeypatch.setattr(atelier_room, "MAX_EVENTS_PER_LEARNER", 60)
    settings = atelier_room.AtelierSettings.create(tmp_path / "home", ROOM, TRAINER)
    with running(make_project_db(tmp_path / "projet.db"), atelier=settings) as prepared:
        def send_json(body):
            return post_json(prepared.server.url, body)

        status, first = send_json({"v": 1, "room": ROOM, "name": "Une"})
        assert status == 200
        status, second = send_json({"v": 1, "room": ROOM, "name": "Deux"})
        assert status == 200
        status, full = send_json({"v": 1, "room": ROOM, "name": "Trois"})
        assert status == 503 and "La salle est pleine" in full["error"]
        batch = [[4, "where", "attempt", False, f"essai {i}", stamp()] for i in range(50)]
        assert send_json({"v": 1, "room": ROOM, "learner": first["learner"], "events": batch})[0] == 200
        more = [[4, "where", "attempt", False, f"encore {i}", stamp()] for i in range(11)]
        status, too_many = send_json({"v": 1, "room": ROOM, "learner": first["learner"], "events": more})
        assert status == 503 and "trop d’événements" in too_many["error"]
        # nothing of the refused send was kept; a smaller one still fits
        assert send_json({"v": 1, "room": ROOM, "learner": first["learner"], "events": more[:10]})[1]["accepted"] == 10
        monkeypatch.setattr(atelier_room, "MAX_EVENTS_PER_ROOM", 62)  # the whole room's bound: 60 held
        two = [[4, "join", "hint", None, str(i), stamp()] for i in range(3)]
        assert send_json({"v": 1, "room": ROOM, "learner": second["learner"], "events": two[:2]})[0] == 200
        status, room_full = send_json({"v": 1, "room": ROOM, "learner": second["learner"], "events": two[2:]})
        assert status == 503 and "--new-room" in room_full["error"]


def test_a_restart_the_same_day_continues_the_room(tmp_path, monkeypatch):
    import datetime

    from datactiviste.serve.atelier_room import AtelierSettings
    from datactiviste.serve.launch import announcement

    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "dossier #1 données?"))  # odd names too
    database = make_project_db(tmp_path / "projet.db")
    with running(database) as first:
        assert not first.atelier.resumed
        room_code = first.atelier.room_code
        token = post_json(first.server.url, {"v": 1, "room": room_code, "name": "Awa Diop"})[1]["learner"]
    with running(database) as again:  # the laptop's battery died; the trainer starts the server again
        assert again.atelier.resumed and again.atelier.journal == first.atelier.journal
        assert (again.atelier.room_code, again.atelier.trainer_code) == (room_code, first.atelier.trainer_code)
        assert "Atelier en direct repris" in "\n".join(announcement(again))
        answer = post_json(again.server.url, {"v": 1, "room": room_code, "learner": token,
                                              "events": [[4, "where", "attempt", True, "", stamp()]]})
        assert answer == (200, {"v": 1, "accepted": 1, "known": 0})  # her queue arrives, no new join
    new = AtelierSettings.create()  # serve --classroom --new-room
    assert new.room_code != room_code and not new.resumed
    yesterday = (datetime.datetime.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%d_%H%M%S")
    journal = first.atelier.journal
    journal.rename(journal.with_name(f"{yesterday}_{room_code}.sqlite"))
    assert AtelierSettings.create(resume=True).room_code != room_code  # yesterday's room is not continued


def test_a_failure_inside_the_room_answers_in_french_and_the_server_goes_on(tmp_path, caplog):
    import asyncio

    from datactiviste.serve.atelier import Atelier
    from datactiviste.serve.atelier_room import AtelierSettings, Room
    from datactiviste.serve.translate import Translator

    room = Room(tmp_path / "journal.sqlite")
    room.close()  # every later call fails inside SQLite (ProgrammingError: closed database)
    passed = []

    async def rest_of_the_site(scope, receive, send):
        passed.append(scope["path"])

    layer = Atelier(rest_of_the_site, room, AtelierSettings(ROOM, TRAINER, room.path), Translator("fr"))
    body = json.dumps({"v": 1, "room": ROOM, "name": "Awa"}).encode()
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    def scope(path, method="POST"):
        return {"type": "http", "path": path, "method": method, "client": ("127.0.0.1", 5000),
                "headers": [(b"content-type", b"application/json")], "query_string": b""}

    asyncio.run(layer(scope("/-/atelier/envoi"), receive, send))
    assert sent[0]["status"] == 500
    assert "L’atelier en direct a échoué" in json.loads(sent[1]["body"])["error"]
    assert "ProgrammingError" in caplog.text and "Traceback" not in caplog.text
    asyncio.run(layer(scope("/projet", "GET"), receive, send))
    assert passed == ["/projet"]


def test_losing_the_network_mid_send_or_before_the_answer_loses_and_doubles_nothing(room):
    import socket

    source = "127.0.9.2"
    token, _name = join(room, "Réseau Instable", source=source)
    events = [[5, "doublons", "start", None, "", stamp(2)], [5, "doublons", "attempt", True, "12", stamp(1)],
              [5, "doublons", "done", None, "", stamp(1)]]
    body = json.dumps({"v": 1, "room": ROOM, "learner": token, "events": events}).encode()
    head = (f"POST /-/atelier/envoi HTTP/1.1\r\nHost: {room.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()

    def raw(data: bytes, wait: float = 0) -> None:
        connection = socket.create_connection(("127.0.0.1", room.port), source_address=(source, 0))
        connection.sendall(data)
        time.sleep(wait)
        connection.close()  # never reads the answer

    raw(head + body[: len(body) // 2])  # the hotspot drops while sending
    time.sleep(0.5)
    assert learner_row(state(room), "Réseau Instable")["cells"] == []
    raw(head + body, wait=1)  # it all arrived and was answered; the answer was lost on the way back
    assert learner_row(state(room), "Réseau Instable")["cells"] != []
    again = send(room, token, events, source=source)  # the learner's queue, sent again
    assert again.status == 200 and again.json == {"v": 1, "accepted": 0, "known": 3}
    counted = cell(state(room), "Réseau Instable", 5, "doublons")
    assert (counted["status"], counted["attempts"], counted["wrong"]) == ("done", 1, 0)


def test_a_classroom_worker_loads_the_curricula_before_its_first_request(tmp_path, monkeypatch):
    """Each worker process builds its app through worker.create_app: the live room there has its
    curricula already (the trainer's first dashboard does not pay for loading them)."""
    from datactiviste.serve.atelier import Atelier
    from datactiviste.serve.atelier_room import AtelierSettings
    from datactiviste.serve.worker import create_app, spec_to_environment

    monkeypatch.setenv("DATACTIVISTE_SERVE", "")  # restored after the test (spec_to_environment sets it)
    database = make_project_db(tmp_path / "projet.db")
    spec_to_environment([database], "fr", True, None, atelier=AtelierSettings.create(tmp_path / "home"))
    layer = create_app()
    while not isinstance(layer, Atelier):
        layer = layer.app
    assert [module.number for module in layer._modules][:3] == [1, 2, 3]
