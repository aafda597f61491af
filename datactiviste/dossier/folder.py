"""A dossier folder: `dossier.md`, its front matter (title, database, language) and outputs.

The front matter is a short YAML block between `---` lines at the top of dossier.md, with
French or English keys (`titre`/`title`, `base`/`database`, `langue`/`lang`,
`auteurs`/`authors`). The database path is relative to the folder, so the folder can move
with its database. Directives are read from the whole file, front matter blanked, so every
message gives the line of dossier.md the writer sees in her editor.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import LANGUAGES, _, get_language

DOSSIER_FILE = "dossier.md"
HTML_FILE = "dossier.html"
PDF_FILE = "dossier.pdf"
FACTS_FILE = "dossier-faits.json"      # what the last build computed, for `check`
MAX_TEXT_BYTES = 2_000_000
FRONT_KEYS = {"titre": "title", "title": "title", "base": "database", "database": "database",
              "langue": "lang", "lang": "lang", "language": "lang", "auteurs": "authors",
              "authors": "authors", "sous-titre": "subtitle", "subtitle": "subtitle"}
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(\r?\n|\Z)", re.S)


@dataclass
class Dossier:
    folder: Path
    text: str                     # dossier.md as written
    body: str                     # the same, front matter blanked (same line numbers)
    title: str = ""
    subtitle: str = ""
    authors: str = ""
    lang: str = "fr"
    database: Path | None = None
    meta: dict = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.folder / DOSSIER_FILE

    def output(self, name: str) -> Path:
        return self.folder / name

    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _front_matter(text: str, path: Path) -> tuple[dict, str]:
    import yaml

    match = _FRONT.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DatactivisteError(_("The block between the --- lines at the top is not valid."),
                                path=str(path), line=(mark.line + 2) if mark else 2,
                                hint=_("One setting per line, like “titre: Mon dossier”.")) from None
    if not isinstance(data, dict):
        raise DatactivisteError(_("The block between the --- lines at the top must hold "
                                  "settings like “titre: Mon dossier”."), path=str(path), line=2)
    meta = {}
    for key, value in data.items():
        name = str(key).strip().lower()
        if name not in FRONT_KEYS:
            close = difflib.get_close_matches(name, list(FRONT_KEYS), n=1, cutoff=0.6)
            line = next((i for i, l in enumerate(text.splitlines(), 1)
                         if l.strip().lower().startswith(name)), 2)
            raise DatactivisteError(
                _("Unknown setting “{name}”.").format(name=name), path=str(path), line=line,
                hint=_("Did you mean “{name}”?").format(name=close[0]) if close else
                _("Settings: {names}.").format(names=", ".join(FRONT_KEYS)))
        if isinstance(value, list):   # auteurs: [Awa, Moussa] or one per line with "- "
            value = ", ".join(str(v) for v in value if v is not None)
        meta[FRONT_KEYS[name]] = "" if value is None else str(value).strip()
    blank = re.sub(r"[^\n]", "", match.group(0))
    return meta, blank + text[match.end():]


def read_dossier(folder: str | Path) -> Dossier:
    """Read DIR/dossier.md; raise a clear error when the folder or the database is missing."""
    folder = Path(folder)
    path = folder / DOSSIER_FILE
    if not path.is_file():
        raise DatactivisteError(_("No dossier.md in {folder}.").format(folder=folder),
                                hint=_("Create a dossier with: datactiviste dossier new {folder}")
                                .format(folder=folder))
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise DatactivisteError(_("dossier.md is larger than 2 MB: is it the right file?"),
                                path=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        raise DatactivisteError(_("dossier.md is not UTF-8 text."), path=str(path), line=line,
                                hint=_("Save it as UTF-8 from your editor (Notepad: “Save as”, "
                                       "encoding UTF-8).")) from None
    meta, body = _front_matter(text, path)
    lang = (meta.get("lang") or get_language() or "fr").lower()[:2]
    if lang not in LANGUAGES:
        raise DatactivisteError(_("Unknown language “{lang}”: use fr or en.").format(lang=lang),
                                path=str(path))
    database = folder / (meta.get("database") or "datactiviste.db")
    return Dossier(folder, text, body, meta.get("title", ""), meta.get("subtitle", ""),
                   meta.get("authors", ""), lang, database, meta)


def open_database(dossier: Dossier) -> sqlite3.Connection:
    """The dossier's database, read-only: building or checking never changes the data."""
    database = dossier.database
    if database is None or not database.is_file():
        raise DatactivisteError(
            _("The dossier's database is missing: {path}").format(path=database),
            path=str(dossier.path),
            hint=_("Set “base:” at the top of dossier.md to the project database (e.g. "
                   "base: ../datactiviste.db), or import the data there."))
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        raise DatactivisteError(_("{path} is not a database SQLite can open.").format(
            path=database), path=str(dossier.path)) from None
    return connection


def write_atomically(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, then rename: never a half-written output."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)   # mkstemp's 0600 would hide the file from others
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
