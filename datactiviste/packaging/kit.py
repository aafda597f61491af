"""Assemble the offline kit: plan every file, check names and disk space, then write it.

Nothing is written until the whole plan is known and checked: unsafe names, files too large
for FAT32, an unwritable folder or not enough free space stop with a clear message first.
The kit is written into a hidden sibling (`.NAME.partial`) and renamed at the end, so an
interrupted run never leaves a half kit that looks complete. Output is a folder, or a zip when
the name ends with .zip (the MANIFEST is inside it too). Same inputs, same bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import datactiviste
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.packaging import fat32, manifest, program, readme, wheel

SAMPLE_DATA = Path(datactiviste.__file__).resolve().parent / "sample_data"
SPACE_MARGIN = 16 * 1024**2  # leave some room on the stick
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class Kit:
    path: Path
    files: int
    size: int
    notes: list[str] = field(default_factory=list)   # what the user should know (said by the CLI)


def _tree(source: Path, prefix: str) -> list[tuple[Path, str]]:
    """(file, kit path) for a file, or every file of a folder, never following a link out of it.

    A link to a file inside the folder is copied as that file; a link leading outside it (a
    program folder with a link to /etc/...) stops the pack with its name: the kit must not
    carry what the folder does not hold.
    """
    if source.is_file():
        return [(source, f"{prefix}/{source.name}")]
    root = source.resolve()
    files = []
    for folder, directories, names in os.walk(source, followlinks=False):
        directories[:] = sorted(d for d in directories if d != "__pycache__")
        for name in sorted(names) + [d for d in directories if (Path(folder) / d).is_symlink()]:
            path = Path(folder) / name
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    raise DatactivisteError(
                        _("{path} is a link to {target}, outside the folder: pack does not follow it.")
                        .format(path=path, target=target),
                        hint=_("Copy the file into the folder instead of linking to it, or remove the link."))
                if not target.is_file():
                    continue  # a link to a folder inside: its files are packed from their real place
            files.append((path.resolve(), f"{prefix}/{source.name}/{path.relative_to(source).as_posix()}"))
    return sorted(files, key=lambda item: item[1])


PROFILES = ("trainer", "learners")  # the learners' kit has no facilitator pages (solutions)


def _wheels(staging: Path, wheels_from: Path | None, notes: dict | None,
            programs=()) -> list[tuple[Path, str]]:
    """From a pip install: our wheel and every dependency's, for an offline pip install.

    When they cannot be gathered the kit is refused, unless programs were given (`make dist`,
    then `pack --program`): the kit then ships those and no wheel, and promises no pip install."""
    from datactiviste.packaging.dependencies import WheelsUnavailable, dependency_wheels

    folder = staging / "programme"
    folder.mkdir()
    try:
        wheels = dependency_wheels(folder, wheels_from)
    except WheelsUnavailable as refused:
        if programs:
            if notes is not None:
                notes.setdefault("said", []).append(
                    _("The kit holds only the programs given with --program, no wheels: {reason}").format(
                        reason=refused.reason))
            return []
        raise
    built = wheel.build_wheel(folder)
    if notes is not None:
        notes["wheels_for"] = wheels.target
    return [(built, f"programme/{built.name}")] + [(w, f"programme/{w.name}") for w in wheels.files]


def _generated(staging: Path, profile: str = "trainer", wheels_from: Path | None = None,
               notes: dict | None = None, programs=()) -> list[tuple[Path, str]]:
    """Files made for this kit (wheels, handouts) in a temporary folder."""
    files = [] if program.is_frozen() else _wheels(staging, wheels_from, notes, programs)
    try:
        from datactiviste.lessons.handouts import write_handouts
    except ImportError:  # a build without the lessons component: no handouts
        return files
    handouts = staging / "fiches"
    for path in write_handouts(handouts, ["fr", "en"], facilitator=profile == "trainer"):
        files.append((path, f"fiches/{path.relative_to(handouts).as_posix()}"))
    return files


def plan(staging: Path, tiles=(), programs=(), profile: str = "trainer", wheels_from: Path | None = None,
         notes: dict | None = None) -> list[tuple[Path, str]]:
    """(file, path in the kit) for everything but the README and the MANIFEST."""
    files = program.frozen_files() if program.is_frozen() else []
    for given in programs:  # other builds: a one-file program, or a one-folder build's folder
        files += _tree(Path(given), "programme")
    files += _generated(staging, profile, wheels_from, notes, programs)
    if SAMPLE_DATA.is_dir():
        files += [(path, "donnees/" + kit_path.split("/", 2)[2]) for path, kit_path in _tree(SAMPLE_DATA, "x")]
    for tile in tiles:
        tile = Path(tile)
        if not tile.exists():
            raise DatactivisteError(_("Tile pack not found: {path}").format(path=tile))
        files += _tree(tile, "tuiles")
    return files


def _contents(files) -> dict[str, list[str]]:
    """What the README lists: programs and tile packs by name, the other folders by presence."""
    contents: dict[str, list[str]] = {}
    for _path, kit_path in files:
        parts = kit_path.split("/")
        names = contents.setdefault(parts[0], [])
        shown = {"programme": "/".join(parts[1:3]), "tuiles": parts[1]}.get(parts[0])
        if shown and shown not in names:
            names.append(shown)
    return contents


def _prepare_target(target: Path, needed: int) -> Path:
    """The hidden folder to write into, once the target is free, writable and has room."""
    parent = target.parent
    if target.exists() and (target.is_file() or any(target.iterdir())):
        raise DatactivisteError(_("{path} already exists and is not empty.").format(path=target),
                                hint=_("Choose a new folder (or .zip file) name, or empty that folder."))
    if not parent.is_dir():
        raise DatactivisteError(_("The folder {path} does not exist.").format(path=parent),
                                hint=_("Create it first, or choose another place."))
    partial = parent / f".{target.name}.partial"
    try:
        if partial.exists():
            shutil.rmtree(partial) if partial.is_dir() else partial.unlink()
        partial.mkdir()
    except OSError as error:
        raise DatactivisteError(_("Cannot write in {folder}: {error}").format(folder=parent, error=error.strerror or error),
                                hint=_("Choose a folder you can write to (is the USB stick read-only?).")) from None
    free = shutil.disk_usage(partial).free
    if free < needed + SPACE_MARGIN:
        partial.rmdir()
        raise DatactivisteError(
            _("Not enough free space in {folder}: the kit needs {needed} MiB, {free} MiB are free.").format(
                folder=parent, needed=round((needed + SPACE_MARGIN) / 2**20), free=round(free / 2**20)),
            hint=_("Free some space or choose another drive; nothing was written."))
    return partial


def _copy(files, readme_data: bytes, folder: Path, progress) -> None:
    total, done = sum(source.stat().st_size for source, _kit_path in files), 0
    for source, kit_path in files:
        destination = folder / kit_path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)  # contents only: no symlink, no foreign permissions
        if program.is_executable(kit_path):
            destination.chmod(0o755)
        done += source.stat().st_size
        if progress:
            progress(done, total)
    (folder / readme.README_NAME).write_bytes(readme_data)
    manifest.write_manifest(folder)


def _zip(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for relative in manifest.kit_files(folder) + [manifest.MANIFEST]:
            info = zipfile.ZipInfo(relative, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if program.is_executable(relative) else 0o644) << 16
            with open(folder / relative, "rb") as source, archive.open(info, "w", force_zip64=True) as sink:
                shutil.copyfileobj(source, sink, 1 << 20)


def make_kit(output: Path, tiles=(), programs=(), progress: Callable[[int, int], None] | None = None,
             profile: str = "trainer", wheels_from: Path | None = None) -> Kit:
    """Write the kit to OUTPUT (a folder, or a .zip file) and return what was written.

    `progress(bytes_copied, bytes_total)` is called after each file (a USB 2 stick takes
    ~10 s per 100 MiB: the CLI shows a bar)."""
    output = Path(output).absolute()
    as_zip = output.suffix.lower() == ".zip"
    with tempfile.TemporaryDirectory(prefix="datactiviste-pack-") as temporary:
        notes: dict = {}
        files = plan(Path(temporary), tiles, programs, profile, wheels_from, notes)
        contents = _contents(files)
        if notes.get("wheels_for"):
            contents["wheels"] = [notes["wheels_for"]]
        readme_data = readme.readme_bytes(contents)
        sizes = {kit_path: source.stat().st_size for source, kit_path in files}
        sizes[readme.README_NAME] = len(readme_data)
        fat32.check_entries(sizes)
        needed = sum(sizes.values()) + 128 * len(sizes)
        partial = _prepare_target(output, needed * (2 if as_zip else 1))
        try:
            _copy(files, readme_data, partial, progress)
            if as_zip:
                zipped = partial.with_name(partial.name + ".zip")
                _zip(partial, zipped)
                shutil.rmtree(partial)
                os.replace(zipped, output)
            else:
                if output.exists():
                    output.rmdir()  # empty (checked above)
                os.replace(partial, output)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            partial.with_name(partial.name + ".zip").unlink(missing_ok=True)
            raise
    total = output.stat().st_size if as_zip else sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    return Kit(path=output, files=len(sizes) + 1, size=total, notes=notes.get("said", []))


MAX_ENTRY_BYTES = 4 * 1024**3 - 1  # FAT32's largest file: no kit file is bigger
MAX_COMPRESSION_RATIO = 200        # real kit files compress 2-10x; a zip bomb, thousands


def verify_kit(path: Path, progress=None) -> manifest.Verification:
    """Check a kit folder, or a kit .zip entry by entry (nothing extracted), against its MANIFEST."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                return _verify_zip(path, archive, progress)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise DatactivisteError(_("{path} is not a readable zip file: {error}").format(path=path, error=error),
                                    hint=_("Copy the kit again from the trainer's stick.")) from None
    return manifest.verify(path, progress)


