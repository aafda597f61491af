"""A web page of another origin, in a real Chromium, cannot drive `datactiviste serve`.

The issue's attack: while its owner browses, a page elsewhere puts `<img>` tags and a form
pointing at http://127.0.0.1:PORT/ (the fts3_tokenizer crash, an upload replacing a table).
Here that page is served by a second little server on another origin, Chromium opens it as
a person would, and the test watches from outside: every request it made to our server was
refused, the server still answers, the table is unchanged. A DNS-rebinding name
(`attacker.test`, resolved to 127.0.0.1 by Chromium's resolver rules) is refused too.
"""

from __future__ import annotations

import functools
import http.server
import sqlite3
import threading
from urllib.parse import quote

import pytest

from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.security_servers import start_server
from tests.serve_fixtures import make_project_db

CRASH = ["select fts3_tokenizer('simple', x'4141414141414141')"] * 3 + [
    "select * from fts3tokenize('simple') where input='a'"]


def attack_page(target: str) -> str:
    # <img> answers are hidden by the browser (opaque-response blocking); <iframe> ones are seen
    images = "".join(f'<img src="{target}projet.json?sql={quote(sql)}&_n={n}">'
                     f'<iframe src="{target}projet?sql={quote(sql)}&_n={n}"></iframe>' for n, sql in enumerate(CRASH))
    return f"""<!DOCTYPE html><html><body><h1>Des chats</h1>{images}
<form id="f" action="{target}-/datactiviste/upload" method="post" enctype="multipart/form-data">
<input type="hidden" name="database" value="projet"></form>
<script>
const data = new FormData();
data.append("database", "projet");
data.append("file", new Blob(["code,nom,region\\n1,pirate,x\\n"], {{type: "text/csv"}}), "communes.csv");
fetch("{target}-/datactiviste/upload", {{method: "POST", mode: "no-cors", body: data}})
  .finally(() => fetch("{target}projet.json?sql=select+1", {{mode: "no-cors"}}))
  .finally(() => {{ document.title = "sent"; }});
</script></body></html>"""


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-attack")
    database = make_project_db(folder / "projet.db")
    running = start_server(database, "local", folder / "server.log")
    yield running
    log = running.stop()
    assert "Segmentation fault" not in log


@pytest.fixture(scope="module")
def attacker_site(tmp_path_factory):
    """Another origin on this machine, serving whatever page the test writes into its folder."""
    folder = tmp_path_factory.mktemp("attacker")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield folder, site.server_address[1]
    site.shutdown()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True,
            args=CHROMIUM_ARGS + ["--host-resolver-rules=MAP attacker.test 127.0.0.1"])
        yield browser
        browser.close()


def visit(chromium, url: str, server_port: int) -> tuple[list[str], list[int]]:
    """Open `url` as a person would: (URLs of our server it requested, statuses it was answered)."""
    context = chromium.new_context()
    page = context.new_page()
    sent: list[str] = []
    statuses: list[int] = []
    page.on("request", lambda r: f":{server_port}/" in r.url and sent.append(r.url))
    page.on("response", lambda r: f":{server_port}/" in r.url and statuses.append(r.status))
    page.goto(url)
    page.wait_for_function("document.title === 'sent'", timeout=20000)
    page.wait_for_timeout(500)
    context.close()
    return sent, statuses


def communes(server) -> list:
    connection = sqlite3.connect(server.database)
    try:
        return connection.execute("SELECT * FROM communes ORDER BY code").fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize("page_host", ["localhost", "127.0.0.1", "attacker.test"])
def test_a_page_elsewhere_cannot_crash_or_write_through_the_browser(chromium, local_server, attacker_site,
                                                                      page_host):
    folder, attacker_port = attacker_site
    before = communes(local_server)
    target = f"http://127.0.0.1:{local_server.port}/"
    (folder / "chats.html").write_text(attack_page(target), encoding="utf-8")
    sent, statuses = visit(chromium, f"http://{page_host}:{attacker_port}/chats.html", local_server.port)
    assert len(sent) >= 2 * len(CRASH) + 2, sent  # the browser did send them all
    assert len(statuses) >= len(CRASH) + 2 and set(statuses) == {403}, statuses
    assert local_server.alive() and communes(local_server) == before


def test_a_rebound_name_is_refused_even_from_its_own_page(chromium, local_server, attacker_site):
    """DNS rebinding: attacker.test now resolves to 127.0.0.1, the page talks to "its own" host."""
    folder, attacker_port = attacker_site
    before = communes(local_server)
    target = f"http://attacker.test:{local_server.port}/"
    (folder / "rebind.html").write_text(attack_page(target), encoding="utf-8")
    sent, statuses = visit(chromium, f"http://attacker.test:{attacker_port}/rebind.html", local_server.port)
    assert len(sent) >= 2 * len(CRASH) + 2 and statuses and set(statuses) <= {403, 421}, statuses
    assert 421 in statuses
    assert local_server.alive() and communes(local_server) == before


def test_the_owner_still_uses_her_pages_in_the_same_browser(chromium, local_server):
    context = chromium.new_context()
    page = context.new_page()
    response = page.goto(f"http://127.0.0.1:{local_server.port}/projet/communes")
    assert response.status == 200 and "Dakar-Plateau" in page.content()
    page.goto(f"http://localhost:{local_server.port}/projet?sql=" + quote("select count(*) as n from communes"))
    assert "8" in page.inner_text("table")
    page.goto(f"http://127.0.0.1:{local_server.port}/")  # her own upload form still works
    page.set_input_files("form.dt-upload input[type=file]", files=[
        {"name": "nouveau.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2\n"}])
    with page.expect_navigation():
        page.click("form.dt-upload input[type=submit]")
    assert "nouveau" in page.content()
    context.close()
    tables = [r[0] for r in sqlite3.connect(local_server.database).execute("SELECT name FROM sqlite_master")]
    assert "nouveau" in tables


def test_a_link_from_elsewhere_gets_a_refusal_page_whose_link_continues_here(chromium, local_server):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 360, "height": 640})
    page = context.new_page()
    query = quote("select count(*) as n from communes")
    page.set_content(f'<a id="away" href="http://127.0.0.1:{local_server.port}/projet?sql={query}">lien</a>')
    with page.expect_navigation() as refused:
        page.click("#away")
    assert refused.value.status == 403 and "autre site" in page.inner_text("body")
    with page.expect_navigation() as continued:
        page.click("a")  # the refusal page's own link: now a same-origin click of the person's own
    assert continued.value.status == 200 and "8" in page.inner_text("table")
    context.close()
