"""Run the Datasette app in this process with uvicorn: ports, addresses, browser, Ctrl-C.

On one laptop the server listens on 127.0.0.1 only; `--classroom` is the one way to listen on
the network (0.0.0.0), and then every LAN address and a QR code are printed so trainees can
type or scan it. A busy default port is replaced by a free one; a busy port the user asked
for is an error with a hint.
"""

from __future__ import annotations

import errno
import io
import socket
import threading
import time
import webbrowser

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

DEFAULT_PORT = 8001
LOCALHOST = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"


def bind_socket(host: str, port: int | None) -> socket.socket:
    """A listening socket on `port`, or on a free port when `port` is None and 8001 is busy."""
    wanted = DEFAULT_PORT if port is None else port
    for candidate in ([wanted, 0] if port is None else [wanted]):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: refuse to share a port silently
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, candidate))
        except OSError as error:
            sock.close()
            if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1), errno.EACCES):
                continue
            raise DatactivisteError(_("Cannot listen on {host}:{port}: {error}").format(
                host=host, port=candidate, error=error.strerror or error)) from None
        sock.listen(128)
        sock.set_inheritable(True)
        return sock
    raise DatactivisteError(
        _("Port {port} is already in use by another program.").format(port=wanted),
        hint=_("Choose another one, e.g. --port {other}, or leave --port out to get a free one.")
        .format(other=wanted + 1))


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other people on the network can reach (no loopback)."""
    found: list[str] = []
    try:  # the address of the interface that routes outwards; no packet is sent
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
        finally:
            probe.close()
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    unique = []
    for address in found:
        if not address.startswith("127.") and address != "0.0.0.0" and address not in unique:
            unique.append(address)
    return unique


def qr_code_text(url: str) -> str:
    """A QR code drawn with text characters, scannable from the terminal by a phone."""
    import segno

    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()


class Server:
    """uvicorn around an ASGI app, started either in the foreground (CLI) or in a thread (tests)."""

    def __init__(self, app, host: str = LOCALHOST, port: int | None = None, access_log: bool = False,
                 workers: int = 1):
        """`app` is an ASGI app, or with `workers` > 1 the import string of an app factory."""
        import uvicorn

        self.host = host
        self.workers = workers
        self.socket = bind_socket(host, port)
        self.port = self.socket.getsockname()[1]
        self.config = uvicorn.Config(app, log_level="warning", access_log=access_log, lifespan="on",
                                     server_header=False, timeout_graceful_shutdown=3,
                                     workers=workers, factory=workers > 1)
        self.uvicorn = uvicorn.Server(self.config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = LOCALHOST if self.host in (ALL_INTERFACES, LOCALHOST) else self.host
        return f"http://{host}:{self.port}/"

    def run(self) -> None:
        """Serve until Ctrl-C (uvicorn turns SIGINT into a graceful shutdown)."""
        try:
            if self.workers > 1:
                from uvicorn.supervisors import Multiprocess

                Multiprocess(self.config, sockets=[self.socket]).run()
            else:
                self.uvicorn.run(sockets=[self.socket])
        except KeyboardInterrupt:
            pass  # uvicorn re-raises the Ctrl-C it handled; for a server it is the normal way out
        finally:
            self.socket.close()

    def answers(self) -> bool:
        """True once the server accepts HTTP requests (works for worker processes too)."""
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://{LOCALHOST}:{self.port}/-/static/app.css", timeout=2):
                return True
        except OSError:
            return False

    def open_browser_when_ready(self, url: str | None = None, timeout: float = 15) -> None:
        def wait_then_open():
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.answers():
                    webbrowser.open(url or self.url)
                    return
                time.sleep(0.1)
        threading.Thread(target=wait_then_open, daemon=True).start()

    def start_in_thread(self, timeout: float = 15) -> "Server":
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.uvicorn.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
