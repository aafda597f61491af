"""Terminal output: messages in colour on a console, plain in a pipe, UTF-8 on Windows too."""

from __future__ import annotations

import os
import re
import sys

import click

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

PIPE_CLOSED = 141   # what a shell reports for a program stopped by SIGPIPE


def ensure_utf8_streams() -> None:
    """Old Windows consoles default to cp850/cp1252: write UTF-8 and never crash on a letter."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure and (stream.encoding or "").lower().replace("-", "") != "utf8":
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


def stdout_is_console() -> bool:
    """True when standard output is a terminal (colours and bold make sense there)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def quiet_broken_pipe() -> None:
    """The reader of a pipe (`datactiviste … | head`, `… 2>&1 | head`) has gone: stop without a
    traceback.

    Python would also complain when flushing at exit: point both streams at devnull first (the
    command stops here, so nothing more was going to be written)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass


def stop_on_broken_pipe() -> None:
    """End like a Unix tool stopped by SIGPIPE (exit 141), quietly; click's own handling would say 1."""
    quiet_broken_pipe()
    sys.exit(PIPE_CLOSED)


def run_with_pipe_guard(run) -> None:
    """Run the command; if the pipe it writes to closes (`| head`), end quietly with 141, the
    code a shell gives a program stopped by SIGPIPE."""
    try:
        try:
            run()
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        stop_on_broken_pipe()


def info(message: str) -> None:
    click.echo(message, err=True)


def success(message: str) -> None:
    click.secho(message, fg="green", err=True)


def warning(message: str) -> None:
    click.secho(_("Warning: {message}").format(message=message), fg="yellow", err=True)


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def plain(text: str) -> str:
    """Some messages write commands as Markdown code (`datactiviste lesson list`): a terminal
    shows them without the backticks."""
    return _CODE_SPAN.sub(r"\1", text)


def secho_plain(text: str, **style) -> None:
    """click.secho for a message that may name commands as `code`."""
    click.secho(plain(text), **style)


def print_error(error: DatactivisteError) -> None:
    where = error.location()
    text = _("Error: {message}").format(message=plain(error.message))
    if where:
        text = f"{text}\n  ({where})"
    click.secho(text, fg="red", err=True)
    if error.hint:
        click.secho(_("What to do: {hint}").format(hint=plain(error.hint)), err=True)
