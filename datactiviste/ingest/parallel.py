"""Worker processes that each load one part of a big file into a scratch SQLite database.

The main process loads the first part itself, straight into the target table, while each worker
profiles, converts and inserts its part on another core (see parts.load_part). The
main process then merges: profiles added up, decisions compared, rows copied with one
`INSERT … SELECT` per part. "spawn" everywhere (the only method on Windows, and safe when the
caller has threads, as the upload page of `serve` does); the frozen binary handles it through
`multiprocessing.freeze_support()` in `cli.main`. For a file big enough to be split, the workers
are started when the import begins (Standby) and sent their part once it is planned.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:        # a worker boots without the importer's modules: it scans first (Standby)
    from datactiviste.ingest.split import Part


@dataclass
class PartJob:
    """Everything a worker needs, picklable."""

    table: dict            # the Table's fields except `batches` (rebuilt in the worker)
    name: str
    options: object        # ImportOptions without the progress callback
    part: Part
    last: bool             # the last part holds the footnotes, if any
    database: Path         # scratch database the worker writes


def _run(job: PartJob, results, progress) -> None:
    """Worker entry point: load the part, send back its summary (or why it failed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the main process's business
    _exit_with_parent()
    _load(job, results, progress)


def _wait_for_job(jobs, results, progress, scan=None) -> None:
    """Entry point of a worker started ahead (Standby): take blocks of the encoding scan from the
    back of the file (`scan`: path, shared claims, this worker's number), then get ready and load
    the part it is sent (None, or the main process gone: nothing to do).

    The scan comes first, before the importer's modules are imported (0.1 s): the worker then
    scans while the main process is still importing them, and imports them while it decides the
    header."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    if scan is not None:
        from datactiviste.ingest import bytescan

        try:
            results.send(("scan", bytescan.scan_from_back(*scan)))
        except BaseException:  # noqa: BLE001 - the main process scans what this one did not report
            results.send(("scan", None))
    from datactiviste.ingest import load, parts  # noqa: F401 - imported while the main process reads the file
    try:
        job = jobs.recv()
    except (EOFError, OSError):
        job = None
    finally:
        jobs.close()
    if job is None:
        results.close()
        return
    _load(job, results, progress)


def _load(job: PartJob, results, progress) -> None:
    held = None
    try:
        from datactiviste.ingest import scratch
        from datactiviste.ingest.parts import load_part

        held = scratch.hold(job.database.parent)

        def report(position: int) -> None:
            progress.value = position - job.part.start

        results.send(("ok", load_part(job, report)))
    except BaseException as error:  # noqa: BLE001 - any failure: the main process loads the file alone
        results.send(("failed", f"{type(error).__name__}: {error}"))
    finally:
        results.close()
        if held:
            held.close()


def _exit_with_parent() -> None:
    """Stop this worker as soon as the main process is gone (killed with kill -9, say): its part
    is useless then, and the scratch folder must not stay in use."""
    import os
    import threading

    parent = multiprocessing.parent_process()
    if parent is None or getattr(parent, "sentinel", None) is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class Unavailable(Exception):
    """No worker process could be started (the system's process limit; or this is itself a spawned
    process re-running a main module that lacks `if __name__ == "__main__"`): one process loads."""


class Standby:
    """Worker processes started before the file is read, each waiting for the part it will load.

    Starting a process ("spawn": a new interpreter that imports the importer) takes 0.15-0.25 s
    on the 2-core project machine. Started when the import begins, that happens on the core the
    encoding scan leaves idle, and the part starts as soon as it is planned. A worker that gets
    no part (the file is not split after all) is told so and exits.
    """

    def __init__(self, count: int, path: Path | None = None):
        self._context = multiprocessing.get_context("spawn")
        self._ready: list[tuple[object, object, object, object]] = []   # (process, job sender, results, progress)
        # The encoding scan of `path`, shared (bytescan.SharedScan): each worker's message about it
        # is read by `tallies`, or skipped by Workers.outcomes when the worker took no block.
        self.shared = None
        self._tallies: list | None = None
        if path is not None:
            from datactiviste.ingest import bytescan

            self.shared = bytescan.SharedScan(path, path.stat().st_size, count, self._context)
        try:
            for number in range(count):
                job_receiver, job_sender = self._context.Pipe(duplex=False)
                receiver, sender = self._context.Pipe(duplex=False)
                progress = self._context.Value("q", 0, lock=False)
                scan = (self.shared.path, self.shared.claims, number, self.shared.chunk) if self.shared else None
                process = self._context.Process(target=_wait_for_job, args=(job_receiver, sender, progress, scan),
                                                daemon=True)
                process.start()
                job_receiver.close()
                sender.close()
                self._ready.append((process, job_sender, receiver, progress))
        except (OSError, RuntimeError):
            pass     # fewer (or no) workers ahead: Workers starts the others when they are needed

    def tallies(self, taken: list[int]) -> list:
        """The scan tallies of the workers that took blocks (`taken`: blocks per worker); None for
        one that failed or did not answer within a minute (the caller scans its blocks itself)."""
        if self._tallies is not None:
            return self._tallies
        found = self._tallies = []
        for (_process, _sender, receiver, _progress), count in zip(self._ready, taken):
            if not count:
                continue
            try:
                message = receiver.recv() if receiver.poll(60) else None
            except (EOFError, OSError):
                message = None
            found.append(message[1] if message and message[0] == "scan" else None)
        return found

    def take(self):
        """A ready worker (process, job sender, results receiver, progress), or None."""
        return self._ready.pop(0) if self._ready else None

    def close(self) -> None:
        """Release the workers no part was given to."""
        for process, job_sender, receiver, _progress in self._ready:
            try:
                job_sender.send(None)
            except OSError:
                pass
            job_sender.close()
            receiver.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        self._ready = []


class Workers:
    """Start one process per job; `outcomes()` yields (job, ("ok", summary) | ("failed", why)) in order."""

    def __init__(self, jobs: list[PartJob], standby: Standby | None = None):
        self.jobs = jobs
        self.standby = standby
        self._context = multiprocessing.get_context("spawn")
        self._started: list[tuple[PartJob, object, object, object]] = []

    def start(self) -> "Workers":
        try:
            for job in self.jobs:
                ready = self.standby.take() if self.standby else None
                if ready is not None:
                    process, job_sender, receiver, progress = ready
                    try:
                        job_sender.send(job)
                        self._started.append((job, process, receiver, progress))
                        continue
                    except OSError:     # it died while waiting: start another one
                        receiver.close()
                    finally:
                        job_sender.close()
                receiver, sender = self._context.Pipe(duplex=False)
                progress = self._context.Value("q", 0, lock=False)
                process = self._context.Process(target=_run, args=(job, sender, progress), daemon=True)
                process.start()
                sender.close()
                self._started.append((job, process, receiver, progress))
        except (OSError, RuntimeError) as error:
            self.__exit__()
            raise Unavailable(str(error)) from None
        return self

    def __enter__(self) -> "Workers":
        return self

    def bytes_done(self) -> int:
        return sum(progress.value for _job, _process, _receiver, progress in self._started)

    def outcomes(self, waiting: Callable[[], None] | None = None):
        for job, process, receiver, _progress in self._started:
            try:
                outcome = ("scan",)
                while outcome[0] == "scan":  # the encoding scan's message of a worker that took no block
                    while waiting and not receiver.poll(0.2):
                        waiting()       # the progress bar goes on while the part is loaded
                    outcome = receiver.recv()
            except EOFError:
                outcome = ("failed", f"worker exited with code {process.exitcode}")
            process.join()
            yield job, outcome

    def __exit__(self, *_exc) -> None:
        for _job, process, receiver, _progress in self._started:
            if process.is_alive():
                process.terminate()
            process.join()
            receiver.close()
