"""Answer only the people this server is for: its own addresses, and pages of its own origin.

`SiteGuard` is the outermost ASGI layer, in local and classroom mode, before any cache:

- **Host**: a request must name the address it actually arrived on (the connection's local
  address, with its port) — or, on a loopback connection, `localhost` / `127.0.0.1` / `[::1]`.
  A DNS-rebinding page (`Host: attacker.example:8001`) and any other name are refused, so a
  local server is only reachable as 127.0.0.1 and a classroom one only at its LAN addresses.
- **Cross-site requests**: every page of ours runs SQL (table pages too) and one changes data
  (the upload form), and none is meant to be driven by another site. A request with
  `Sec-Fetch-Site` other than `same-origin`/`none` (cross-site, same-site: another port of
  127.0.0.1 is "same-site"), or with an `Origin` that is not this server, is refused. A person
  who followed a link from elsewhere gets a page with a link to continue here, which is then a
  same-origin click of their own.
"""

from __future__ import annotations

import ipaddress

from datactiviste.serve.refusals import refuse

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
OWN_SITE_FETCHES = (b"same-origin", b"none")


def split_host(value: str) -> tuple[str, int | None] | None:
    """("name", port or None) from a Host header value; None when it cannot be read."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[:end + 1], value[end + 1:]
    else:
        name, _sep, port_text = value.partition(":")
        rest = ":" + port_text if _sep else ""
    if not rest:
        return name, None
    if not rest.startswith(":") or not rest[1:].isdigit():
        return None
    return name, int(rest[1:])


def own_names(local_address: str | None) -> set[str]:
    """The host names a request arriving on `local_address` may use."""
    if not local_address:
        return set(LOOPBACK_NAMES)
    try:
        address = ipaddress.ip_address(local_address.split("%")[0])
    except ValueError:
        return set(LOOPBACK_NAMES)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    literal = f"[{address}]" if address.version == 6 else str(address)
    return {literal} | (set(LOOPBACK_NAMES) if address.is_loopback else set())


def host_is_ours(host_header: str | None, server: tuple | None) -> bool:
    """True when the Host header names the address and port the connection arrived on."""
    if not host_header:
        return False
    parsed = split_host(host_header)
    if parsed is None:
        return False
    name, port = parsed
    local_address, local_port = (server[0], server[1]) if server else (None, None)
    if local_port is not None and (port or 80) != local_port:
        return False
    return name in own_names(local_address)


def cross_site(headers: dict, host_header: str) -> bool:
    """True for a request sent by a page of another origin (or an opaque one: file://, sandbox)."""
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None and fetch_site.strip().lower() not in OWN_SITE_FETCHES:
        return True
    origin = headers.get(b"origin")
    if origin is not None:
        return origin.decode("latin-1").strip().lower() != "http://" + host_header.strip().lower()
    return False


def own_relative_url(scope) -> str:
    """The requested path and query as a link that can only lead to this server (never `//host`)."""
    from urllib.parse import quote

    raw = scope.get("raw_path") or quote(scope.get("path", "/")).encode()
    query = scope.get("query_string", b"")
    path = "/" + raw.decode("latin-1").lstrip("/\\")
    return path + ("?" + query.decode("latin-1") if query else "")


class SiteGuard:
    """ASGI middleware: unknown hosts and cross-site requests are refused before anything runs."""

    def __init__(self, app, translator):
        self.app = app
        self.translator = translator

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        _ = self.translator.gettext
        language = self.translator.language
        headers = dict(scope.get("headers", []))
        host = headers.get(b"host", b"").decode("latin-1")
        if not host_is_ours(host, scope.get("server")):
            return await refuse(send, scope, 421, _(
                "This server only answers at its own address. Open the address datactiviste "
                "printed when it started (for example http://127.0.0.1:8001/)."), language)
        if cross_site(headers, host):
            link = None
            if scope.get("method") == "GET" and headers.get(b"sec-fetch-mode") == b"navigate":
                link = (own_relative_url(scope), _("Continue to this datactiviste page"))
            return await refuse(send, scope, 403, _(
                "Refused: this request was sent by another web site or file. datactiviste only "
                "answers its own pages."), language, link=link)
        return await self.app(scope, receive, send)
