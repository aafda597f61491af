"""`datactiviste serve` as a library call: build the app, pick the address, tell the user, run.

`prepare` does everything but the blocking run, so tests and the benchmark start the very
same app in a thread; `launch` is what the CLI calls.
"""

from __future__ import annotations

import os
import threading
import time
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
    atelier: object = None          # AtelierSettings of the live room (classroom mode)
    atelier_problem: str = ""       # why the live room is off, when it is

    def urls(self) -> list[str]:
        if not self.classroom or self.server.host != ALL_INTERFACES:
            return [self.server.url]
        return [f"http://{address}:{self.server.port}/" for address in lan_addresses()] or [self.server.url]


def make_app(paths, language: str, classroom: bool, settings: dict | None = None,
             banner_html: str = "", tiles=(), atelier=None, warm: bool = False):
    """(Datasette, ASGI app): the app a server process runs.

    From the outside in: `SiteGuard` (own host names, no cross-site request), in classroom mode
    the live room `Atelier` (its one POST endpoint and the trainer's pages, when `atelier`
    settings are given), `ClassroomGuard` (read-only, per-host cache, fair gate), `GzipResponses`
    (text answers gzipped, inside the cache so a page is compressed once for the room),
    `ResponseCap` (bytes of one answer as Datasette builds them, before compression), then
    Datasette, whose connections `sqlguard` protects (through our plugin). `warm`: this process
    will serve, so the live room loads the curricula now (~0.5 s), not during the trainer's first look.
    """
    from datactiviste.serve.classroom import ClassroomGuard
    from datactiviste.serve.compress import GzipResponses
    from datactiviste.serve.hosts import SiteGuard
    from datactiviste.serve.responsecap import (CLASSROOM_MAX_RESPONSE_BYTES, LOCAL_MAX_RESPONSE_BYTES,
                                                ResponseCap)

    datasette = build_datasette([Path(p) for p in paths], language, classroom=classroom,
                                settings=settings, banner_html=banner_html, tiles=tiles)
    translator = datasette.datactiviste_options.translator
    app = GzipResponses(ResponseCap(datasette.app(), CLASSROOM_MAX_RESPONSE_BYTES if classroom
                                    else LOCAL_MAX_RESPONSE_BYTES, translator))
    if classroom:
        app = ClassroomGuard(app, translator)
        if atelier is not None:
            from datactiviste.serve.atelier import Atelier
            from datactiviste.serve.atelier_room import Room

            app = Atelier(app, Room(atelier.journal), atelier, translator, datasette)
            if warm:
                app.modules()
            datasette.datactiviste_options.atelier = atelier
    return datasette, SiteGuard(app, translator)


def start_atelier(classroom: bool, atelier=None):
    """(settings, problem): the live room of a classroom server, or why it is off.

    Its journal must be writable (DATACTIVISTE_HOME/atelier/); when it is not, the data pages
    are still served and the terminal says why the room is off.
    """
    if not classroom:
        return None, ""
    import sqlite3

    from datactiviste.serve.atelier_room import AtelierSettings, Room

    settings = atelier or AtelierSettings.create(resume=True)
    try:
        room = Room(settings.journal)
        room.remember(settings)
        room.close()
    except (OSError, sqlite3.Error) as error:
        return None, _("The live room is off: cannot write its journal {path} ({error}).").format(
            path=settings.journal, error=getattr(error, "strerror", None) or error)
    return settings, ""


def default_workers() -> int:
    """One server process per core, 2 to 4: a 2-core laptop gets 2."""
    return max(2, min(4, os.cpu_count() or 2))


def prepare(databases: list[str | Path] | None = None, port: int | None = None,
            classroom: bool = False, language: str | None = None, host: str | None = None,
            settings: dict | None = None, workers: int = 1, banner_html: str = "",
            tiles=(), atelier=None) -> Prepared:
    """Build the app for `databases` (default: the project database here) and bind its port.

    `workers` > 1 (classroom mode) serves from that many processes sharing the socket; the
    app built here then checks the databases and answers `announcement`, each worker builds
    its own copy. In classroom mode the live room gets new codes (or `atelier`'s, see
    `atelier_room.AtelierSettings`), shared by the workers.
    """
    language = language or get_language()
    paths = [Path(p) for p in databases] if databases else [default_database()]
    atelier, atelier_problem = start_atelier(classroom, atelier)
    datasette, app = make_app(paths, language, classroom, settings, banner_html, tiles, atelier,
                              warm=workers <= 1)  # with workers, each warms its own (worker.create_app)
    host = host or (ALL_INTERFACES if classroom else LOCALHOST)
    if workers > 1:
        from datactiviste.serve.worker import spec_to_environment

        spec_to_environment([Path(p).resolve() for p in paths], language, classroom, settings,
                            banner_html, [Path(t).resolve() for t in tiles], atelier)
        server = Server("datactiviste.serve.worker:create_app", host=host, port=port, workers=workers)
    else:
        server = Server(app, host=host, port=port)
    return Prepared(datasette=datasette, app=app, server=server, classroom=classroom, atelier=atelier,
                    atelier_problem=atelier_problem)


