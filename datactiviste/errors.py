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


# SQLite result codes (https://sqlite.org/rescode.html) that mean the user's disk or file, not a bug.
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_BUSY, _SQLITE_LOCKED = 13, 8, 14, 5, 6
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_NOTADB, _SQLITE_PERM = 10, 11, 26, 3


def database_error(error: Exception, db_path) -> DatactivisteError | None:
    """The user's message for a SQLite failure they can act on (disk full, read-only, locked…).

    None for anything else (a real bug, which the CLI reports as unexpected). The import runs in
    one transaction, so every message can say that the database is as it was.
    """
    from datactiviste.i18n import _

    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    where = str(db_path)
    unchanged = _("Nothing was imported: the database is as it was.")
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return DatactivisteError(_("The disk is full: the import stopped.") + " " + unchanged, path=where,
                                 hint=_("Free some space on the disk (or in the temporary folder), or choose "
                                        "a database on another disk with --db, then import again."))
    if primary in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly database" in text:
        return DatactivisteError(_("The database cannot be written (read-only file or folder).") + " " + unchanged,
                                 path=where, hint=_("Choose another file with --db, or check the file's permissions."))
    if primary == _SQLITE_CANTOPEN or "unable to open database file" in text:
        return DatactivisteError(_("The database file cannot be created or opened."), path=where,
                                 hint=_("Check that its folder exists and that you may write there, or choose "
                                        "another file with --db."))
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return DatactivisteError(_("The database is in use by another program.") + " " + unchanged, path=where,
                                 hint=_("Close the other program (or stop datactiviste serve), then import again."))
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return DatactivisteError(_("The database file is damaged or is not a SQLite database."), path=where,
                                 hint=_("Choose another file with --db (it will be created)."))
    if primary == _SQLITE_IOERR or "disk i/o error" in text:
        return DatactivisteError(_("The disk could not be read or written (input/output error).") + " " + unchanged,
                                 path=where, hint=_("Check the disk or USB key, or choose a database on another disk "
                                                    "with --db."))
    return None
