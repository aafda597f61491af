"""Datasette's own CSV downloads go through the project's one formula rule (`safety.neutralise_formula`).

Datasette writes `.csv` pages itself (table, query and row pages, "stream all rows"), with no
hook on the values, so our plugin wraps its ASGI app (`asgi_wrapper`) with `CsvFormulaFilter`:
the CSV body is parsed record by record as it streams, each text cell neutralised, and written
back with the same dialect. Only complete records are rewritten (a record ends at a line break
outside quotes), so a streamed export keeps a constant memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from datactiviste.safety import neutralise_formula

_QUOTE_OR_NEWLINE = re.compile(r'["\n]')


def is_csv_request(scope) -> bool:
    path = scope.get("path", "")
    query = scope.get("query_string", b"")
    return path.endswith(".csv") or b"_format=csv" in query


class CsvRewriter:
    """Feeds CSV text in pieces; returns the neutralised text of the records completed so far."""

    def __init__(self):
        self._pending = ""
        self._in_quotes = False  # the scan's state at the end of `_pending`

    def feed(self, text: str) -> str:
        start, cut = len(self._pending), None
        self._pending += text
        for found in _QUOTE_OR_NEWLINE.finditer(self._pending, start):
            if found.group() == '"':
                self._in_quotes = not self._in_quotes
            elif not self._in_quotes:
                cut = found.end()
        if cut is None:
            return ""
        complete, self._pending = self._pending[:cut], self._pending[cut:]
        return rewrite(complete)

    def finish(self) -> str:
        rest, self._pending = self._pending, ""
        return rewrite(rest) if rest else ""


def rewrite(text: str) -> str:
    """The CSV `text` (complete records) with every cell through `neutralise_formula`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for record in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([neutralise_formula(cell) for cell in record])
    result = out.getvalue()
    return result if text.endswith(("\n", "\r")) else result[:-2]


class CsvFormulaFilter:
    """ASGI middleware: CSV responses of Datasette, formulas neutralised."""

    def __init__(self, app, enabled=lambda: True):
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not is_csv_request(scope) or not self.enabled():
            return await self.app(scope, receive, send)
        state = {"rewriter": None, "decoder": None}

        async def filtered(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = dict(headers).get(b"content-type", b"")
                if message.get("status") == 200 and b"html" not in content_type:
                    state["rewriter"] = CsvRewriter()
                    state["decoder"] = codecs.getincrementaldecoder("utf-8")("replace")
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    message = dict(message, headers=headers)
            elif message["type"] == "http.response.body" and state["rewriter"] is not None:
                more = message.get("more_body", False)
                text = state["rewriter"].feed(state["decoder"].decode(message.get("body", b""), final=not more))
                if not more:
                    text += state["rewriter"].finish()
                message = dict(message, body=text.encode("utf-8"))
            await send(message)

        await self.app(scope, receive, filtered)
