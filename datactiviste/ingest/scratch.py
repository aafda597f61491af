"""The scratch folder where worker processes write the parts of a big import, and its cleaning.

A folder that outlives its import (the program was killed with kill -9, the machine lost power)
holds part databases as big as the file imported. Each folder has a recognisable name and, beside
it, a `.lock` file that its import (and each of its workers) keeps locked while it runs; the
operating system releases the lock when the process dies, however it dies. Every import first
removes the folders whose lock nobody holds any more, so nothing is left behind, and never
touches a folder that a live process still uses.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PREFIX = "datactiviste-scratch-"
ORPHAN_SECONDS = 3600    # a folder without its lock file (a crash while creating it) after this


def _lock(handle, exclusive: bool) -> bool:
    """Take the lock on an open file without waiting; False when another process holds it.

    Windows has only exclusive locks, and refuses to delete a file another process has open:
    there the owner's lock alone protects the folder.
    """
    try:
        if os.name == "nt":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def lock_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".lock")


def hold(folder: Path):
    """Mark `folder` as in use for as long as the returned file stays open. Worker processes call
    it too, so that a folder is not removed while a worker outlives a killed main process."""
    handle = open(lock_path(folder), "rb")
    _lock(handle, exclusive=False)
    return handle


def remove_abandoned(root: Path | None = None) -> list[Path]:
    """Delete the scratch folders under `root` (the temporary folder) that no live process holds."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        names = {entry.name for entry in os.scandir(root) if entry.name.startswith(PREFIX)}
    except OSError:
        return removed
    for name in sorted(names):
        if name.endswith(".lock"):
            lock = root / name
            try:
                handle = open(lock, "rb")
            except OSError:
                continue          # removed meanwhile, or not ours to open
            try:
                if not _lock(handle, exclusive=True):
                    continue      # a live import holds it
                folder = root / name[:-len(".lock")]
                shutil.rmtree(folder, ignore_errors=True)
                try:
                    lock.unlink()
                except OSError:
                    pass
                removed.append(folder)
            finally:
                handle.close()
        elif name + ".lock" not in names:
            folder = root / name
            try:
                orphan = time.time() - folder.stat().st_mtime > ORPHAN_SECONDS
            except OSError:
                continue
            if orphan and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _locked_lock_file(root: Path):
    """A new lock file under `root`, locked by this process (retried if a cleaner took it first)."""
    while True:
        descriptor, name = tempfile.mkstemp(prefix=f"{PREFIX}{os.getpid()}-", suffix=".lock", dir=root)
        handle = os.fdopen(descriptor, "rb")
        _lock(handle, exclusive=os.name == "nt")
        try:
            if os.stat(name).st_ino == os.fstat(handle.fileno()).st_ino:
                return handle, Path(name)
        except OSError:
            pass
        handle.close()            # a cleaner deleted it between its creation and our lock


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A fresh scratch folder, locked while the block runs and deleted after it; the abandoned
    folders of earlier imports are removed first."""
    root = Path(tempfile.gettempdir())
    remove_abandoned(root)
    handle, lock = _locked_lock_file(root)
    folder = lock.with_name(lock.name[:-len(".lock")])
    try:
        folder.mkdir()
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        handle.close()
        try:
            lock.unlink()
        except OSError:
            pass
