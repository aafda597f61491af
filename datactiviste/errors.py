"""The one exception type users see, and the exit codes the CLI returns.

Library code raises `DatactivisteError` with an already-translated message, an optional
location (file, line, column) and a hint saying what to do. The CLI prints it and exits 2.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    UNEXPECTED = 1
    USER_ERROR = 2
    INTERRUPTED = 130


class DatactivisteError(Exception):
    """A problem the user can fix: bad input, missing file, wrong option."""

    def __init__(self, message: str, *, hint: str | None = None, path: str | None = None,
                 line: int | None = None, column: str | int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.line = line
        self.column = column

    def location(self) -> str:
        """`file:line, column C` as far as it is known (empty when nothing is)."""
        from datactiviste.i18n import _

        parts = []
        if self.path:
            parts.append(str(self.path))
        if self.line is not None:
            parts.append(_("line {line}").format(line=self.line))
        if self.column is not None:
            parts.append(_("column {column}").format(column=self.column))
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return {"error": self.message, "hint": self.hint, "path": self.path,
                "line": self.line, "column": self.column}
