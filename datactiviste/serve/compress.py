"""Gzip for text answers (HTML, JSON, CSV, JS, CSS, SVG, GeoJSON): over a phone hotspot every byte
counts, and these shrink 4 to 10 times.

`GzipResponses` is ASGI middleware. A response is compressed only when the client said
`Accept-Encoding: gzip`, its type is text (`COMPRESSIBLE_TYPES`: never PNG, zip, xlsx or a
database download, already compressed or binary), it has no `Content-Encoding` yet, its body is
at least `MIN_BYTES` (below that the gzip header and the CPU are not worth it), and it carries no
secret an attacker could guess through the compressed size (BREACH): no `Set-Cookie` and no
`csrftoken` in the body (the upload form of local mode); such answers go out as they are.
Every response of a compressible type says `Vary: Accept-Encoding`, compressed or not, so no
cache between hands a gzip body to a client that did not ask for one.

Memory stays bounded: up to `BUFFER_BYTES` of a body are held, then compressed at once with the
right `content-length`. A longer body (a big CSV or JSON export that Datasette streams, of
unknown size) is compressed as it streams, with constant memory and no `content-length`, so a
30 MB CSV crosses the hotspot as ~5 MB without waiting for its end; a longer HTML page (rare:
it is where a form's token would be) goes out uncompressed rather than unchecked.

Where it sits (launch.make_app): inside `ClassroomGuard`, which caches the compressed variant
under its own key, so a page is compressed once for the whole room; outside `ResponseCap`, which
keeps counting the bytes Datasette builds, the ones that cost the server memory and time,
whatever they compress to.
"""

from __future__ import annotations

import asyncio
import gzip
import zlib

COMPRESSIBLE_TYPES = frozenset({
    "text/html", "text/plain", "text/csv", "text/css", "text/javascript", "text/xml",
    "application/javascript", "application/x-javascript", "application/json",
    "application/geo+json", "application/xml", "image/svg+xml"})
STREAMABLE_TYPES = COMPRESSIBLE_TYPES - {"text/html"}  # never holds a form's token
MIN_BYTES = 1024
BUFFER_BYTES = 1024 * 1024
LEVEL = 6                   # zlib's default: ~all of level 9's gain at a third of its time
THREAD_BYTES = 128 * 1024   # a body this big is compressed off the event loop (~5 ms and up)
SECRET_MARKERS = (b"csrftoken",)
UNCOMPRESSIBLE_STATUSES = frozenset({204, 206, 304})


