"""The app factory each classroom worker process runs (uvicorn spawns them by import string).

One Python process renders about 25-40 Datasette pages a second (Jinja rendering holds the
GIL), so a room of 30 is served by one process per core sharing the listening socket. The
parent passes what to serve through the DATACTIVISTE_SERVE environment variable (JSON), which
spawned children inherit on Windows as on Linux.
"""

from __future__ import annotations

import json
import os

ENVIRONMENT_VARIABLE = "DATACTIVISTE_SERVE"


def spec_to_environment(paths, language: str, classroom: bool, settings: dict | None,
                        banner_html: str = "", tiles=(), atelier=None) -> None:
    """`atelier`: the live room's AtelierSettings, so every worker shares its codes and journal."""
    os.environ[ENVIRONMENT_VARIABLE] = json.dumps({
        "paths": [str(p) for p in paths], "language": language, "classroom": classroom,
        "settings": settings or {}, "banner_html": banner_html, "tiles": [str(t) for t in tiles],
        "atelier": atelier.to_json() if atelier is not None else None})


def create_app():
    """uvicorn factory: the same app `launch.make_app` builds in the parent."""
    from datactiviste.serve.launch import make_app

    from datactiviste.serve.atelier_room import AtelierSettings

    spec = json.loads(os.environ[ENVIRONMENT_VARIABLE])
    atelier = AtelierSettings.from_json(spec["atelier"]) if spec.get("atelier") else None
    _datasette, app = make_app(spec["paths"], spec["language"], spec["classroom"], spec["settings"],
                               spec.get("banner_html", ""), spec.get("tiles", []), atelier, warm=True)
    return app
