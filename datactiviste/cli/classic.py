"""`datactiviste csvkit TOOL ARGS…` and `datactiviste sqlite-utils ARGS…` (library: datactiviste.classic).

Arguments go to the real tools untouched (click does not parse them), so every tutorial's
command line works once prefixed with `datactiviste`.
"""

from __future__ import annotations

import click

from datactiviste.cli.base import command
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

PASS_THROUGH = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}
_HELP = ("-h", "--help")


def _note(line: str) -> None:
    click.secho(line, err=True, dim=True)


def _tool_lines(tools: dict[str, str]) -> str:
    width = max(len(name) for name in tools)
    return "\n".join(f"  {name.ljust(width)}  {_(summary)}" for name, summary in tools.items())


@command("csvkit", context_settings=PASS_THROUGH, add_help_option=False,
         epilog="Examples:\n"
                "  datactiviste csvkit csvstat budget.csv\n"
                "  datactiviste csvkit csvgrep -c Commune -r \"(?i)thi[eè]s\" budget.csv\n"
                "  datactiviste csvkit csvsort -c \"Date de mandatement\" -r budget.csv")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def csvkit_command(args):
    """Run a csvkit tool (csvcut, csvgrep, csvstat...) on files as they come: encoding, delimiter,
    decimal comma and day-first dates are detected unless you give -e, -d, -L or --date-format.

    Usage: datactiviste csvkit TOOL [ARGS]... (datactiviste csvkit TOOL --help: the tool's options)
    """
    from datactiviste.classic import CSVKIT_TOOLS

    if not args or args[0] in _HELP:
        click.echo(_("csvkit tools (datactiviste csvkit TOOL --help for the options of each):"))
        click.echo(_tool_lines(CSVKIT_TOOLS))
        click.echo(_("Example: datactiviste csvkit csvstat budget.csv"))
        return
    tool, rest = args[0], list(args[1:])
    if tool not in CSVKIT_TOOLS:
        raise DatactivisteError(_("Unknown csvkit tool: {tool}.").format(tool=tool),
                                hint=_("The tools: {tools}").format(tools=", ".join(CSVKIT_TOOLS))
                                + (" · " + _("csvsql is not included: use datactiviste import, then "
                                            "datactiviste sqlite-utils query") if tool in ("csvsql", "sql2csv") else ""))
    from datactiviste.classic import run_csvkit

    if set(rest) & set(_HELP):
        click.echo(f"{tool} — {_(CSVKIT_TOOLS[tool])}\n")
    try:
        run_csvkit(tool, rest, _note)
    except (UnicodeDecodeError, LookupError) as error:
        raise DatactivisteError(_("{tool} could not read the file: {error}").format(tool=tool, error=error),
                                hint=_("Give the encoding yourself, e.g. -e cp1252, or -e utf-8.")) from None
    except Exception as error:  # noqa: BLE001 - the tool's own errors (bad column, bad file) are the user's
        if not _input_error(error):
            raise
        raise DatactivisteError(_("{tool} stopped: {error}").format(tool=tool, error=error),
                                hint=_("datactiviste csvkit {tool} --help lists its options.").format(tool=tool)) from None


def _input_error(error: Exception) -> bool:
    """csvkit's and agate's exceptions, csv parsing and file errors: about the input, not a bug."""
    import csv

    from agate.exceptions import CastError, DataTypeError, FieldSizeLimitError
    from csvkit.exceptions import CustomException

    return isinstance(error, (CustomException, CastError, DataTypeError, FieldSizeLimitError, csv.Error,
                              OSError, ValueError))


@command("sqlite-utils", context_settings=PASS_THROUGH, add_help_option=False,
         epilog="Examples:\n"
                "  datactiviste sqlite-utils tables budget.db --counts\n"
                "  datactiviste sqlite-utils extract budget.db depenses region\n"
                "  datactiviste sqlite-utils query budget.db \"SELECT region, count(*) FROM depenses GROUP BY region\" --table")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sqlite_utils_command(args):
    """Run the sqlite-utils command line (tables, query, transform, extract, convert, enable-fts...).

    Usage: datactiviste sqlite-utils COMMAND [ARGS]... (--help: every command, in French first)
    """
    from datactiviste.classic import REFUSED_SQLITE_UTILS, SQLITE_UTILS_COMMANDS, sqlite_utils_arguments

    args = list(args)
    if not args or args[0] in _HELP:
        click.echo(_("sqlite-utils commands (datactiviste sqlite-utils COMMAND --help for the options of each):"))
        click.echo(_tool_lines(SQLITE_UTILS_COMMANDS))
        click.echo()
    elif args[0] in REFUSED_SQLITE_UTILS:
        raise DatactivisteError(_("sqlite-utils {command} is not available here: datactiviste works offline "
                                  "and has everything it needs built in.").format(command=args[0]))
    elif set(args[1:]) & set(_HELP) and args[0] in SQLITE_UTILS_COMMANDS:
        click.echo(f"sqlite-utils {args[0]} — {_(SQLITE_UTILS_COMMANDS[args[0]])}\n")
    else:
        args, note = sqlite_utils_arguments(args)
        if note:
            _note(note)
    from sqlite_utils.cli import cli as sqlite_utils_cli

    # Not its main(): that one turns a closed pipe (`| head`) into exit 1; ours stops quietly with 141.
    with sqlite_utils_cli.make_context("datactiviste sqlite-utils", args or ["--help"]) as context:
        sqlite_utils_cli.invoke(context)
