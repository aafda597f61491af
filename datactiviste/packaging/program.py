"""What the kit ships as the program: the running frozen build, else a wheel of the package.

A one-file build is one executable; a one-folder build is copied whole, symlinks replaced by
the files they point to (FAT32 has no symlinks). Files go under `programme/<system>-<arch>/`
so kits holding builds for several systems stay clear.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

_MACHINES = {"amd64": "x86_64", "x86_64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def platform_label() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    machine = platform.machine().lower()
    return f"{system}-{_MACHINES.get(machine, machine or 'unknown')}"


def frozen_files() -> list[tuple[Path, str]]:
    """(file on disk, path in the kit) for the running frozen program."""
    executable = Path(sys.executable).resolve()
    base = f"programme/{platform_label()}"
    bundle = Path(getattr(sys, "_MEIPASS", executable.parent)).resolve()
    if bundle == executable.parent or executable.parent in bundle.parents:  # one-folder build
        folder = executable.parent
        files = []
        for root, _dirs, names in os.walk(folder, followlinks=True):
            for name in names:
                path = Path(root) / name
                files.append((path.resolve(), f"{base}/datactiviste/{path.relative_to(folder).as_posix()}"))
        return sorted(files, key=lambda item: item[1])
    return [(executable, f"{base}/{executable.name}")]


def is_executable(kit_path: str) -> bool:
    """Whether a kit file must keep its execute bit when zipped (the programs themselves)."""
    name = kit_path.rsplit("/", 1)[-1]
    return kit_path.startswith("programme/") and (name in ("datactiviste", "datactiviste.exe") or name.endswith(".exe"))
