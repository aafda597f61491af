"""Entry point of the frozen datactiviste (PyInstaller starts here).

`freeze_support` lets the classroom server's worker processes (multiprocessing, spawn)
start from the binary itself instead of running the CLI again.
"""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from datactiviste.cli import main

    main()
