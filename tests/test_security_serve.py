"""Attacks on `datactiviste serve`, local and classroom, against a real server on 127.0.0.1.

Each test is one attack of issue 12, sent as an attacker would (raw HTTP, any Host/Origin
header), and asserts from the outside: the answer, that the same server process (and in
classroom mode the same workers) still serves other clients, and its memory read in /proc.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import threading
import time
from urllib.parse import quote

import pytest

from tests.security_servers import start_server
from tests.serve_fixtures import make_project_db

# Each server process may peak at this much, whatever it was asked (a few hundred MB).
MAX_PROCESS_PEAK_MIB = 350
FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(A1)", '=HYPERLINK("http://evil.example","clic")', "  =1+1",
            "\n=1+1", "\uff1dcmd", "-12,5", "Thiès"]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = make_project_db(tmp_path_factory.mktemp("security") / "projet.db")
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE formules (id INTEGER PRIMARY KEY, valeur TEXT)")
    connection.executemany("INSERT INTO formules (valeur) VALUES (?)", [(v,) for v in FORMULAS])
    connection.commit()
    connection.close()
    return path


def _serve(mode, database, tmp_path_factory):
    folder = tmp_path_factory.mktemp(mode)
    copy = folder / "projet.db"
    shutil.copyfile(database, copy)
    running = start_server(copy, mode, folder / "server.log")
    yield running
    log = running.stop()
    assert "Segmentation fault" not in log and "Fatal Python error" not in log, log[-3000:]


@pytest.fixture(scope="module")
def local_server(database, tmp_path_factory):
    yield from _serve("local", database, tmp_path_factory)


@pytest.fixture(scope="module")
def classroom_server(database, tmp_path_factory):
    yield from _serve("classroom", database, tmp_path_factory)


@pytest.fixture(params=["local", "classroom"])
def server(request):
    return request.getfixturevalue(f"{request.param}_server")


def assert_still_serving(server):
    assert server.alive(), "the server process died or stopped answering"
    if server.mode == "classroom":
        from tests.security_servers import tree_pids

        assert set(server.worker_pids) <= set(tree_pids(server.process.pid)), "a worker was restarted"


def peak_per_process_mib(server) -> float:
    from tests.security_servers import memory_mib, tree_pids

    return max(memory_mib(pid, "VmHWM") for pid in tree_pids(server.process.pid))


# --- 1. SQLite functions that crash the process or leak addresses ---------------------------------

@pytest.mark.parametrize("extension", [".json", ""])
def test_fts3_tokenizer_cannot_leak_an_address_or_crash_the_server(server, extension):
    leak = server.sql("select hex(fts3_tokenizer('simple'))", extension=extension)
    assert leak.status == 400 and "fts3_tokenizer" in leak.body
    assert not re.search(r"\b(?=[0-9A-F]*[A-F])[0-9A-F]{16}\b", leak.body), leak.body[:300]  # no pointer
    for _ in range(4):
        assert server.sql("select fts3_tokenizer('simple', x'4141414141414141')", extension=extension).status == 400
    for attack in ["select * from fts3tokenize('simple') where input='a'",
                   "select * from communes where fts3_tokenizer('porter', x'4242424242424242') is null",
                   "select load_extension('/tmp/evil.so')"]:
        assert server.sql(attack, extension=extension).status == 400, attack
    table_filter = server.request("/projet/communes.json?_where=" + quote(
        "fts3_tokenizer('simple', x'4141414141414141') is not null"))
    assert table_filter.status in (400, 403)
    assert_still_serving(server)


# --- 2. one request must not eat gigabytes ---------------------------------------------------------

HUGE_RESULTS = [
    # the query: 100 rows of 10 MB
    "with recursive c(x) as (select 1 union all select x+1 from c where x<100) select zeroblob(10000000) from c",
    # the same without zeroblob: each value under the size limit, the total far over the budget
    "with recursive c(x) as (select 1 union all select x+1 from c where x<100) select randomblob(7000000) from c",
    "with recursive c(x) as (select 1 union all select x+1 from c where x<200) "
    "select replace(printf('%.*c', 100000, 'x'), 'x', printf('%.*c', 50, 'x')) as a, "
    "replace(printf('%.*c', 100000, 'y'), 'y', printf('%.*c', 50, 'y')) as b from c",
]
# One value built inside SQLite: refused past the value limit (10 MB classroom, 32 MB local).
HUGE_VALUES = [
    "select length(group_concat(hex(randomblob(1000000)))) from depenses",
    "select length(replace(hex(randomblob(9000000)), '0', '0000000000000000000000000'))",
    "select length(printf('%.*c', 2000000000, 'x'))",
]


# One function call SQLite cannot interrupt, whose built-in cost is the product of its inputs'
# sizes (instr/replace/trim) or of a width (printf): before, seconds to hours of one core.
QUADRATIC_CALLS = [
    "with a(x) as (select replace(printf('%.*c', 100000, 'a'), 'a', 'aaaaaaaaaa')) "
    "select instr(x, substr(x, 1, 500000) || 'b') from a",
    "with a(x) as (select replace(printf('%.*c', 100000, 'a'), 'a', 'aaaaaaaaaa')) "
    "select length(replace(x, substr(x, 1, 500000) || 'b', 'c')) from a",
    "with a(x) as (select replace(printf('%.*c', 100000, 'a'), 'a', 'aaaaaaaaaa')) "
    "select length(trim(x, (select group_concat(char(1000 + value), '') from json_each("
    "'[' || replace(printf('%.*c', 50000, '1'), '1', '1,') || '1]')))) from a",
    "select printf('%.*c', 2000000000, 'x') is null",
    "select printf('%2000000000d', 1)",
]


@pytest.mark.parametrize("sql", QUADRATIC_CALLS)
def test_function_calls_cannot_hold_a_core(server, sql):
    started = time.monotonic()
    answer = server.sql(sql, timeout=120)
    assert answer.status in (200, 400) and time.monotonic() - started < 5, (answer.status, answer.body[:200])
    assert_still_serving(server)


def test_huge_results_are_refused_and_memory_stays_bounded(server):
    for sql in HUGE_RESULTS + HUGE_VALUES:
        started = time.monotonic()
        answer = server.sql(sql, timeout=60)
        if sql in HUGE_RESULTS:
            assert answer.status == 400 and ("trop" in answer.body or "too big" in answer.body
                                             or "not authorized" in answer.body), (sql, answer.body[:300])
        else:  # refused, or a number SQLite gave up building (printf gives NULL past the limit)
            assert answer.status == 400 or json.loads(answer.body)["rows"] in ([[None]], [[0]]), answer.body[:300]
        assert time.monotonic() - started < 30
    assert peak_per_process_mib(server) < MAX_PROCESS_PEAK_MIB, peak_per_process_mib(server)
    assert_still_serving(server)


def test_three_huge_queries_at_once_do_not_starve_another_client(server):
    answers, other = [], {}

    def attack(number):
        answers.append(server.sql(HUGE_RESULTS[1], source=f"127.0.0.{10 + number}", timeout=60).status)

    threads = [threading.Thread(target=attack, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    reply = server.request("/projet/depenses?_sort=montant&_size=7", source="127.0.0.20", timeout=60)
    other["seconds"], other["status"] = time.monotonic() - started, reply.status
    for thread in threads:
        thread.join(60)
    assert answers == [400, 400, 400]
    assert other["status"] == 200 and other["seconds"] < 15
    assert peak_per_process_mib(server) < MAX_PROCESS_PEAK_MIB
    assert_still_serving(server)


# --- 3 and 4. Host header: poisoning and DNS rebinding --------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "attacker.example:{port}", "127.0.0.1:1", "127.0.0.1",
                                  "localhost.evil.example:{port}", "", "[::1"])
def test_unknown_hosts_are_refused(server, host):
    answer = server.request("/projet/depenses.json", headers={"Host": host.format(port=server.port)})
    assert answer.status in (400, 421), (host, answer.status)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_the_loopback_names_of_the_server_are_accepted(server, host):
    assert server.request("/projet/communes.json", headers={"Host": host.format(port=server.port)}).status == 200


def test_a_poisoned_host_never_reaches_the_cache_and_links_follow_the_host_used(server):
    path = "/projet/depenses.json?_size=5&_sort=id"
    for _ in range(3):
        assert server.request(path, headers={"Host": "evil.example"}).status == 421
    for name in ["127.0.0.1", "localhost", "127.0.0.1"]:
        host = f"{name}:{server.port}"
        answer = server.request(path, headers={"Host": host})
        assert answer.status == 200
        next_url = json.loads(answer.body)["next_url"]
        assert next_url.startswith(f"http://{host}/"), next_url
    page = server.request("/projet/depenses?_size=5&_sort=id", headers={"Host": f"localhost:{server.port}"})
    assert "evil.example" not in page.body and f"http://localhost:{server.port}/" in page.body


def test_dns_rebinding_cannot_reach_the_upload_form(server):
    before = sqlite3.connect(server.database).execute("SELECT count(*) FROM communes").fetchone()[0]
    rebinding = f"attacker.example:{server.port}"
    body, content_type = multipart("communes.csv", b"code,nom,region\n1,x,y\n", "projet")
    answer = server.request("/-/datactiviste/upload", method="POST", body=body, headers={
        "Host": rebinding, "Origin": f"http://{rebinding}", "Content-Type": content_type})
    assert answer.status == 421
    tables = [r[0] for r in sqlite3.connect(server.database).execute("SELECT name FROM sqlite_master")]
    assert sqlite3.connect(server.database).execute("SELECT count(*) FROM communes").fetchone()[0] == before
    assert "communes_2" not in tables


# --- cross-site requests: no page of another origin drives the server ------------------------------

@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Origin": "http://evil.example"},
    {"Origin": "null"}, {"Origin": "http://127.0.0.1:1"},
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"},
])
@pytest.mark.parametrize("path", ["/projet.json?sql=select+1", "/projet/depenses", "/",
                                  "/projet/formules.csv"])
def test_cross_site_requests_are_refused(server, headers, path):
    assert server.request(path, headers=headers).status == 403


def test_cross_site_posts_are_refused(server):
    body, content_type = multipart("x.csv", b"a\n1\n", "projet")
    answer = server.request("/-/datactiviste/upload", method="POST", body=body, headers={
        "Content-Type": content_type, "Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"})
    assert answer.status == 403


@pytest.mark.parametrize("headers", [{}, {"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}])
def test_own_pages_and_typed_addresses_are_served(server, headers):
    origin = {"Origin": f"http://127.0.0.1:{server.port}"} if headers.get("Sec-Fetch-Site") == "same-origin" else {}
    assert server.request("/projet.json?sql=select+1", headers={**headers, **origin}).status == 200


def test_a_person_following_a_foreign_link_gets_a_link_that_stays_here(server):
    answer = server.request("//evil.example/projet?sql=select+1", headers={
        "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Accept": "text/html"})
    assert answer.status == 403 and ("autre site" in answer.body or "another web site" in answer.body)
    links = re.findall(r'href="([^"]*)"', answer.body)
    assert links and all(link.startswith("/") and not link.startswith("//") for link in links), links


# --- 5-7. paths, formulas, names -----------------------------------------------------------------

def test_classroom_sql_cannot_read_the_database_path(server):
    answer = server.sql("select * from pragma_database_list")
    folder = str(server.database.parent)
    if server.mode == "classroom":
        assert answer.status == 200 and folder not in answer.body
    else:  # one laptop: the owner may see her own file's path
        assert answer.status == 200


@pytest.mark.parametrize("path", ["/projet/formules.csv", "/projet/formules.csv?_dl=1",
                                  "/projet.csv?sql=" + quote("select valeur from formules order by id"),
                                  "/projet/formules.csv?_stream=on"])
def test_datasette_csv_downloads_neutralise_formulas(server, path):
    import csv
    import io

    answer = server.request(path)
    if server.mode == "classroom" and "_stream" in path:
        assert answer.status == 400  # streaming every row is off in classroom mode
        return
    assert answer.status == 200, answer.body[:300]
    cells = [row[-1] for row in csv.reader(io.StringIO(answer.body, newline=""))][1:]
    assert cells == ["'" + v if v not in ("-12,5", "Thiès") else v for v in FORMULAS]


@pytest.mark.parametrize("name", ["..", ".", "x" * 300 + ".csv", "CON.csv", "../../etc/passwd", "\x00.csv"])
def test_uploads_with_odd_names_get_a_clear_400(local_server, name):
    server = local_server  # classroom mode refuses every upload (405, test_serve.py)
    log_before = server.log.read_text()
    body, content_type = multipart(name, b"a,b\n1,2\n", "projet")
    answer = server.request("/-/datactiviste/upload", method="POST", body=body, headers={
        "Content-Type": content_type, "Origin": f"http://127.0.0.1:{server.port}"})
    assert answer.status in (200, 400), (name, answer.status)
    if name not in ("../../etc/passwd", "\x00.csv"):  # those two are cleaned into usable names
        assert answer.status == 400 and ("nom de fichier" in answer.body or "file name" in answer.body)
    assert "Traceback" not in server.log.read_text()[len(log_before):]
    assert_still_serving(server)


def multipart(filename: str, content: bytes, database: str) -> tuple[bytes, str]:
    boundary = "XXsecurityXX"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"database\"\r\n\r\n{database}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# --- 8. slow queries of some must not starve the others -------------------------------------------

def test_one_client_looping_on_slow_queries_does_not_starve_another(classroom_server):
    server = classroom_server  # the fair gate is for rooms; one laptop serves one person
    slow = ("with recursive r(i) as (select 1 union all select i + 1 from r) "
            "select count(*) from r where i > {n}")
    stop = time.monotonic() + 6
    statuses = []

    def hog(number):
        while time.monotonic() < stop:
            statuses.append(server.sql(slow.format(n=number * 1000 + len(statuses)), source="127.0.0.30",
                                       timeout=60).status)

    hogs = [threading.Thread(target=hog, args=(n,)) for n in range(6)]
    for thread in hogs:
        thread.start()
    time.sleep(1)
    waits = []
    for attempt in range(4):
        started = time.monotonic()
        page = server.request(f"/projet/depenses?_sort=montant&_size={3 + attempt}", source="127.0.0.31")
        waits.append(time.monotonic() - started)
        assert page.status == 200
    for thread in hogs:
        thread.join(60)
    assert set(statuses) <= {400, 429, 503} and 400 in statuses
    # each slow query runs 1.5 s: the other client never waited behind one
    assert sorted(waits)[len(waits) // 2] < 1.0, waits
    assert_still_serving(server)
