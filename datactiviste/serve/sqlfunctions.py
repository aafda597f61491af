"""Linear-time replacements for the SQLite functions whose cost one query could make unbounded.

SQLite checks its time limit (progress handler) and interrupts between virtual-machine steps,
never inside a function call. Its `instr`, `replace` and `trim(x, chars)` compare every
position with every character of the other argument, and `printf('%.*c', 2000000000, 'x')`
loops two billion times before it gives NULL: one such call holds a core for seconds to hours.
These versions give the same results (NULL in, NULL out; text positions in characters, blob
positions in bytes) in time proportional to their input, and refuse widths past `MAX_WIDTH`.
Registered on every served connection by `sqlguard`; an application-defined function with the
same name and number of arguments takes the place of the built-in one.
"""

from __future__ import annotations

import re
import sqlite3
import threading

MAX_WIDTH = 100_000  # the largest printf width or precision; real formatting uses a few digits
_DIRECTIVE = re.compile(r"%([-+ 0#,!]*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])")
_builtin = threading.local()


class FunctionLimit(ValueError):
    """Raised inside a function call; SQLite reports it as an error of the query."""


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)


def instr(haystack, needle):
    if haystack is None or needle is None:
        return None
    if isinstance(haystack, bytes) and isinstance(needle, bytes):
        return haystack.find(needle) + 1
    return _text(haystack).find(_text(needle)) + 1


def make_replace(max_bytes: int):
    def replace(text, old, new):
        if text is None or old is None or new is None:
            return None
        text, old, new = _text(text), _text(old), _text(new)
        if not old:
            return text
        if len(new) > len(old) and len(text) + text.count(old) * (len(new) - len(old)) > max_bytes:
            raise FunctionLimit("replace: result too big")
        return text.replace(old, new)
    return replace


def _strip(text, characters, left: bool, right: bool):
    if text is None or characters is None:
        return None
    text, chosen = _text(text), set(_text(characters))
    start, end = 0, len(text)
    while left and start < end and text[start] in chosen:
        start += 1
    while right and end > start and text[end - 1] in chosen:
        end -= 1
    return text[start:end]


def printf(form, *arguments):
    """SQLite's own printf, once every width and precision is known to be small."""
    if form is None:
        return None
    form = _text(form)
    position = 0
    for directive in _DIRECTIVE.finditer(form):
        for size in directive.group(2, 3):
            if size == "*":
                value = arguments[position] if position < len(arguments) else 0
                position += 1
                try:
                    size = abs(int(value or 0))
                except (TypeError, ValueError):
                    size = 0
            if size not in (None, "*") and int(size) > MAX_WIDTH:
                raise FunctionLimit(f"printf: width over {MAX_WIDTH}")
        if directive.group(4) != "%":
            position += 1
    connection = getattr(_builtin, "connection", None)
    if connection is None:  # a private connection where printf is still SQLite's
        connection = _builtin.connection = sqlite3.connect(":memory:", check_same_thread=False)
    marks = ", ".join("?" * (len(arguments) + 1))
    return connection.execute(f"SELECT printf({marks})", (form, *arguments)).fetchone()[0]


def install_bounded_functions(connection, max_bytes: int) -> None:
    connection.create_function("instr", 2, instr, deterministic=True)
    connection.create_function("replace", 3, make_replace(max_bytes), deterministic=True)
    connection.create_function("trim", 2, lambda t, c: _strip(t, c, True, True), deterministic=True)
    connection.create_function("ltrim", 2, lambda t, c: _strip(t, c, True, False), deterministic=True)
    connection.create_function("rtrim", 2, lambda t, c: _strip(t, c, False, True), deterministic=True)
    for name in ("printf", "format"):
        connection.create_function(name, -1, printf, deterministic=True)
