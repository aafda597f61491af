"""Names and sizes that survive a FAT32 USB stick and a Windows laptop.

FAT32 has no symlinks and no files of 4 GiB or more; Windows refuses some characters and
device names (CON, NUL, COM1...) and ignores case, so two names differing by case collide.
The kit is checked against these rules before anything is written.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

FAT32_MAX_FILE = 4 * 1024**3 - 1
MAX_PATH = 200  # leaves room under Windows' 260 characters for the folder the kit is copied to
_ILLEGAL = re.compile(r'[<>:"\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def name_problem(relative: str) -> str | None:
    """Why `relative` (a/b/c, forward slashes) cannot go on FAT32/Windows, or None."""
    if len(relative) > MAX_PATH:
        return _("the path is longer than {count} characters").format(count=MAX_PATH)
    for part in PurePosixPath(relative).parts:
        if _ILLEGAL.search(part):
            return _("the name {name} contains a character Windows refuses").format(name=part)
        if part != part.rstrip(" ."):
            return _("the name {name} ends with a space or a dot").format(name=part)
        if part.split(".")[0].upper() in _RESERVED:
            return _("the name {name} is reserved by Windows").format(name=part)
    return None


def check_entries(entries: dict[str, int]) -> None:
    """Raise on the first unsafe name, too-large file or case collision ({relative: size})."""
    seen: dict[str, str] = {}
    for relative, size in sorted(entries.items()):
        problem = name_problem(relative)
        if problem:
            raise DatactivisteError(_("Cannot put {path} in the kit: {problem}.").format(path=relative, problem=problem),
                                    hint=_("Rename the file, then run the command again."))
        if size > FAT32_MAX_FILE:
            raise DatactivisteError(
                _("{path} is 4 GiB or more: a FAT32 USB stick cannot hold it.").format(path=relative),
                hint=_("Split it into smaller files, or format the stick as exFAT."))
        folded = relative.casefold()
        if folded in seen:
            raise DatactivisteError(
                _("{first} and {second} differ only by case: Windows sees one file.").format(
                    first=seen[folded], second=relative),
                hint=_("Rename one of them, then run the command again."))
        seen[folded] = relative
