"""Every wheel a pip-installed datactiviste needs, so a kit installs with no network.

From a pip install, a kit holding only our wheel cannot work offline: `pip install --no-index`
stops at click. The installed distributions are the wheels that were unpacked here, so each is
packed again from its RECORD (the files pip installed, minus scripts and caches, which pip
rebuilds): the kit then installs on computers with the same system and Python version, with
`pip install --no-index --find-links programme datactiviste`. For another system, a folder of
wheels made there (`pip download datactiviste -d wheels`) is checked and used instead.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as metadata
import platform
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

_DATE = (1980, 1, 1, 0, 0, 0)


class WheelsUnavailable(DatactivisteError):
    """This installation cannot give the wheels a kit needs to install offline."""


def _unavailable(reason: str) -> WheelsUnavailable:
    refused = WheelsUnavailable(
        _("The kit cannot hold the libraries datactiviste needs, so it could not install offline: {reason}")
        .format(reason=reason),
        hint=_("Build the program, then give it to pack: make dist, then "
               "datactiviste pack -o KIT --program dist/datactiviste "
               "(or --wheels DIR, with DIR filled by: pip download datactiviste -d DIR)."))
    refused.reason = reason
    return refused


@dataclass
class Wheels:
    files: list[Path]
    target: str          # 'Python 3.11, Linux x86_64', or 'the system the wheels were made on'


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _marker_holds(marker: str) -> bool | None:
    """True/False when `packaging` can judge a requirement's marker here; None otherwise."""
    if "extra" in marker:
        return False
    try:
        from packaging.markers import Marker
    except ImportError:
        return None
    return Marker(marker).evaluate()


def closure(root: str = "datactiviste") -> list[metadata.Distribution]:
    """The installed distributions `root` needs (not its extras), `root` excluded, by name."""
    seen: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            if name == root:
                raise
            continue  # a requirement for another platform (marker not judged): not installed here
        for requirement in dist.requires or []:
            spec, _sep, marker = requirement.partition(";")
            if marker.strip() and _marker_holds(marker.strip()) is False:
                continue
            wanted = normalise(re.split(r"[\s<>=!~\[(;]", spec.strip(), maxsplit=1)[0])
            if wanted and wanted not in seen and wanted != normalise(root):
                try:
                    seen[wanted] = metadata.distribution(wanted)
                except metadata.PackageNotFoundError:
                    if not marker.strip():
                        raise DatactivisteError(_("{name}, which datactiviste needs, is not installed.")
                                                .format(name=wanted),
                                                hint=_("Reinstall: pip install --force-reinstall datactiviste"))
                    continue
                pending.append(wanted)
    return [seen[k] for k in sorted(seen)]


def _wheel_tag(dist: metadata.Distribution) -> str:
    """The wheel's tag from its installed WHEEL file (py3-none-any, cp311-cp311-manylinux…)."""
    tags = [line.split(":", 1)[1].strip() for line in (dist.read_text("WHEEL") or "").splitlines()
            if line.startswith("Tag:")]
    if not tags:
        return "py3-none-any"
    parts = [t.split("-") for t in tags if t.count("-") == 2]
    return "-".join(".".join(dict.fromkeys(p[i] for p in parts)) for i in range(3))


def repack(dist: metadata.Distribution, folder: Path) -> Path:
    """Write the wheel `dist` was installed from, rebuilt from its RECORD, into `folder`."""
    name, version = dist.metadata["Name"], dist.version
    if not dist.files:
        raise _unavailable(_("{name} was not installed from a wheel (no RECORD).").format(name=name))
    entries = []
    for file in dist.files:
        relative = file.as_posix()
        if relative.startswith("..") or "__pycache__" in relative or relative.endswith((".pyc", "/RECORD",
                                                                                        "/INSTALLER",
                                                                                        "/direct_url.json",
                                                                                        "/REQUESTED")):
            continue
        path = Path(dist.locate_file(file))
        if path.is_file():
            entries.append((relative, path.read_bytes()))
    dist_info = next((r.split("/")[0] for r, _data in entries if r.split("/")[0].endswith(".dist-info")),
                     f"{normalise(name).replace('-', '_')}-{version}.dist-info")
    record = "".join(f"{r},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},"
                     f"{len(d)}\n" for r, d in entries)
    entries.append((f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode()))
    target = Path(folder) / f"{normalise(name).replace('-', '_')}-{version}-{_wheel_tag(dist)}.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, data in sorted(entries):
            info = zipfile.ZipInfo(relative, _DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return target


def this_system() -> str:
    return f"Python {sys.version_info.major}.{sys.version_info.minor}, {platform.system()} {platform.machine()}"


def given_wheels(folder: Path, needed: list[metadata.Distribution]) -> list[Path]:
    """The wheels of a folder made with `pip download`, refused if one dependency is missing."""
    wheels = sorted(Path(folder).glob("*.whl"))
    present = {normalise(w.name.split("-")[0]) for w in wheels}
    missing = [d.metadata["Name"] for d in needed if normalise(d.metadata["Name"]) not in present]
    if missing:
        raise DatactivisteError(
            _("The folder {folder} lacks the wheels of {names}: the kit could not install offline.").format(
                folder=folder, names=", ".join(missing)),
            hint=_("Fill it on a computer with internet: pip download datactiviste -d {folder}").format(
                folder=folder))
    return [w for w in wheels if not w.name.startswith("datactiviste-")]


def dependency_wheels(folder: Path, wheels_from: Path | None = None) -> Wheels:
    """Every dependency's wheel in `folder`: repacked from this installation, or from `wheels_from`.

    WheelsUnavailable when this installation cannot give them (run from a source folder, a
    library installed without a RECORD, files that cannot be read)."""
    try:
        needed = closure()
    except metadata.PackageNotFoundError:
        raise _unavailable(_("datactiviste runs from its source folder, not from a pip install.")) from None
    if wheels_from is not None:
        files = []
        for wheel in given_wheels(wheels_from, needed):
            files.append(Path(shutil.copyfile(wheel, Path(folder) / wheel.name)))
        return Wheels(files, _("the system the wheels of {folder} were made for").format(folder=wheels_from.name))
    try:
        return Wheels([repack(d, folder) for d in needed], this_system())
    except OSError as error:
        raise _unavailable(_("{path} cannot be read ({error}).").format(
            path=error.filename or "?", error=error.strerror or error)) from None
