"""The trainer's pages of the live room against a real `serve --classroom` on 127.0.0.1: the
trainer code and its rate limit, the statuses of the dashboard, hostile names escaped and
neutralised in the CSV, the home page, the served database left byte-identical, and a dashboard
that no cache, clock or unknown step can break."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from pathlib import Path

from tests.atelier_helpers import stamp
from tests.atelier_room import (HOSTILE, ROOM, TRAINER, cell, join, learner_row, outside_the_minute_boundary,  # noqa: F401
                                room, send, state)   # room: the module's fixture


# --- the trainer's pages -------------------------------------------------------------------------

def test_trainer_pages_need_the_trainer_code(room):
    form = room.request("/-/atelier", source="127.0.5.1")
    assert form.status == 200 and 'name="code"' in form.body and "Code formateur" in form.body
    assert "no-store" in form.headers["cache-control"]
    for path in ("/-/atelier?code=" + ROOM, "/-/atelier/etat.json?code=", "/-/atelier/export.csv"):
        assert room.request(path, source="127.0.5.1").status == 403, path
    page = room.request(f"/-/atelier?code={TRAINER[:5]}-{TRAINER[5:].lower()}", source="127.0.5.1")
    assert page.status == 200 and "Atelier en direct" in page.body
    assert ROOM in page.body  # the room code, for the trainer to write on the board


def test_wrong_trainer_codes_are_rate_limited(room):
    outside_the_minute_boundary()
    statuses = [room.request("/-/atelier?code=GUESS%d" % i, source="127.0.5.2").status for i in range(10)]
    assert statuses == [403] * 10
    blocked = room.request(f"/-/atelier?code={TRAINER}", source="127.0.5.2")
    assert blocked.status == 429 and "retry-after" in blocked.headers
    assert room.request(f"/-/atelier?code={TRAINER}", source="127.0.5.3").status == 200


def test_statuses_struggling_slow_in_progress_done(room):
    source = "127.0.6.1"
    wrong, _ = join(room, "Trois Erreurs", source=source)
    send(room, wrong, [[4, "select", "start", None, "", stamp(4)], [4, "select", "done", None, "", stamp(4)]]
         + [[4, "where", "attempt", False, f"essai {i}", stamp(3 - i)] for i in range(3)], source=source)
    slow, _ = join(room, "Très Lente", source=source)
    # reached "where" 40 minutes ago (planned 12 min per exercise: 2 x 12 < 40), her clock is right
    send(room, slow, [[4, "select", "start", None, "", stamp(41)], [4, "select", "done", None, "", stamp(40)]],
         source=source, sent=stamp(0))
    late, _ = join(room, "Horloge Fausse", source=source)
    # her laptop's clock is 3 hours behind: reached "where" 2 minutes ago on the server's clock
    send(room, late, [[4, "select", "start", None, "", stamp(183)], [4, "select", "done", None, "", stamp(182)],
                      [4, "where", "attempt", False, "", stamp(180)]], source=source)
    fine, _ = join(room, "Tout Bon", source=source)
    send(room, fine, [[4, "select", "start", None, "", stamp(6)], [4, "select", "done", None, "", stamp(5)],
                      [4, "where", "attempt", True, "", stamp(1)], [4, "where", "done", None, "", stamp(1)]],
         source=source)
    data = state(room)
    assert cell(data, "Trois Erreurs", 4, "where")["status"] == "struggling"
    assert cell(data, "Trois Erreurs", 4, "where")["wrong"] == 3
    assert cell(data, "Très Lente", 4, "where")["status"] == "struggling"
    assert cell(data, "Très Lente", 4, "where")["slow"] is True
    assert learner_row(data, "Très Lente")["current"] == {"module": 4, "step": "where"}
    assert cell(data, "Horloge Fausse", 4, "where")["status"] == "in progress"
    assert cell(data, "Tout Bon", 4, "where")["status"] == "done"
    assert cell(data, "Tout Bon", 4, "group-by")["status"] == "in progress"  # the next step, just reached
    assert cell(data, "Tout Bon", 4, "join")["status"] == "not started"
    stuck = {s["name"]: s for s in data["stuck"]}
    assert stuck["Trois Erreurs"]["wrong"] == 3 and not stuck["Trois Erreurs"]["slow"]
    assert stuck["Très Lente"]["slow"] and stuck["Très Lente"]["minutes"] >= 39
    assert "Horloge Fausse" not in stuck and "Tout Bon" not in stuck
    step = next(s for m in data["modules"] if m["number"] == 4 for s in m["steps"] if s["id"] == "where")
    assert step["title"] == "Les grosses dépenses de santé" and step["planned_minutes"] == 12.0
    finished = sum(1 for l in data["learners"] if cell(data, l["name"], 4, "where")["status"] == "done")
    reached = sum(1 for l in data["learners"] if cell(data, l["name"], 4, "where")["status"] != "not started")
    assert (step["done"], step["reached"]) == (finished, reached) and finished >= 1
    page = room.request(f"/-/atelier?code={TRAINER}", source=source).body
    assert "Bloqués en ce moment" in page and "Trois Erreurs" in page and "3 essais faux" in page
    assert "bien plus long que prévu" in page


def test_hostile_names_are_escaped_on_the_page_and_neutralised_in_the_csv(room):
    source = "127.0.7.1"
    token, name = join(room, HOSTILE, source=source)
    script, _ = join(room, "<script>alert(1)</script>", source=source)
    for who in (token, script):
        send(room, who, [[2, "separateur", "attempt", False, "", stamp(1)]], source=source)
    page = room.request(f"/-/atelier?code={TRAINER}", source=source).body
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    response = room.request(f"/-/atelier/export.csv?code={TRAINER}", source=source)
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    raw = response.body
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))
    assert rows[0] == ["apprenant", "module", "étape", "titre de l’étape", "statut", "essais", "essais faux",
                       "première activité", "terminé le", "indices", "solution affichée"]
    hostile_rows = [row for row in rows[1:] if HOSTILE in row[0]]
    assert hostile_rows and all(row[0] == "'" + HOSTILE for row in hostile_rows)
    assert all(len(row) == 11 for row in rows)
    separateur = next(row for row in hostile_rows if row[1] == "2" and row[3] == "Le séparateur")
    assert separateur[4] == "en cours" and separateur[5:7] == ["1", "1"]


def test_home_page_shows_how_to_join_without_the_room_code(room):
    home = room.request("/", source="127.0.8.1")
    assert home.status == 200
    assert f"datactiviste lesson join http://{room.host} CODE" in home.body
    assert ROOM not in home.body and TRAINER not in home.body


def test_the_served_database_is_untouched(room):
    assert hashlib.sha256(Path(room.database).read_bytes()).hexdigest() == room.before
    journal = next((room.home / "atelier").glob(f"*_{ROOM}.sqlite"))
    connection = sqlite3.connect(journal)
    tokens = [row[0] for row in connection.execute("SELECT token_hash FROM learners")]
    connection.close()
    assert tokens and all(len(t) == 64 for t in tokens)  # hashes, not the tokens themselves


def test_trainer_answers_are_never_served_from_the_classroom_cache(room):
    source = "127.0.9.3"
    first = room.request(f"/-/atelier/etat.json?code={TRAINER}", source=source)
    token, _name = join(room, "Arrivée Tardive", source=source)
    second = room.request(f"/-/atelier/etat.json?code={TRAINER}", source=source)
    for answer in (first, second):
        assert "x-datactiviste-cache" not in answer.headers and answer.headers["cache-control"] == "no-store"
    assert "Arrivée Tardive" not in first.body and "Arrivée Tardive" in second.body
    refused = room.request("/-/atelier/etat.json?code=WRONG", source=source)
    assert refused.status == 403 and "Code formateur incorrect" in json.loads(refused.body)["error"]
    head = room.request(f"/-/atelier?code={TRAINER}", method="HEAD", source=source)
    assert head.status == 200 and head.body == ""


def test_absurd_laptop_clocks_cannot_break_the_dashboard(room):
    source = "127.0.9.4"
    for name, events, sent in [
            ("Horloge 1601", [[6, "quelle-carte", "attempt", False, "", "0001-01-01T00:00:00+14:00"]], None),
            ("Horloge 9999", [[6, "quelle-carte", "attempt", False, "", "9999-12-31T23:59:59-12:00"]], None),
            ("Envoi Absurde", [[6, "quelle-carte", "attempt", False, "", stamp()]], "0001-01-01T00:00:00"),
            ("Sans Fuseau", [[6, "quelle-carte", "attempt", False, "", "2026-01-01T10:00:00"]], "9999-01-01")]:
        token, _ = join(room, name, source=source)
        assert send(room, token, events, source=source, **({"sent": sent} if sent else {})).status == 200
    data = state(room, source=source)
    for name in ("Horloge 1601", "Horloge 9999", "Envoi Absurde", "Sans Fuseau"):
        assert cell(data, name, 6, "quelle-carte")["attempts"] == 1
    assert room.request(f"/-/atelier?code={TRAINER}", source=source).status == 200
    assert room.request(f"/-/atelier/export.csv?code={TRAINER}", source=source).status == 200


def test_steps_and_modules_the_server_does_not_know_are_shown_within_bounds(room):
    source = "127.0.9.5"
    token, _ = join(room, "Autre Version", source=source)
    many_steps = [[4, f"etape-inconnue-{i}", "attempt", False, "", stamp()] for i in range(50)]
    many_modules = [[900 + i, "x", "attempt", False, "", stamp()] for i in range(15)]
    assert send(room, token, many_steps, source=source).status == 200
    assert send(room, token, many_modules, source=source).status == 200
    data = state(room, source=source)
    module4 = next(m for m in data["modules"] if m["number"] == 4)
    assert len([s for s in module4["steps"] if s["id"].startswith("etape-inconnue-")]) == 20
    unknown_modules = [m for m in data["modules"] if m["number"] >= 900]
    assert len(unknown_modules) == 10 and all(m["title"] == "" for m in unknown_modules)
    assert data["steps_left_out"] == 30 + 5
    page = room.request(f"/-/atelier?code={TRAINER}", source=source).body
    assert "35 étapes envoyées par les apprenants ne sont pas dans les leçons de ce serveur" in page
    assert "<h2>Module 900</h2>" in page


def test_the_dashboard_is_gzipped_for_browsers_that_accept_it(room):
    """The trainer's page grows with the room (~300 KB for 30 learners): it crosses the hotspot
    compressed, and decompresses to the very page a client without gzip gets."""
    import gzip
    import http.client

    join(room, "Compression Test")

    def fetch(headers):
        connection = http.client.HTTPConnection("127.0.0.1", room.port, timeout=30)
        try:
            connection.request("GET", f"/-/atelier?code={TRAINER}", headers={"Host": room.host, **headers})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    status, headers, body = fetch({"Accept-Encoding": "gzip"})
    plain_status, plain_headers, plain = fetch({})
    assert status == plain_status == 200
    assert headers.get("content-encoding") == "gzip" and "accept-encoding" in headers.get("vary", "").lower()
    assert "content-encoding" not in plain_headers
    unpacked = gzip.decompress(body)
    assert len(body) < len(unpacked) / 2 and "Compression Test" in unpacked.decode("utf-8")
    # the page says when it was drawn: compare what does not move
    strip = lambda page: re.sub(rb"\d{1,2}[:h]\d{2}(:\d{2})?", b"", page)  # noqa: E731
    assert strip(unpacked) == strip(plain)
