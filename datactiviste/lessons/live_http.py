"""One bounded HTTP exchange with the trainer's classroom server, for the live room.

A learner's laptop talks to a laptop on a phone's hotspot that may vanish at any moment, or to
whatever answers at a mistyped address. So: plain http:// to the address she typed and nothing
else (no redirect followed, no proxy, no https), a connect timeout and a hard deadline for the
whole exchange (a watchdog cuts a server that drips its answer), an answer read with a cap, and
every failure turned into a sentence she can act on — never an exception text.
"""

from __future__ import annotations

import errno
import http.client
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from datactiviste import __version__
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

ENDPOINT = "/-/atelier/envoi"
CONNECT_TIMEOUT = 2.0
MAX_ANSWER = 64 * 1024
MAX_SHOWN = 300   # characters of a server's message shown in the terminal


@dataclass(frozen=True)
class Address:
    """Where the trainer's server is: host and port only (a path the learner pasted is dropped)."""
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


class Unreachable(Exception):
    """The network: refused, too slow, cut. What was not sent stays queued, quietly.
    `slow`: the deadline passed (the learner waited), rather than a quick refusal."""

    def __init__(self, message: str, slow: bool = False):
        super().__init__(message)
        self.slow = slow


class WrongAnswer(Exception):
    """Something answered, but not as the live room does (redirect, too big, not JSON...)."""


@dataclass
class Answer:
    status: int
    data: dict
    retry_after: str | None = None

    def server_message(self) -> str | None:
        """The server's own `error` sentence, made safe for a terminal."""
        message = self.data.get("error")
        return printable(message) if isinstance(message, str) and message.strip() else None


def parse_address(text: str) -> Address:
    """`http://192.168.43.1:8001` (or `192.168.43.1:8001`) -> Address; anything else refused."""
    text = (text or "").strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    example = dict(hint=_("Type the address shown by the trainer, e.g. "
                          "datactiviste lesson join http://192.168.43.1:8001 K7P2QX"))
    if parts is None or not parts.hostname or (port is not None and not 0 < port < 65536):
        raise DatactivisteError(_("Not a server address: {text}").format(text=printable(text)), **example)
    if parts.scheme.lower() == "https":
        raise DatactivisteError(_("The classroom server speaks http://, not https://."), **example)
    if parts.scheme.lower() != "http":
        raise DatactivisteError(_("Only http:// addresses can be joined, not {scheme}://.").format(
            scheme=printable(parts.scheme)), **example)
    if parts.username or parts.password:
        raise DatactivisteError(_("A classroom address has no user name or password in it."), **example)
    return Address(parts.hostname, port or 80)


# CSI (colours, cursor, clear screen), charset switches, OSC (window title) and any other escape
TERMINAL_CODE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[()*+].|\][^\x07\x1b]*(\x07|\x1b\\)?|.)"
                           r"|\x9b[0-?]*[ -/]*[@-~]", re.S)


def printable(text: str, limit: int = MAX_SHOWN) -> str:
    """One line of printable characters: no terminal escape codes from a hostile server."""
    text = TERMINAL_CODE.sub("", str(text))
    cleaned = " ".join("".join(c for c in text if c.isprintable()).split())
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 1] + "…"


def post(address: Address, payload: dict, deadline: float) -> Answer:
    """POST `payload` as JSON to the live room before `deadline` (time.monotonic()).

    Raises Unreachable when the network fails or the deadline passes, WrongAnswer when the
    answer is not the live room's; any HTTP status with a JSON object comes back as an Answer.
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise Unreachable(_("the trainer's server at {url} did not answer in time.").format(url=address.url),
                          slow=True)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    connection = http.client.HTTPConnection(address.host, address.port, timeout=min(CONNECT_TIMEOUT, remaining))
    cut = threading.Event()

    def watchdog():
        cut.set()
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(remaining, watchdog)
    timer.daemon = True
    timer.start()
    try:
        connection.connect()
        connection.sock.settimeout(max(0.05, deadline - time.monotonic()))
        connection.request("POST", ENDPOINT, body, headers={
            "Content-Type": "application/json", "Accept": "application/json",
            "User-Agent": f"datactiviste/{__version__}", "Connection": "close"})
        response = connection.getresponse()
        raw = response.read(MAX_ANSWER + 1)
        status, retry_after = response.status, response.getheader("Retry-After")
        location = response.getheader("Location")
    except (OSError, http.client.HTTPException) as error:
        if cut.is_set() or isinstance(error, (socket.timeout, TimeoutError)):
            raise Unreachable(_("the trainer's server at {url} did not answer in time.").format(
                url=address.url), slow=True) from None
        if isinstance(error, http.client.HTTPException) and not isinstance(error, http.client.RemoteDisconnected):
            raise WrongAnswer(_("the server at {url} did not answer like a datactiviste classroom.").format(
                url=address.url)) from None
        raise Unreachable(_network_reason(error, address)) from None
    finally:
        timer.cancel()
        connection.close()
    if cut.is_set():   # the watchdog closed the socket: what was read is only part of an answer
        raise Unreachable(_("the trainer's server at {url} did not answer in time.").format(url=address.url),
                          slow=True)
    return _read_answer(address, status, raw, retry_after, location)


def _read_answer(address: Address, status: int, raw: bytes, retry_after, location) -> Answer:
    if 300 <= status < 400:
        raise WrongAnswer(_("the server at {url} answered with a redirection (HTTP {status}{target}), which "
                            "is not followed: check the address the trainer gave.").format(
            url=address.url, status=status, target=f" → {printable(location, 80)}" if location else ""))
    if len(raw) > MAX_ANSWER:
        raise WrongAnswer(_("the server at {url} sent a far too long answer (over {size} KB): it is not a "
                            "datactiviste classroom.").format(url=address.url, size=MAX_ANSWER // 1024))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        if status == 404:
            raise WrongAnswer(_("there is no live room at {url}: is the trainer's server started with "
                                "datactiviste serve --classroom?").format(url=address.url))
        raise WrongAnswer(_("the server at {url} did not answer like a datactiviste classroom "
                            "(HTTP {status}).").format(url=address.url, status=status))
    return Answer(status, data, retry_after)


def _network_reason(error: OSError | http.client.HTTPException, address: Address) -> str:
    """Why the server could not be reached, in words (the OS's own text is English only)."""
    if isinstance(error, ConnectionRefusedError):
        return _("the trainer's server at {url} does not answer (connection refused).").format(url=address.url)
    if isinstance(error, socket.gaierror):
        return _("the address {host} is not known on this network.").format(host=printable(address.host, 80))
    if isinstance(error, OSError) and error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL,
                                                      errno.ENETDOWN):
        return _("this computer has no route to {url}: is it on the trainer's Wi-Fi?").format(url=address.url)
    return _("the connection to the trainer's server at {url} was cut.").format(url=address.url)
