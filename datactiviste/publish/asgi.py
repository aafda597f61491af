"""The app of a published folder: plain Datasette in configuration-directory mode.

Datasette reads the folder's metadata.json (which configures our plugin), settings.json,
inspect-data.json and *.db; with inspect-data.json present it opens the databases immutable.
uvicorn runs this factory once per worker process (`--workers N`), all sharing one socket.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_VARIABLE = "DATACTIVISTE_PUBLISHED"


def create_app():
    from datasette.app import Datasette

    folder = Path(os.environ.get(FOLDER_VARIABLE) or Path.cwd())
    return Datasette(config_dir=folder).app()
