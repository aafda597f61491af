"""Entry point of the frozen datactiviste (PyInstaller starts here).

- `freeze_support` lets the classroom server's worker processes (multiprocessing, spawn)
  start from the binary itself instead of running the CLI again.
- PyInstaller's matplotlib run-time hook gives matplotlib a new empty config folder at every
  start, so every chart re-scans all the system's fonts (≈ 1 s here, several seconds on a
  Windows laptop with hundreds of fonts). We point it instead at one folder per user in the
  OS temp folder, kept between runs: still nothing written outside the temp folder.
"""

import multiprocessing
import os
import sys
import tempfile


def _keep_matplotlib_cache() -> None:
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    folder = os.path.join(tempfile.gettempdir(), f"datactiviste-matplotlib-{user}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if hasattr(os, "getuid") and os.stat(folder).st_uid != os.getuid():
            return  # someone else's folder on a shared machine: keep PyInstaller's private one
    except OSError:
        return
    os.environ["MPLCONFIGDIR"] = folder


if __name__ == "__main__":
    multiprocessing.freeze_support()
    if getattr(sys, "frozen", False):
        _keep_matplotlib_cache()
    from datactiviste.cli import main

    main()
