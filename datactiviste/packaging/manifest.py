"""MANIFEST: the sha256 of every file of a kit, and the check of a copied kit against it.

The format is the one `sha256sum` writes (`<hex>  <path>`, sorted, forward slashes), so
`sha256sum -c MANIFEST` works too; `datactiviste pack verify` does the same on every system
and names each missing, corrupted or unexpected file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.files import sha256_file
from datactiviste.i18n import _

MANIFEST = "MANIFEST"


sha256 = sha256_file  # the project's one file checksum (datactiviste.files)


def kit_files(folder: Path) -> list[str]:
    """Every file under `folder` but the MANIFEST, as sorted forward-slash paths."""
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*")
                  if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST)


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
    expected = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, separator, relative = line.partition("  ")
        if not separator or len(digest) != 64:
            raise DatactivisteError(_("MANIFEST is damaged."), path=str(path), line=number,
                                    hint=_("Copy the kit again from the trainer's stick."))
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
    result = Verification()
    for relative, digest in sorted(expected.items()):
        path = Path(folder) / relative
        if progress:
            progress(relative)
        if not path.is_file():
            result.missing.append(relative)
        elif sha256(path) != digest:
            result.corrupted.append(relative)
        result.checked += 1
    result.unexpected = [r for r in kit_files(folder) if r not in expected]
    return result
