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
    """Datasette over the folder, each answer's bytes capped as in the classroom (`ResponseCap`), gzipped.

    `ClassroomGuard` (per-device cache and fair gate) is left out: behind a host's proxy every
    reader may arrive from one address, and the gate would then throttle them all as one.
    """
    from datasette.app import Datasette

    from datactiviste.serve.compress import GzipResponses
    from datactiviste.serve.plugin import options_of
    from datactiviste.serve.responsecap import CLASSROOM_MAX_RESPONSE_BYTES, ResponseCap

    folder = Path(os.environ.get(FOLDER_VARIABLE) or Path.cwd())
    datasette = Datasette(config_dir=folder)
    options = options_of(datasette)
    if options is None:  # a folder whose metadata lost our plugin's configuration
        return datasette.app()
    # gzip too (compress.py): many hosts' proxies send what the app sends, and readers on phones pay per byte
    return GzipResponses(ResponseCap(datasette.app(), CLASSROOM_MAX_RESPONSE_BYTES, options.translator))
