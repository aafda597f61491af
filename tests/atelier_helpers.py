"""What the live-room tests share: event times as a learner's laptop writes them, a classroom
server in this process, and one JSON post to its endpoint."""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def stamp(minutes_ago: float = 0) -> str:
    """An event's `at`, `minutes_ago` minutes before now (UTC, to the second, like lessons/progress)."""
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
    return moment.replace(microsecond=0).isoformat()


@contextmanager
def running(database: Path, classroom: bool = True, **options):
    """`serve [--classroom]` of `database` on 127.0.0.1 in a thread of this process (French)."""
    from datactiviste.serve.launch import prepare

    prepared = prepare([database], classroom=classroom, language="fr", host="127.0.0.1", port=0, **options)
    prepared.server.start_in_thread()
    try:
        yield prepared
    finally:
        prepared.server.stop()


def post_json(base_url: str, body, path: str = "-/atelier/envoi") -> tuple[int, dict | str]:
    """(status, answer) of a JSON POST; the answer is JSON when it can be read as JSON."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(base_url.rstrip("/") + "/" + path, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", "replace")
