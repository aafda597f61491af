"""The deployment folder `datactiviste publish DB... -o DIR` writes, and rewrites in place.

Layout (Datasette's configuration-directory mode, so `datasette serve DIR` runs it as is):
  *.db               the databases (copied only when they changed), opened immutable
  metadata.json      titles, licence, source links, column labels from `_sources`, and our
                     plugin's configuration (language, classroom protections, tiles, robots)
  settings.json      the classroom limits (SQL time limit, response caps, no download)
  inspect-data.json  `datasette inspect` counts, precomputed (start-up reads no table)
  robots.txt         the robots policy, also served at /robots.txt by our plugin
  tiles/             the tile packs under the offline map (--tiles)
  wheels/            datactiviste and every dependency (wheels.py)
  Dockerfile, entrypoint.sh, DEPLOY.md
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from datactiviste.i18n import _
from datactiviste.publish.deploy_text import deploy_markdown
from datactiviste.serve.app import CLASSROOM_SETTINGS, check_database, database_names, table_counts
from datactiviste.serve.translate import Translator

ROBOTS = ("User-agent: *\n"
          "Disallow: /*.csv\n"       # exports and queries cost CPU; pages stay indexable
          "Disallow: /*.json\n"
          "Disallow: /*?sql=\n"
          "Disallow: /-/\n")
PUBLISHED_SETTINGS = {**CLASSROOM_SETTINGS, "allow_download": False, "allow_csv_stream": False}
PORT = 8080  # what Cloud Run and Fly expect by default


@dataclass
class PublishOptions:
    title: str | None = None
    language: str = "fr"
    licence: str | None = None
    about_url: str | None = None
    tiles: tuple = ()


def publish(databases, folder, options: PublishOptions, wheels: bool = True) -> list[str]:
    """Write or update `folder`; returns the names of the files written or changed."""
    from datactiviste.serve.metadata import database_metadata

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [check_database(Path(p)).resolve() for p in databases]
    names = database_names(paths)
    translator = Translator(options.language)
    changed = []
    for stale in folder.glob("*.db"):  # a database dropped from the command line goes
        if stale.stem not in names:
            stale.unlink()
            changed.append(stale.name)
    for name, path in zip(names, paths):
        if _copy_if_changed(path, folder / f"{name}.db"):
            changed.append(f"{name}.db")
    tiles = []
    if options.tiles:
        (folder / "tiles").mkdir(exist_ok=True)
    for tile in options.tiles:
        target = folder / "tiles" / Path(tile).name
        if _copy_if_changed(Path(tile), target):
            changed.append(f"tiles/{target.name}")
        tiles.append(f"tiles/{target.name}")
    metadata = {
        "title": options.title or translator.gettext("datactiviste: your data"),
        "databases": {name: database_metadata(folder / f"{name}.db", name, translator) for name in names},
        "plugins": {"datactiviste": {"lang": options.language, "classroom": True, "tiles": tiles,
                                     "robots": ROBOTS}},
    }
    if options.licence:
        metadata["license"] = options.licence
    if options.about_url:
        metadata["about_url"] = options.about_url
    inspect = {name: {"hash": _sha256(folder / f"{name}.db"), "file": f"{name}.db",
                      "size": (folder / f"{name}.db").stat().st_size,
                      "tables": {t: {"count": n} for t, n in table_counts(folder / f"{name}.db").items()}}
               for name in names}
    version = sys.version_info
    texts = {
        "metadata.json": _json(metadata),
        "settings.json": _json(PUBLISHED_SETTINGS),
        "inspect-data.json": _json(inspect),
        "robots.txt": ROBOTS,
        "Dockerfile": dockerfile(f"{version.major}.{version.minor}.{version.micro}"),
        "entrypoint.sh": ENTRYPOINT,
        "DEPLOY.md": deploy_markdown(metadata["title"]),
        ".dockerignore": "*.part\n",
    }
    for name, text in texts.items():
        if _write_if_changed(folder / name, text):
            changed.append(name)
    os.chmod(folder / "entrypoint.sh", 0o755)
    if wheels:
        from datactiviste.publish.wheels import vendor_wheels

        vendor_wheels(folder / "wheels")
        changed.append("wheels/")
    return changed


def datasette_version() -> str:
    import datasette.version

    return datasette.version.__version__


def dockerfile(python_version: str) -> str:
    """Pinned base (the Python the wheels were built for), pinned Datasette, no index at build."""
    return (
        f"# {_('Written by datactiviste publish; run it again to update this folder.')}\n"
        f"FROM python:{python_version}-slim-bookworm\n"
        "COPY wheels /wheels\n"
        "RUN pip install --no-cache-dir --no-index --find-links /wheels datactiviste "
        f"datasette=={datasette_version()} && rm -rf /wheels\n"
        "WORKDIR /app\n"
        "COPY . /app\n"
        "RUN rm -rf /app/wheels\n"
        f"ENV HOST=0.0.0.0 PORT={PORT} WORKERS=1\n"
        f"EXPOSE {PORT}\n"
        'CMD ["/app/entrypoint.sh"]\n')


ENTRYPOINT = """#!/bin/sh
# Serve this folder: Datasette with the datactiviste plugin, databases immutable.
# HOST (0.0.0.0 in a container), PORT (8080), WORKERS (processes, one per core).
set -e
cd "$(dirname "$0")"
export DATACTIVISTE_PUBLISHED="$(pwd)"
exec python -m uvicorn --factory datactiviste.publish.asgi:create_app \\
    --host "${HOST:-127.0.0.1}" --port "${PORT:-8080}" --workers "${WORKERS:-1}" \\
    --no-access-log --proxy-headers
"""


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_if_changed(source: Path, target: Path) -> bool:
    if target.exists() and target.stat().st_size == source.stat().st_size \
            and _sha256(target) == _sha256(source):
        return False
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    return True


def _write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text("utf-8") == text:
        return False
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, "utf-8")
    os.replace(partial, path)
    return True