def _verify_zip(path: Path, archive: zipfile.ZipFile, progress) -> manifest.Verification:
    entries = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        if not manifest.is_inside(info.filename):
            raise DatactivisteError(_("{path} holds a path outside the kit: {name}").format(
                path=path, name=info.filename[:200]),
                hint=_("This kit was altered: copy it again from the trainer's stick."))
        if info.file_size > MAX_ENTRY_BYTES or (
                info.file_size > 1024**2 and info.file_size > MAX_COMPRESSION_RATIO * max(1, info.compress_size)):
            raise DatactivisteError(_("{path}: the entry {name} would unpack to {size} MiB, far more than it holds: "
                                      "this is not a kit.").format(path=path, name=info.filename[:200],
                                                                   size=info.file_size // 1024**2),
                                    hint=_("Copy the kit again from the trainer's stick."))
        entries[info.filename] = info
    if manifest.MANIFEST not in entries:
        raise DatactivisteError(_("No MANIFEST in {folder}: this is not a datactiviste kit, or MANIFEST was lost.")
                                .format(folder=path), hint=_("Copy the kit again from the trainer's stick."))
    try:
        text = archive.read(entries.pop(manifest.MANIFEST)).decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatactivisteError(_("Cannot read {path}: {error}").format(path=f"{path}/MANIFEST", error=error)) from None
    expected = manifest.parse_manifest(text, f"{path}/{manifest.MANIFEST}")
    present = {name: (lambda info=info: archive.open(info)) for name, info in entries.items()}
    return manifest.compare(expected, present, progress)
