"""SQLite URIs that work for any path: Windows drive letters, spaces, '#' and '?' in names."""

from __future__ import annotations

from pathlib import Path


def readonly_uri(path, immutable: bool = False) -> str:
    """`file:///C:/dossier%20donn%C3%A9es/x.db?mode=ro` (or `?immutable=1`): for sqlite3.connect(uri=True).

    An f-string `file:{path}` breaks on Windows paths and on names with '?' or '#'; a file URI
    built by pathlib percent-encodes them, and SQLite decodes it.
    """
    return Path(path).resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
