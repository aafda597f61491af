"""A wheel of datactiviste built from the installed package, offline and without build tools.

`pip wheel` needs setuptools/wheel (and the network with build isolation); the kit must be
made on a trainer's laptop with neither. A wheel is a zip of the package plus a `.dist-info`
folder, so we write it directly: the package's files as they are installed (source tree for an
editable install), the installed METADATA and entry points, WHEEL and RECORD. Same package,
same bytes (fixed timestamps, sorted entries).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as metadata
import zipfile
from pathlib import Path

import datactiviste

_DATE = (1980, 1, 1, 0, 0, 0)
_WHEEL = "Wheel-Version: 1.0\nGenerator: datactiviste pack\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def package_files() -> list[tuple[str, Path]]:
    """(path inside the wheel, file) for every file of the datactiviste package."""
    root = Path(datactiviste.__file__).resolve().parent
    return [(f"datactiviste/{p.relative_to(root).as_posix()}", p) for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")]


def _dist_info_files(version: str) -> dict[str, bytes]:
    try:
        dist = metadata.distribution("datactiviste")
        meta = dist.read_text("METADATA") or dist.read_text("PKG-INFO")  # a source tree: egg-info
        entry_points = dist.read_text("entry_points.txt")
        requires = dist.requires or []
    except metadata.PackageNotFoundError:
        meta = entry_points = None
        requires = []
    meta = meta or f"Metadata-Version: 2.1\nName: datactiviste\nVersion: {version}\n"
    if "Requires-Dist:" not in meta and requires:   # without them, pip would install us alone
        head, _sep, body = meta.partition("\n\n")
        meta = head + "".join(f"\nRequires-Dist: {r}" for r in requires) + "\n\n" + body
    entry_points = entry_points or "[console_scripts]\ndatactiviste = datactiviste.cli:main\n"
    return {"METADATA": meta.encode("utf-8"), "WHEEL": _WHEEL.encode(), "entry_points.txt": entry_points.encode("utf-8")}


def wheel_name(version: str = datactiviste.__version__) -> str:
    return f"datactiviste-{version}-py3-none-any.whl"


def build_wheel(folder: Path, version: str = datactiviste.__version__) -> Path:
    """Write FOLDER/datactiviste-VERSION-py3-none-any.whl and return its path."""
    dist_info = f"datactiviste-{version}.dist-info"
    entries = [(name, path.read_bytes()) for name, path in package_files()]
    entries += [(f"{dist_info}/{name}", data) for name, data in sorted(_dist_info_files(version).items())]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in entries)
    entries.append((f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode()))
    target = Path(folder) / wheel_name(version)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, _DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return target
