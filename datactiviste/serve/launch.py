"""`datactiviste serve` as a library call: build the app, pick the address, tell the user, run.

`prepare` does everything but the blocking run, so tests and the benchmark start the very
same app in a thread; `launch` is what the CLI calls.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from datactiviste.i18n import _, get_language
from datactiviste.serve.app import build_datasette, default_database
from datactiviste.serve.server import ALL_INTERFACES, LOCALHOST, Server, lan_addresses, qr_code_text


@dataclass
class Prepared:
    datasette: object
    app: object
    server: Server
    classroom: bool

    def urls(self) -> list[str]:
        if not self.classroom or self.server.host != ALL_INTERFACES:
            return [self.server.url]
        return [f"http://{address}:{self.server.port}/" for address in lan_addresses()] or [self.server.url]


def make_app(paths, language: str, classroom: bool, settings: dict | None = None,
             banner_html: str = ""):
    """(Datasette, ASGI app): the app a server process runs, guarded in classroom mode."""
    from datactiviste.serve.classroom import ClassroomGuard

    datasette = build_datasette([Path(p) for p in paths], language, classroom=classroom,
                                settings=settings, banner_html=banner_html)
    app = datasette.app()
    if classroom:
        app = ClassroomGuard(app, datasette.datactiviste_options.translator)
    return datasette, app


def default_workers() -> int:
    """One server process per core, 2 to 4: a 2-core laptop gets 2."""
    return max(2, min(4, os.cpu_count() or 2))


def prepare(databases: list[str | Path] | None = None, port: int | None = None,
            classroom: bool = False, language: str | None = None, host: str | None = None,
            settings: dict | None = None, workers: int = 1, banner_html: str = "") -> Prepared:
    """Build the app for `databases` (default: the project database here) and bind its port.

    `workers` > 1 (classroom mode) serves from that many processes sharing the socket; the
    app built here then checks the databases and answers `announcement`, each worker builds
    its own copy.
    """
    language = language or get_language()
    paths = [Path(p) for p in databases] if databases else [default_database()]
    datasette, app = make_app(paths, language, classroom, settings, banner_html)
    host = host or (ALL_INTERFACES if classroom else LOCALHOST)
    if workers > 1:
        from datactiviste.serve.worker import spec_to_environment

        spec_to_environment([Path(p).resolve() for p in paths], language, classroom, settings,
                            banner_html)
        server = Server("datactiviste.serve.worker:create_app", host=host, port=port, workers=workers)
    else:
        server = Server(app, host=host, port=port)
    return Prepared(datasette=datasette, app=app, server=server, classroom=classroom)


def announcement(prepared: Prepared) -> list[str]:
    """What the terminal says when the server starts: where to browse, and for a room a QR code."""
    names = ", ".join(sorted(prepared.datasette.databases.keys() - {"_internal"}))
    lines = [_("Serving {names} at {url}").format(names=names, url=prepared.server.url)]
    if prepared.classroom:
        urls = prepared.urls()
        lines.append(_("Classroom mode: read-only, reachable from the local network at:"))
        lines.extend(f"  {url}" for url in urls)
        lines.append(qr_code_text(urls[0]))
        lines.append(_("Trainees scan this code or type the address in their browser."))
    return lines


def launch(databases=None, port: int | None = None, open_browser: bool = True,
           classroom: bool = False, echo: Callable[[str], None] = print, banner_html: str = "") -> None:
    """Serve until Ctrl-C, printing where to browse (and, in classroom mode, a QR code)."""
    prepared = prepare(databases, port=port, classroom=classroom,
                       workers=default_workers() if classroom else 1, banner_html=banner_html)
    for line in announcement(prepared):
        echo(line)
    if open_browser:
        prepared.server.open_browser_when_ready()
    echo(_("Press Ctrl-C to stop."))
    prepared.server.run()
    echo(_("Server stopped."))
