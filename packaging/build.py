"""Build the frozen datactiviste: `python packaging/build.py [--mode onefile|onedir|both]`.

Runs PyInstaller on `packaging/datactiviste.spec` in this Python environment and leaves:
  dist/datactiviste[.exe]                     the one-file program (copy it anywhere)
  dist/datactiviste-folder/datactiviste[.exe] the one-folder build (faster start, many files)
then prints the sizes. `make dist` calls this; CI on Windows and macOS calls it too.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "datactiviste.spec"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""


def onefile_path(dist: Path) -> Path:
    return dist / f"datactiviste{EXE_SUFFIX}"


def folder_path(dist: Path) -> Path:
    return dist / "datactiviste-folder" / f"datactiviste{EXE_SUFFIX}"


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def glibc_version() -> str | None:
    if not sys.platform.startswith("linux"):
        return None
    name, version = platform.libc_ver()
    return f"{name} {version}" if name else None


def required_glibc(folder: Path) -> str | None:
    """The newest GLIBC_x.y symbol any bundled ELF file needs: the oldest Linux it runs on."""
    objdump = shutil.which("objdump")
    if not sys.platform.startswith("linux") or objdump is None or not folder.is_dir():
        return None
    versions = set()
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            output = subprocess.run([objdump, "-T", str(path)], capture_output=True, text=True).stdout
            versions.update(re.findall(r"GLIBC_(\d+\.\d+)", output))
    return max(versions, key=lambda v: tuple(map(int, v.split(".")))) if versions else None


def build(mode: str = "both", dist: Path = ROOT / "dist", work: Path = ROOT / "build" / "pyinstaller",
          clean: bool = False) -> dict:
    """Run PyInstaller; returns {"seconds", "onefile", "folder"} (paths that were built)."""
    env = dict(os.environ, DATACTIVISTE_BUILD=mode, PYTHONHASHSEED="0")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    started = time.monotonic()
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    seconds = time.monotonic() - started
    built = {"seconds": round(seconds, 1)}
    onefile_built = dist / f"datactiviste-onefile{EXE_SUFFIX}"
    if mode in ("onefile", "both"):
        os.replace(onefile_built, onefile_path(dist))
        built["onefile"] = onefile_path(dist)
    if mode in ("onedir", "both"):
        built["folder"] = folder_path(dist)
    return built


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["onefile", "onedir", "both"], default="both")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--clean", action="store_true", help="ignore PyInstaller's cache")
    args = parser.parse_args(argv)
    if shutil.which("strip") is None and sys.platform.startswith("linux"):
        print("note: `strip` not found, binaries keep their debug symbols (bigger build)")
    built = build(args.mode, args.dist.resolve(), clean=args.clean)
    print(f"built in {built['seconds']} s with Python {platform.python_version()} "
          f"on {platform.system()} {platform.machine()} ({glibc_version() or 'no glibc'})")
    for key in ("onefile", "folder"):
        if key in built:
            target = built[key] if key == "onefile" else built[key].parent
            print(f"  {key:8s} {tree_size(target) / 2**20:7.1f} MiB  {built[key]}")
    if "folder" in built and (needed := required_glibc(built["folder"].parent)):
        print(f"  runs on Linux with glibc >= {needed} (newest GLIBC symbol the bundled files need)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