def warm_up_paths(datasette, limit: int = 20) -> list[str]:
    """The pages every trainee opens first: home, each database, each visible table."""
    import sqlite3

    from datactiviste import project
    from datactiviste.serve.sqlite_uri import readonly_uri

    paths = ["/"]
    for name, database in datasette.databases.items():
        if name == "_internal" or not database.path:
            continue
        paths.append(datasette.urls.database(name))
        connection = sqlite3.connect(readonly_uri(database.path), uri=True)
        try:
            paths += [datasette.urls.table(name, table) for table in project.data_tables(connection)]
        finally:
            connection.close()
    return paths[:limit]


def warm_up_in_background(prepared: Prepared, rounds: int = 3) -> threading.Thread:
    """Once the server answers, request the first pages a few times at each address so that every
    worker has compiled its templates and cached them before the room connects (a cold table page takes
    ~0.5 s; thirty of them at once is what trainees would otherwise meet)."""
    import urllib.request

    paths = warm_up_paths(prepared.datasette)
    # The page cache is keyed on the host the client used and on gzip (browsers accept it, a
    # script may not): warm it at the addresses trainees type, both variants.
    bases = [url.rstrip("/") for url in prepared.urls()]
    encodings = ({"Accept-Encoding": "gzip"}, {})

    def run():
        deadline = time.monotonic() + 30
        while not prepared.server.answers() and time.monotonic() < deadline:
            time.sleep(0.1)
        for _round in range(rounds * max(1, prepared.server.workers)):
            for base in bases:
                for path in paths:
                    for headers in encodings:
                        try:
                            request = urllib.request.Request(base + path, headers=headers)
                            with urllib.request.urlopen(request, timeout=30) as response:
                                response.read()
                        except OSError:
                            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def announcement(prepared: Prepared) -> list[str]:
    """What the terminal says when the server starts: where to browse, and for a room a QR code."""
    names = ", ".join(sorted(prepared.datasette.databases.keys() - {"_internal"}))
    lines = [_("Serving {names} at {url}").format(names=names, url=prepared.server.url)]
    if prepared.classroom:
        urls = prepared.urls()
        lines.append(_("Classroom mode: read-only, reachable from the local network at:"))
        lines.extend(f"  {url}" for url in urls)
        lines.extend(atelier_lines(prepared))
        lines.append(qr_code_text(urls[0]))
        lines.append(_("Trainees scan this code or type the address in their browser."))
    return lines


def atelier_lines(prepared: Prepared) -> list[str]:
    """The live room's two codes: the room's for the board, the trainer's for this terminal only."""
    from datactiviste.serve.atelier_page import join_command

    if prepared.atelier is None:
        return [prepared.atelier_problem] if prepared.atelier_problem else []
    host = prepared.urls()[0].split("//", 1)[1].rstrip("/")
    resumed = [_("Live room continued from earlier today ({path}): same codes, learners need not join again "
                 "(serve --classroom --new-room starts a new one).").format(path=prepared.atelier.journal)]
    return (resumed if prepared.atelier.resumed else []) + [
            _("Live room: {label} {code}").format(label=_("Room code (write it on the board):"),
                                                  code=prepared.atelier.room_code),
            f"  {_('Learners type:')} {join_command(host, prepared.atelier.room_code)}",
            _("Trainer's page (trainer code {code}: keep it for yourself): {url}").format(
                code=prepared.atelier.trainer_code,
                url=f"{prepared.server.url}-/atelier?code={prepared.atelier.trainer_code}")]


def launch(databases=None, port: int | None = None, open_browser: bool = True,
           classroom: bool = False, echo: Callable[[str], None] = print, banner_html: str = "",
           tiles=(), new_room: bool = False) -> None:
    """Serve until Ctrl-C, printing where to browse (and, in classroom mode, a QR code and the
    live room's codes; `new_room`: do not continue today's room)."""
    atelier = None
    if classroom and new_room:
        from datactiviste.serve.atelier_room import AtelierSettings

        atelier = AtelierSettings.create()
    prepared = prepare(databases, port=port, classroom=classroom,
                       workers=default_workers() if classroom else 1, banner_html=banner_html,
                       tiles=tiles, atelier=atelier)
    for line in announcement(prepared):
        echo(line)
    if classroom:
        warm_up_in_background(prepared)
    if open_browser:
        prepared.server.open_browser_when_ready()
    echo(_("Press Ctrl-C to stop."))
    prepared.server.run()
    echo(_("Server stopped."))


def home_database(folder: Path | None = None) -> tuple[Path, str]:
    """What a double-click opens: the project database of the folder, else the demo database.

    Returns (database, banner HTML). The demo database lives in the user's datactiviste folder
    (DATACTIVISTE_HOME, else ~/.datactiviste) so a read-only install folder is no obstacle.
    """
    from datactiviste.project import DEFAULT_DB
    from datactiviste.serve.demo import DEMO_DB, build_demo_database, demo_banner

    local = (folder or Path.cwd()) / DEFAULT_DB
    if local.exists():
        return local, ""
    home = Path(os.environ.get("DATACTIVISTE_HOME") or Path.home() / ".datactiviste")
    home.mkdir(parents=True, exist_ok=True)
    return build_demo_database(home / DEMO_DB), demo_banner()


def start_without_arguments(echo: Callable[[str], None] = print) -> None:
    """`datactiviste` with no arguments (a double-click on Windows): the local app in the browser."""
    database, banner = home_database()
    launch([database], open_browser=True, echo=echo, banner_html=banner)
