"""Worker processes started ahead of a big delimited file, as early as the command line allows.

A worker ("spawn": a new interpreter) takes 0.1-0.2 s to boot on the 2-core project machine. The
`import` command calls `workers_ahead` before it imports the importer itself (0.1 s of modules and
patterns), so the worker boots meanwhile and starts the encoding scan from the back of the file
while the main process is still getting ready (parallel.Standby, bytescan.SharedScan). This
module imports nothing heavy for that reason; `import_file` makes the same call for files the
command did not (the later files of a list, the library API).
"""

from __future__ import annotations

import os
from pathlib import Path

MIN_PART_BYTES = 16 * 1024 * 1024   # below this, starting a process costs more than it saves
MAX_PARTS = 4                       # SQLite has one writer: more parts only make the merge longer

# First bytes of the formats read whole by a reader of their own (xlsx/ods/zip, xls/doc, JSON):
# never split into parts, so no worker is started for them. A file refused later (a PDF, an
# image) releases the workers it was given (import_file closes the Standby).
_NOT_DELIMITED = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{", b"[")


def automatic_parts(size: int) -> int:
    """As many parts as cores (at most MAX_PARTS), each at least MIN_PART_BYTES."""
    return max(1, min(os.cpu_count() or 1, MAX_PARTS, size // MIN_PART_BYTES))


def workers_ahead(path: Path, jobs: int | None, encoding: str | None):
    """Worker processes started now for a file that will likely be read in parts (a parallel.Standby),
    or None: `--jobs 1`, a small file, a workbook or JSON. `encoding` given: no scan to share."""
    if jobs == 1:
        return None
    try:
        if not path.is_file():
            return None
        count = jobs or automatic_parts(path.stat().st_size)
        if count < 2:
            return None
        with open(path, "rb") as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return None                  # read_tables says what is wrong with the file
    if head.startswith(_NOT_DELIMITED):
        return None
    from datactiviste.ingest import parallel

    return parallel.Standby(count - 1, path if encoding is None else None)
