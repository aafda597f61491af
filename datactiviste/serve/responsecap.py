"""A cap on the bytes of one response built in memory, so no request can make the server hold gigabytes.

`sqlguard` bounds what one query hands to Python; this is the last line, on what leaves: a
response body over the cap is replaced by a clear error when nothing was sent yet, or cut
with a final line saying why when it was streaming. Files streamed from disk (they announce
their size: static assets, the database download) are not built in memory and pass.
"""

from __future__ import annotations

from datactiviste.serve.refusals import refuse

MIB = 1024 * 1024
LOCAL_MAX_RESPONSE_BYTES = 256 * MIB
CLASSROOM_MAX_RESPONSE_BYTES = 16 * MIB


class _Cut(Exception):
    """Stops the app from producing more of a response that was cut."""


class ResponseCap:
    """ASGI middleware counting the body bytes of each response."""

    def __init__(self, app, max_bytes: int, translator):
        self.app = app
        self.max_bytes = max_bytes
        self.translator = translator

    def message(self) -> str:
        return self.translator.gettext(
            "This answer is too big for the server ({size} MB at most). Ask for fewer rows or "
            "columns, or export the data with datactiviste export.").format(size=self.max_bytes // MIB)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        state = {"start": None, "sent": 0, "sized": False, "cut": False}

        async def capped(message):
            if state["cut"]:
                raise _Cut()
            if message["type"] == "http.response.start":
                state["start"] = message  # held until the first body part: it may still be replaced
                state["sized"] = any(name.lower() == b"content-length"
                                     for name, _v in message.get("headers", []))
                return
            if message["type"] == "http.response.body" and not state["sized"]:
                state["sent"] += len(message.get("body", b""))
                if state["sent"] > self.max_bytes:
                    state["cut"] = True
                    if state["start"] is not None:
                        state["start"] = None  # replaced: never sent
                        await refuse(send, scope, 400, self.message(), self.translator.language)
                    else:
                        await send({"type": "http.response.body", "more_body": False,
                                    "body": ("\n\n" + self.message() + "\n").encode("utf-8")})
                    raise _Cut()
            if state["start"] is not None:
                await send(state["start"])
                state["start"] = None
            await send(message)

        try:
            await self.app(scope, receive, capped)
        except _Cut:
            pass
        if state["start"] is not None:  # a response with no body part at all
            await send(state["start"])
