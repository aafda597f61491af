"""What the live-room tests share: event times as a learner's laptop writes them."""

from __future__ import annotations

import datetime


def stamp(minutes_ago: float = 0) -> str:
    """An event's `at`, `minutes_ago` minutes before now (UTC, to the second, like lessons/progress)."""
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
    return moment.replace(microsecond=0).isoformat()
