"""Reading workbooks through calamine, a Rust library, without its failures reaching the user raw.

On a damaged file calamine may panic: Rust prints the panic and a backtrace on the process's
stderr, then Python gets a PanicException, which is a BaseException, not an Exception.
`quiet_native_stderr` silences that output around each call, `interruption` tells Ctrl-C from
the file's failures, and `damaged_sentence` says the latter in the user's language.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from datactiviste.i18n import _

_KNOWN_DAMAGE = ("Cannot detect file format", "PanicException", "EOF", "end of file", "out of range")


@contextmanager
def quiet_native_stderr():
    """File descriptor 2 sent to the null device while native code runs (Python's own sys.stderr
    is untouched). Without a descriptor 2 to save (a windowed program), nothing changes."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, AttributeError, ValueError):
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def interruption(error: BaseException) -> bool:
    """Ctrl-C and exits go on; every other failure of native code is the file's."""
    return isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit))


def damaged_sentence(error: BaseException) -> str:
    """Why the workbook cannot be read, in the user's language: calamine's own (English) words
    only as a detail when they say something datactiviste does not already say."""
    text = f"{type(error).__name__}: {error}"
    if any(known in text for known in _KNOWN_DAMAGE):
        return _("This spreadsheet is damaged (cut short or altered): datactiviste cannot read it.")
    return _("This spreadsheet is damaged or in a format datactiviste cannot read "
             "(detail: {error}).").format(error=error)
