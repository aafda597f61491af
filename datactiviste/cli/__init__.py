"""The `datactiviste` command: a thin layer that parses options and calls the library."""

from __future__ import annotations

import sys
import traceback

import click

from datactiviste import __version__
from datactiviste.cli.base import I18nGroup, I18nOption, option
from datactiviste.cli.console import ensure_utf8_streams, print_error, run_with_pipe_guard, stop_on_broken_pipe
from datactiviste.errors import DatactivisteError, ExitCode
from datactiviste.i18n import LANGUAGES, _, set_language, translate_click

# name -> "module:attribute"; a command's module is imported only when it is used.
COMMANDS = {  # filled as commands land
    "import": "datactiviste.cli.ingest:import_command",
    "inspect": "datactiviste.cli.ingest:inspect_command",
    "serve": "datactiviste.cli.serve:serve_command",
    "export": "datactiviste.cli.serve:export_command",
    "publish": "datactiviste.cli.publish:publish_command",
    "demo": "datactiviste.cli.serve:demo_command",
    "chart": "datactiviste.cli.charts:chart_command",
    "map": "datactiviste.cli.maps:map_command",
    "geocode": "datactiviste.cli.maps:geocode_command",
    "lesson": "datactiviste.cli.lessons:lesson_group",
    "pack": "datactiviste.cli.packaging:pack_group",
    "dossier": "datactiviste.cli.dossier:dossier_group",
    "search": "datactiviste.cli.search:search_command",
    "csvkit": "datactiviste.cli.classic:csvkit_command",
    "sqlite-utils": "datactiviste.cli.classic:sqlite_utils_command",
}


def _apply_language(ctx, param, value):
    set_language(value)
    return value


class MainGroup(I18nGroup):
    """Turns errors into messages: ours exit 2, unexpected ones exit 1 (traceback with --debug)."""

    def parse_args(self, ctx, args):
        # The environment's language first: an eager --help may print before --lang is seen.
        set_language(None)
        try:
            return super().parse_args(ctx, args)
        except BrokenPipeError:   # `datactiviste --help | head -1`
            stop_on_broken_pipe()

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DatactivisteError as error:
            print_error(error)
            ctx.exit(ExitCode.USER_ERROR)
        except KeyboardInterrupt:
            click.secho(_("Interrupted: nothing was changed."), fg="red", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:   # `| head` has read enough: exit 141 quietly (click's main would say 1)
            stop_on_broken_pipe()
        except MemoryError:
            click.secho(_("Not enough memory for this work on this computer: nothing was changed."), fg="red", err=True)
            click.echo(_("Close other programs and try again, or split the file into smaller ones."), err=True)
            ctx.exit(ExitCode.USER_ERROR)
        except OSError as error:
            message = _os_error(error)
            if message is None:
                raise
            click.secho(message, fg="red", err=True)
            ctx.exit(ExitCode.USER_ERROR)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if ctx.params.get("debug"):
                traceback.print_exc()
            click.secho(_("Unexpected error: {error}").format(error=f"{type(error).__name__}: {error}"),
                        fg="red", err=True)
            click.echo(_("Run again with --debug to see the details, and report it."), err=True)
            ctx.exit(ExitCode.UNEXPECTED)


def _os_error(error: OSError) -> str | None:
    """The operating system's refusals a user can fix, in the user's language (None: a bug)."""
    import errno

    where = error.filename or ""
    if error.errno == errno.ENOSPC:
        return _("The disk is full ({path}): free some space and try again.").format(path=where)
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("Permission denied: {path}. Choose a folder you can write to, or close the program that holds the file.").format(path=where)
    if error.errno == errno.EROFS:
        return _("This disk is read-only ({path}): copy the files to a folder you can write to.").format(path=where)
    return None


@click.group(cls=MainGroup, lazy=COMMANDS, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Examples:\n"
                    "  datactiviste          (no command: opens the local app in the browser)\n"
                    "  datactiviste import budget.csv\n"
                    "  datactiviste --lang en inspect budget.csv\n"
                    "  DATACTIVISTE_LANG=en datactiviste import --help")
@option("--lang", type=click.Choice(LANGUAGES), is_eager=True, expose_value=False,
        callback=_apply_language,
        help="Language of messages and outputs (default: DATACTIVISTE_LANG, then the system language, else French).")
@option("--debug", is_flag=True, help="Show technical details (tracebacks) on unexpected errors.")
@click.version_option(__version__, "--version", prog_name="datactiviste", message="%(prog)s %(version)s",
                      cls=I18nOption, help="Show the version and exit.")
@click.pass_context
def cli(ctx, debug):
    """datactiviste: import, explore, map and chart open data, offline."""
    ctx.ensure_object(dict)["debug"] = debug
    if ctx.invoked_subcommand is None:
        # No command (a double-click on Windows): the local app, its home page in the browser.
        from datactiviste.cli.console import info
        from datactiviste.serve.launch import start_without_arguments

        start_without_arguments(echo=info)


def main(argv: list[str] | None = None) -> None:
    import multiprocessing

    # Classroom mode and big imports start worker processes: in the frozen binary they must not rerun the CLI.
    multiprocessing.freeze_support()
    ensure_utf8_streams()
    set_language(None)
    translate_click()
    run_with_pipe_guard(lambda: cli.main(args=argv if argv is not None else sys.argv[1:],
                                         prog_name="datactiviste"))
