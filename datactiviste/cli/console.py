"""Terminal output: messages in colour on a console, plain in a pipe, UTF-8 on Windows too."""

from __future__ import annotations

import sys

import click

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _


def ensure_utf8_streams() -> None:
    """Old Windows consoles default to cp850/cp1252: write UTF-8 and never crash on a letter."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure and (stream.encoding or "").lower().replace("-", "") != "utf8":
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


def info(message: str) -> None:
    click.echo(message, err=True)


def success(message: str) -> None:
    click.secho(message, fg="green", err=True)


def warning(message: str) -> None:
    click.secho(_("Warning: {message}").format(message=message), fg="yellow", err=True)


def print_error(error: DatactivisteError) -> None:
    where = error.location()
    text = _("Error: {message}").format(message=error.message)
    if where:
        text = f"{text}\n  ({where})"
    click.secho(text, fg="red", err=True)
    if error.hint:
        click.secho(_("What to do: {hint}").format(hint=error.hint), err=True)
