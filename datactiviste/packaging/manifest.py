"""MANIFEST: the sha256 of every file of a kit, and the check of a copied kit against it.

The format is the one `sha256sum` writes (`<hex>  <path>`, sorted, forward slashes), so
`sha256sum -c MANIFEST` works too; `datactiviste pack verify` does the same on every system
and names each missing, corrupted or unexpected file.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.files import sha256_file
from datactiviste.i18n import _

MANIFEST = "MANIFEST"


sha256 = sha256_file  # the project's one file checksum (datactiviste.files)


def kit_files(folder: Path) -> list[str]:
    """Every regular file under `folder` but the MANIFEST, as sorted forward-slash paths.

    Symbolic links are not followed nor listed: a kit holds copies, and a link in a copied kit
    (to /etc/... or elsewhere) must not be read as if it were one of its files.
    """
    folder = Path(folder)
    found = []
    for root, directories, names in os.walk(folder, followlinks=False):
        for name in names:
            path = Path(root) / name
            if not path.is_symlink() and path.is_file():
                relative = path.relative_to(folder).as_posix()
                if relative != MANIFEST:
                    found.append(relative)
    return sorted(found)


def is_inside(relative: str) -> bool:
    """True for a relative forward-slash path that stays inside the kit (no /, .., C:, \\)."""
    parts = relative.split("/")
    return bool(relative) and "\\" not in relative and ":" not in relative and not relative.startswith("/") \
        and all(part not in ("", ".", "..") for part in parts)


def write_manifest(folder: Path) -> Path:
    lines = [f"{sha256(Path(folder) / relative)}  {relative}\n" for relative in kit_files(folder)]
    path = Path(folder) / MANIFEST
    path.write_bytes("".join(lines).encode("utf-8"))
    return path


def read_manifest(folder: Path) -> dict[str, str]:
    """{relative path: sha256}; a missing or unreadable MANIFEST is a user error."""
    path = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise DatactivisteError(_("{path} is not a folder.").format(path=folder),
                                hint=_("Give the kit's folder (the one holding MANIFEST)."))
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise DatactivisteError(_("No MANIFEST in {folder}: this is not a datactiviste kit, or MANIFEST was lost.")
                                .format(folder=folder), hint=_("Copy the kit again from the trainer's stick.")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise DatactivisteError(_("Cannot read {path}: {error}").format(path=path, error=error)) from None
    return parse_manifest(text, str(path))


def parse_manifest(text: str, where: str) -> dict[str, str]:
    """{relative path: sha256} from MANIFEST text; a damaged line or a path leaving the kit is refused."""
    expected = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, separator, relative = line.partition("  ")
        if not separator or len(digest) != 64:
            raise DatactivisteError(_("MANIFEST is damaged."), path=where, line=number,
                                    hint=_("Copy the kit again from the trainer's stick."))
        if not is_inside(relative):
            raise DatactivisteError(_("MANIFEST names a path outside the kit: {name}").format(name=relative[:200]),
                                    path=where, line=number,
                                    hint=_("This kit was altered: copy it again from the trainer's stick."))
        expected[relative] = digest
    return expected


@dataclass
class Verification:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    corrupted: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupted


def verify(folder: Path, progress=None) -> Verification:
    """Compare every file with MANIFEST; files added since (a trainee's work) are only listed."""
    expected = read_manifest(folder)
    present = {relative: (lambda relative=relative: open(Path(folder) / relative, "rb"))
               for relative in kit_files(folder)}
    return compare(expected, present, progress)


def compare(expected: dict[str, str], present: dict, progress=None) -> Verification:
    """Check `present` ({relative path: function opening it for reading}) against `expected`.

    Shared by kit folders and kit zips (read entry by entry, never extracted).
    """
    result = Verification()
    for relative, digest in sorted(expected.items()):
        if progress:
            progress(relative)
        if relative not in present:
            result.missing.append(relative)
        else:
            try:
                with present[relative]() as handle:
                    intact = stream_sha256(handle) == digest
            except (OSError, EOFError, zipfile.BadZipFile):  # unreadable, or a zip entry's CRC is wrong
                intact = False
            if not intact:
                result.corrupted.append(relative)
        result.checked += 1
    result.unexpected = sorted(r for r in present if r not in expected)
    return result


def stream_sha256(handle) -> str:
    """Hex SHA-256 of an open binary stream (a file, or a zip entry being decompressed)."""
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()
