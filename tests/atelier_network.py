"""Real sockets on 127.0.0.1 for the live-room tests: a hotspot that drops, and servers that lie.

`Hotspot` relays TCP to the classroom server and can be cut the way a phone's hotspot is:
`refuse` (nothing listens: connection refused), `blackhole` (it accepts and never answers: the
learner's deadline must cut it), `lose_answers` (the request reaches the server, its answer is
lost on the way back: the learner must re-send and the server must not count twice) and back
`up` on the same port, while the server keeps its room. Each learner's hotspot reaches the
server from an address of its own (127.0.3.N), as each laptop has its own, and names the
server's own address in the Host header, as a learner who typed the trainer's address does
(the server answers only requests for its own address).
`WrongServer` answers the endpoint as a mistyped address or a hostile machine might: a huge
body, a redirect, a 403 page, HTML, an answer dripped one byte at a time, or a fake token.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time


class Hotspot:
    """A TCP relay from 127.0.0.1:port to `target` that can be cut and restored."""

    def __init__(self, target: tuple[str, int], source: str = "127.0.0.1"):
        self.target = target
        self.source = source
        self.mode = "up"
        self._listener = None
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self.connections = 0   # accepted, whatever the mode: says whether the learner tried
        self.port = 0
        self._listen()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            with self._lock:
                self._open.append(client)
                self.connections += 1
            if self.mode == "blackhole":
                continue   # keep it open, never read, never answer
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=10, source_address=(self.source, 0))
        except OSError:
            client.close()
            return
        with self._lock:
            self._open.append(upstream)
        try:
            upstream.sendall(self._request_head(client))
        except OSError:
            client.close()
            upstream.close()
            return

        def pipe(source, sink, lose=False):
            try:
                while data := source.recv(65536):
                    if not lose:
                        sink.sendall(data)
            except OSError:
                pass
            finally:
                for sock in (source, sink):
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pipe, args=(upstream, client, self.mode == "lose_answers"), daemon=True).start()
        pipe(client, upstream)

    def _request_head(self, client: socket.socket) -> bytes:
        """The request's head with Host naming the server (the rest is relayed as it comes)."""
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            data = client.recv(65536)
            if not data:
                break
            head += data
        lines = head.split(b"\r\n")
        own = f"Host: {self.target[0]}:{self.target[1]}".encode()
        return b"\r\n".join(own if line.lower().startswith(b"host:") else line for line in lines)

    def _drop_connections(self) -> None:
        with self._lock:
            for sock in self._open:
                try:
                    sock.close()
                except OSError:
                    pass
            self._open.clear()

    def refuse(self) -> None:
        """The hotspot is gone: nothing listens on the port any more."""
        self.mode = "refuse"
        if self._listener is not None:
            try:   # wakes the thread blocked in accept(); close() alone leaves the port listening
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        self._drop_connections()

    def blackhole(self) -> None:
        """Connections are accepted and never answered (a weak signal, a frozen laptop)."""
        self.up()
        self.mode = "blackhole"

    def lose_answers(self) -> None:
        """Requests go through, answers never come back (the connection closes without them)."""
        self.up()
        self.mode = "lose_answers"

    def up(self) -> None:
        self.mode = "up"
        self._drop_connections()
        if self._listener is None:
            for _attempt in range(50):   # the same port, as the learner typed it
                try:
                    self._listen()
                    return
                except OSError:
                    time.sleep(0.1)
            raise RuntimeError(f"port {self.port} could not be listened on again")

    def close(self) -> None:
        self.refuse()


class WrongServer:
    """Answers POST /-/atelier/envoi according to `mode`; counts the requests it gets."""

    TOKEN = "tok_" + "A" * 22

    def __init__(self, mode: str = "join-ok"):
        self.mode = mode
        self.requests: list[tuple[str, str, bytes]] = []
        self.acknowledged: list[tuple] = []   # events answered 'accepted' (join-ok mode)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append((self.command, self.path, self.rfile.read(min(length, 1 << 20))))
                server.answer(self)

            do_GET = do_POST

        class Quiet(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass   # the learner hung up on a huge or dripped answer: that is the point

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def payloads(self) -> list[dict]:
        return [json.loads(body) for method, path, body in self.requests if method == "POST" and body]

    def answer(self, handler) -> None:
        def send(status, body: bytes, content_type="application/json", headers=()):
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)

        mode = self.mode
        if mode == "join-ok":
            data = json.loads(self.requests[-1][2])
            if data.get("learner") is None:
                send(200, json.dumps({"v": 1, "learner": self.TOKEN, "name": data["name"]}).encode())
            else:
                self.acknowledged += [tuple(e) for e in data["events"]]
                send(200, json.dumps({"v": 1, "accepted": len(data["events"]), "known": 0}).encode())
        elif mode == "huge":
            send(200, b'{"v": 1, "learner": "' + b"x" * (4 << 20) + b'"}')
        elif mode == "redirect":
            send(302, b"", "text/html", [("Location", "http://127.0.0.1:9/-/atelier/envoi\x1b[2J")])
        elif mode == "forbidden-html":
            send(403, b"<html><body>Forbidden</body></html>", "text/html")
        elif mode == "forbidden-json":
            send(403, json.dumps({"v": 1, "error": "Code faux\x1b[31m\x07 : regardez le tableau."}).encode())
        elif mode == "html":
            send(200, b"<!doctype html><title>Portail captif</title>", "text/html")
        elif mode == "fake-token":
            send(200, json.dumps({"v": 1, "learner": "<script>", "name": "Awa"}).encode())
        elif mode == "busy":
            send(429, json.dumps({"v": 1, "error": "Trop d'envois : attendez une minute."}).encode(),
                 headers=[("Retry-After", "30")])
        elif mode == "drip":
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            handler.wfile.flush()
            try:
                for _ in range(40):
                    handler.wfile.write(b"X")
                    handler.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                pass
        else:
            raise AssertionError(mode)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
