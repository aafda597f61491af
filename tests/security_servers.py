"""Real servers for the security tests: `datactiviste serve` in its own process on 127.0.0.1.

A separate process so an attack that kills it is seen as such (not as a crashed test run),
and so its memory is read from the outside (/proc: VmRSS now, VmHWM the peak) for the whole
process tree (classroom mode runs worker processes).
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from tests.conftest import ROOT

SERVER_SCRIPT = """
import sys
from datactiviste.serve.launch import prepare
classroom = sys.argv[2] == "classroom"
p = prepare([sys.argv[1]], classroom=classroom, language="fr", host="127.0.0.1", port=0,
            workers=2 if classroom else 1)
print("PORT", p.server.port, flush=True)
p.server.run()
"""


def tree_pids(pid: int) -> list[int]:
    """`pid` and all its descendants (Linux /proc)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                pending += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def memory_mib(pid: int, field_name: str) -> float:
    """Sum of `VmRSS` (now) or `VmHWM` (peak) over the process tree, in MiB."""
    total = 0
    for current in tree_pids(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith(field_name + ":"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


@dataclass
class Response:
    status: int
    headers: dict
    body: str


@dataclass
class RunningServer:
    process: subprocess.Popen
    port: int
    mode: str
    database: Path
    log: Path
    worker_pids: list = field(default_factory=list)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def request(self, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None,
                source: str = "127.0.0.1", timeout: float = 30) -> Response:
        """One HTTP request, with the exact headers given (Host included), from `source` address."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                                source_address=(source, 0))
        try:
            sent = {"Host": self.host, **(headers or {})}
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return Response(response.status, {k.lower(): v for k, v in response.getheaders()},
                            response.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    def sql(self, query: str, database: str = "projet", extension: str = ".json", **kwargs) -> Response:
        return self.request(f"/{database}{extension}?sql={quote(query)}", **kwargs)

    def alive(self) -> bool:
        """The same server process still runs, and answers a real page."""
        if self.process.poll() is not None:
            return False
        return self.request("/projet/communes.json?_shape=array", timeout=20).status == 200

    def rss_mib(self) -> float:
        return memory_mib(self.process.pid, "VmRSS")

    def peak_rss_mib(self) -> float:
        return memory_mib(self.process.pid, "VmHWM")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.log.read_text("utf-8", "replace")


def start_server(database: Path, mode: str, log: Path) -> RunningServer:
    """`datactiviste serve` (local) or `serve --classroom` (2 workers), bound to loopback."""
    handle = log.open("w")
    process = subprocess.Popen([sys.executable, "-c", SERVER_SCRIPT, str(database), mode], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=handle, text=True,
                               env=dict(os.environ, PYTHONUNBUFFERED="1"))
    line = process.stdout.readline()
    if not line.startswith("PORT"):
        process.kill()
        raise RuntimeError("the server did not start: " + log.read_text())
    server = RunningServer(process, int(line.split()[1]), mode, database, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            if server.request("/-/static/app.css", timeout=5).status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            server.stop()
            raise RuntimeError("the server did not answer: " + log.read_text())
        time.sleep(0.2)
    if mode == "classroom":  # both workers must be up, or "alive" would only test one
        deadline = time.monotonic() + 60
        while len(tree_pids(process.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        server.worker_pids = tree_pids(process.pid)[1:]
    return server
