"""The trainer's live-room page in real Chromium, network cut: French, offline-clean, phone-sized,
refreshing itself as learners send results, hostile names shown as text.

A real classroom server on 127.0.0.1 (in this process); learners are simulated with urllib
posts to the one write endpoint. Screenshots at 360 and 1280 px go to tests/artifacts/atelier/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from datactiviste.serve.atelier_room import AtelierSettings
from tests.atelier_helpers import post_json, running, stamp
from tests.browser import offline_browser, offline_route  # noqa: F401 (fixture)
from tests.page_layout import MIN_TEXT_PX, TAP_PX, measure
from tests.serve_fixtures import make_project_db

ROOM, TRAINER = "K7P2QX", "TRAINER234"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "atelier"
OFFLINE_AUDIT = Path(__file__).resolve().parents[2] / "shared" / "tools" / "offline_audit.py"
HOSTILE = '<img src=x onerror="window.pwned=1">Awa'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("atelier-browser")
    with running(make_project_db(folder / "projet.db"),
                 atelier=AtelierSettings.create(folder / "home", ROOM, TRAINER)) as prepared:
        prepared.base = prepared.server.url.rstrip("/")
        yield prepared


def post(server, body) -> dict:
    status, answer = post_json(server.base, body)
    assert status == 200, answer
    return answer


def learner(server, name, events) -> str:
    token = post(server, {"v": 1, "room": ROOM, "learner": None, "name": name})["learner"]
    post(server, {"v": 1, "room": ROOM, "learner": token, "events": events, "sent": stamp()})
    return token


@pytest.fixture(scope="module")
def room(server):
    """Three learners in module 4: one stuck after 3 wrong tries, one far ahead, one hostile name."""
    start = [[4, "select", "start", None, "", stamp(20)], [4, "select", "done", None, "", stamp(19)]]
    learner(server, "Awa Diop", start + [[4, "where", "attempt", False, f"essai {i}", stamp(10 - i)]
                                         for i in range(3)] + [[4, "where", "hint", None, "1", stamp(6)]])
    learner(server, "Aïssatou Ndiaye-Sarr de la Grande Côte", start + [
        [4, "where", "attempt", True, "", stamp(15)], [4, "where", "done", None, "", stamp(15)],
        [4, "group-by", "attempt", True, "", stamp(8)], [4, "group-by", "done", None, "", stamp(8)]])
    token = learner(server, HOSTILE, start)
    post(server, {"v": 1, "room": ROOM, "learner": None, "name": "Pas Encore"})  # joined, nothing sent
    return {"hostile": token}


@pytest.fixture
def browse(offline_browser):  # noqa: F811 (pytest fixture)
    contexts = []

    def make(width: int, height: int = 800):
        phone = width < 500
        context = offline_browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR",
                                              is_mobile=phone, has_touch=phone)
        external: list[str] = []
        context.route("**/*", offline_route(external, []))
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        return page, external

    yield make
    for context in contexts:
        context.close()


def open_dashboard(page, server):
    """As the trainer does: the form, the code typed, then the room."""
    page.goto(server.base + "/-/atelier")
    page.fill("#dt-atelier-code", TRAINER.lower())
    page.click("form.dt-atelier-code input[type=submit]")
    page.wait_for_selector("#dt-atelier table.dt-atelier-grid")


@pytest.mark.parametrize("width", [360, 1280])
def test_dashboard_in_french_offline_and_fitting_the_screen(server, room, browse, width, tmp_path):
    page, external = browse(width)
    open_dashboard(page, server)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "fr"
    text = page.inner_text("body")
    for words in ("Atelier en direct", "Bloqués en ce moment", "Module 4 — Poser des questions en SQL",
                  "Les grosses dépenses de santé", "3 essais faux", "Apprenants", "Exporter (CSV)",
                  f"datactiviste lesson join http://127.0.0.1:{server.server.port} CODE"):
        assert words in text, words
    assert "Awa Diop" in page.inner_text(".dt-atelier-stuck")
    assert external == [] and page.errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{width}.png"), full_page=True)
    layout = measure(page, "table.dt-atelier-grid")
    assert layout["scroll_width"] <= width, (layout["scroll_width"], layout["wide_elements"])
    assert layout["smallest_text"][0] >= MIN_TEXT_PX, layout["smallest_text"]
    if width < 500:
        assert layout["small_targets"] == [], f"under {TAP_PX} px: {layout['small_targets']}"
    saved = tmp_path / "dashboard.html"
    saved.write_text(page.content(), encoding="utf-8")
    audit = subprocess.run([sys.executable, str(OFFLINE_AUDIT), str(saved)], capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_cells_say_their_status_to_a_screen_reader_and_by_colour(server, room, browse):
    page, _external = browse(1280)
    open_dashboard(page, server)
    row = page.locator("section.dt-atelier-module tr", has_text="Awa Diop")
    cells = row.locator("td")
    assert cells.nth(0).get_attribute("class") == "dt-done"
    assert cells.nth(1).get_attribute("class") == "dt-struggling"
    assert "en difficulté — 3 essais, 3 faux, 1 indice" == cells.nth(1).get_attribute("title")
    assert cells.nth(1).locator(".dt-sr").inner_text() == "en difficulté — 3 essais, 3 faux, 1 indice"
    ahead = page.locator("section.dt-atelier-module tr", has_text="Aïssatou").locator("td")
    assert ahead.nth(1).get_attribute("title") == "terminé — 1 essai, 0 faux"   # one try: singular
    colours = {cells.nth(i).evaluate("e => getComputedStyle(e).backgroundColor") for i in range(3)}
    assert len(colours) == 3  # done, struggling, not started look different


def test_hostile_names_are_text(server, room, browse):
    page, _external = browse(1280)
    open_dashboard(page, server)
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("img").count() == 0
    assert HOSTILE in page.inner_text("section.dt-atelier-learners")


def test_the_learners_list_says_where_each_one_is(server, room, browse):
    page, _external = browse(1280)
    open_dashboard(page, server)
    rows = page.locator("section.dt-atelier-learners tbody tr")
    assert "rien envoyé pour l’instant" in rows.filter(has_text="Pas Encore").inner_text()
    assert "module 4, étape 2 « Les grosses dépenses de santé »" in rows.filter(has_text="Awa Diop").inner_text()
    assert "Pas Encore" not in page.inner_text("section.dt-atelier-module")


def test_the_page_refreshes_itself_without_reloading(server, room, browse):
    page, _external = browse(1280)
    open_dashboard(page, server)
    page.evaluate("window.sameDocument = true")
    assert "Ibrahima Fall" not in page.inner_text("#dt-atelier")
    learner(server, "Ibrahima Fall", [[4, "select", "start", None, "", stamp(1)]])
    page.wait_for_function("document.getElementById('dt-atelier').innerText.includes('Ibrahima Fall')",
                           timeout=25_000)
    assert page.evaluate("window.sameDocument") is True  # swapped in place: scroll and state kept
    assert page.errors == []


def test_a_lost_server_is_said_and_the_last_room_kept(server, room, browse):
    page, _external = browse(1280)
    open_dashboard(page, server)
    page.route("**/-/atelier?**", lambda route: route.abort())  # the trainer's laptop went away
    page.wait_for_selector("#dt-atelier-lost:not([hidden])", timeout=25_000)
    assert "Le serveur ne répond pas" in page.inner_text("#dt-atelier-lost")
    assert "Awa Diop" in page.inner_text("#dt-atelier")


def test_wrong_code_page_in_french_with_the_form_again(server, browse):
    page, external = browse(360)
    response = page.goto(server.base + "/-/atelier?code=NOPE")
    assert response.status == 403
    assert "Code formateur incorrect" in page.inner_text("body")
    assert page.inner_text("body").count("affiché dans le terminal") == 1   # said once, not twice
    assert page.locator("#dt-atelier-code").count() == 1
    assert external == []


def test_the_export_link_downloads_a_csv_excel_opens(server, room, browse):
    page, external = browse(1280)
    open_dashboard(page, server)
    with page.expect_download() as waiting:
        page.click("text=Exporter (CSV)")
    download = waiting.value
    assert download.suggested_filename.startswith("atelier-") and download.suggested_filename.endswith(".csv")
    raw = Path(download.path()).read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    lines = raw.decode("utf-8")[1:].splitlines()
    assert lines[0].startswith("apprenant;module;étape;titre de l’étape;statut")
    assert any(line.startswith("Awa Diop;4;2;Les grosses dépenses de santé;en difficulté;3;3") for line in lines)
    assert external == []
