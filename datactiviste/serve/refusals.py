"""The one way our ASGI guards answer "no": a short page a person can read, or JSON for `.json`.

Used by the host/origin guard, the classroom guard and the response cap, so every refusal
looks the same, speaks the page's language and escapes what it repeats.
"""

from __future__ import annotations

import json

from datactiviste.safety import escape_html


def wants_json(scope) -> bool:
    path = scope.get("path", "")
    accept = dict(scope.get("headers", [])).get(b"accept", b"")
    return path.endswith(".json") or (b"application/json" in accept and b"text/html" not in accept)


def refusal_body(scope, status: int, message: str, language: str = "fr",
                 link: tuple[str, str] | None = None) -> tuple[bytes, bytes]:
    """(content type, body) for a refusal; `link` = (relative URL, text) offered to a person."""
    if wants_json(scope):
        body = json.dumps({"ok": False, "error": message, "status": status}, ensure_ascii=False)
        return b"application/json; charset=utf-8", body.encode("utf-8")
    anchor = (f'<p><a href="{escape_html(link[0])}">{escape_html(link[1])}</a></p>' if link else "")
    page = (f'<!DOCTYPE html>\n<html lang="{escape_html(language)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{status}</title></head><body style=\"font-family: sans-serif; margin: 2em\">"
            f"<p>{escape_html(message)}</p>{anchor}</body></html>\n")
    return b"text/html; charset=utf-8", page.encode("utf-8")


async def refuse(send, scope, status: int, message: str, language: str = "fr",
                 extra_headers=None, link: tuple[str, str] | None = None) -> None:
    """Send a complete refusal response (nothing of it is cached: no-store)."""
    content_type, body = refusal_body(scope, status, message, language, link)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"cache-control", b"no-store"),
                            (b"content-length", str(len(body)).encode())] + list(extra_headers or [])})
    await send({"type": "http.response.body", "body": body})
