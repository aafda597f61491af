"""Who is learning: a name, not an OS account.

Two learners often share one laptop and one Windows account. Each works in her own folder and
says her name once (`lesson start 1 --name "Awa Diop"`, or when asked); the name is kept in the
folder (`.datactiviste-apprenant`) so every later command in that folder is hers. Order:
--learner, then DATACTIVISTE_LEARNER, then the folder's name file, then the OS user name.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

NAME_FILE = ".datactiviste-apprenant"
MAX_NAME = 60


def clean_name(name: str) -> str:
    """A display name: printable, one line, at most 60 characters; refused when empty."""
    # Tabs and line breaks separate words like spaces; other control characters go.
    words = "".join(c if c.isprintable() else " " if c.isspace() else "" for c in str(name)).split()
    text = " ".join(words)[:MAX_NAME]
    if not text:
        raise DatactivisteError(_("Give a name (your first name and last name, for the trainer)."))
    return text


def folder_learner(folder: Path) -> str | None:
    path = Path(folder) / NAME_FILE
    try:
        return clean_name(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, UnicodeDecodeError, DatactivisteError):
        return None


def remember_learner(folder: Path, name: str) -> str:
    name = clean_name(name)
    (Path(folder) / NAME_FILE).write_text(name + "\n", encoding="utf-8")
    return name


def os_user() -> str:
    try:
        return getpass.getuser() or "apprenant"
    except Exception:  # noqa: BLE001 - no user name on some Windows set-ups
        return "apprenant"


def current_learner(folder: Path, given: str | None = None) -> tuple[str, bool]:
    """(name, known): `known` is False when only the OS account name was found."""
    for name in (given, os.environ.get("DATACTIVISTE_LEARNER"), folder_learner(folder)):
        if name:
            return clean_name(name), True
    return os_user(), False