def accepts_gzip(scope) -> bool:
    """Whether the request's Accept-Encoding allows gzip (`gzip;q=0` refuses it)."""
    for name, value in scope.get("headers", []):
        if name.lower() != b"accept-encoding":
            continue
        for part in value.decode("latin-1").lower().split(","):
            coding, _sep, params = part.strip().partition(";")
            if coding.strip() not in ("gzip", "x-gzip", "*"):
                continue
            quality = params.strip()
            if quality.startswith("q="):
                try:
                    return float(quality[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def compressible_type(headers) -> bool:
    return _media_type(headers) in COMPRESSIBLE_TYPES


def _media_type(headers) -> str:
    for name, value in headers:
        if name.lower() == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return ""


def _header(headers, wanted: bytes):
    return next((value for name, value in headers if name.lower() == wanted), None)


def _with_vary(headers) -> list:
    """`headers` with Accept-Encoding in its Vary (added once)."""
    vary = _header(headers, b"vary")
    if vary is None:
        return headers + [(b"vary", b"Accept-Encoding")]
    if b"accept-encoding" in vary.lower() or vary.strip() == b"*":
        return headers
    return [(name, value + b", Accept-Encoding" if name.lower() == b"vary" else value)
            for name, value in headers]


def _gzip_headers(headers, length: int | None) -> list:
    """The headers of the compressed answer: its encoding and length, a weak ETag of its own."""
    kept = []
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"content-length":
            continue
        if lowered == b"etag":
            value = b"W/" + value.removeprefix(b"W/").rstrip(b'"') + b'-gzip"'
        kept.append((name, value))
    kept.append((b"content-encoding", b"gzip"))
    if length is not None:
        kept.append((b"content-length", str(length).encode()))
    return kept


async def gzip_bytes(body: bytes) -> bytes:
    """The gzip of `body` (mtime 0: the same page always gives the same bytes)."""
    if len(body) >= THREAD_BYTES:
        return await asyncio.to_thread(gzip.compress, body, LEVEL, mtime=0)
    return gzip.compress(body, LEVEL, mtime=0)


class GzipResponses:
    """ASGI middleware: gzip the text answers of clients that accept it (see the module's doc)."""

    def __init__(self, app, min_bytes: int = MIN_BYTES, buffer_bytes: int = BUFFER_BYTES):
        self.app = app
        self.min_bytes = min_bytes
        self.buffer_bytes = buffer_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") == "HEAD":
            return await self.app(scope, receive, send)
        await _Response(self, accepts_gzip(scope), send).run(scope, receive)


class _Response:
    """One response on its way out: passing, held (deciding), or streaming compressed."""

    def __init__(self, middleware: GzipResponses, accepted: bool, send):
        self.middleware = middleware
        self.accepted = accepted
        self.send = send
        self.start = None
        self.held: list[bytes] = []
        self.held_bytes = 0
        self.mode = "pass"  # pass | hold (deciding) | stream (compressing) | done
        self.compressor = None

    async def run(self, scope, receive):
        await self.middleware.app(scope, receive, self.on_message)
        if self.mode == "hold":  # the app stopped before its last body part: pass on what it sent
            self.mode = "pass"
            await self.send(self.start)
            if self.held:
                await self.send({"type": "http.response.body", "body": b"".join(self.held),
                                 "more_body": True})

    async def on_message(self, message):
        if message["type"] == "http.response.start":
            return await self.on_start(message)
        if message["type"] != "http.response.body" or self.mode in ("pass", "done"):
            return await self.send(message)
        body, more = message.get("body", b""), message.get("more_body", False)
        if self.mode == "stream":
            return await self.send_streamed(body, more)
        self.held.append(body)
        self.held_bytes += len(body)
        if not more:
            return await self.finish_held()
        if self.held_bytes > self.middleware.buffer_bytes:
            await self.overflow()

    async def on_start(self, message):
        headers = list(message.get("headers", []))
        if not compressible_type(headers):
            return await self.send(message)
        headers = _with_vary(headers)
        message = {**message, "headers": headers}
        if (not self.accepted or message.get("status") in UNCOMPRESSIBLE_STATUSES
                or _header(headers, b"content-encoding") is not None
                or _header(headers, b"set-cookie") is not None):
            return await self.send(message)
        self.start, self.mode = message, "hold"

    async def finish_held(self):
        body = b"".join(self.held)
        self.held, self.mode = [], "done"
        if len(body) < self.middleware.min_bytes or any(marker in body for marker in SECRET_MARKERS):
            return await self.send_plain(body, more=False)
        compressed = await gzip_bytes(body)
        headers = _gzip_headers(self.start["headers"], len(compressed))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": compressed})

    async def overflow(self):
        """More than the buffer and more to come: compress as it streams, or let it pass."""
        body = b"".join(self.held)
        self.held = []
        if (_media_type(self.start["headers"]) not in STREAMABLE_TYPES
                or any(marker in body for marker in SECRET_MARKERS)):
            self.mode = "pass"
            return await self.send_plain(body, more=True)
        self.mode = "stream"
        self.compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)  # 31: a gzip stream
        await self.send({**self.start, "headers": _gzip_headers(self.start["headers"], None)})
        await self.send_streamed(body, more=True)

    async def send_plain(self, body: bytes, more: bool):
        """The held answer as the app made it (its Vary added)."""
        headers = self.start["headers"]
        if not more and _header(headers, b"content-length") is None:
            headers = headers + [(b"content-length", str(len(body)).encode())]
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": more})

    async def send_streamed(self, body: bytes, more: bool):
        out = self.compressor.compress(body) if body else b""
        if not more:
            out += self.compressor.flush()
        if out or not more:
            await self.send({"type": "http.response.body", "body": out, "more_body": more})
