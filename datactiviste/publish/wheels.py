"""Our wheel and every dependency as wheels in the folder, so `docker build` needs no index.

`pip wheel` builds ours from the source checkout and takes the others from the local pip cache
or PyPI, at publish time. Offline with an empty cache it cannot: say so, with what to do.
The wheels are for this Python and platform, which is why the Dockerfile's base image is this
exact Python version.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def vendor_wheels(wheels: Path) -> list[Path]:
    """Fill `wheels` with datactiviste and its dependencies; returns the wheel files."""
    if not (PROJECT_ROOT / "pyproject.toml").exists():
        raise DatactivisteError(
            _("This datactiviste was not installed from its source folder: publish cannot build "
              "its wheel."),
            hint=_("Run publish from a source checkout (pip install -e .)."))
    wheels.mkdir(parents=True, exist_ok=True)
    for old in wheels.glob("datactiviste-*.whl"):  # ours changes between runs; rebuilt below
        old.unlink()
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
               "--prefer-binary", "--find-links", str(wheels), "--wheel-dir", str(wheels),
               str(PROJECT_ROOT)]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["?"])[-1]
        raise DatactivisteError(
            _("Could not gather the wheels of datactiviste and its dependencies ({error}).")
            .format(error=last),
            hint=_("publish needs them once from PyPI or the pip cache: connect to the network "
                   "once, or copy a wheels folder from a machine that has them into {path}.")
            .format(path=wheels))
    return sorted(wheels.glob("*.whl"))
