"""click classes whose help is translated when shown, not when the module is imported.

Help strings are written in English (they are message ids); `--lang` is parsed before any
help is printed, so translating at format time gives the chosen language everywhere.
"""

from __future__ import annotations

import importlib
import inspect

import click

from datactiviste.i18n import _, get_language


def _translate_help(text):
    """Translate a help text; docstrings are looked up in their cleaned form, as extracted.

    click 8.5 keeps a command's docstring with its indentation, while the catalog holds it
    cleaned (inspect.cleandoc), so clean before the lookup."""
    if not text:
        return text
    return _(inspect.cleandoc(text))


class I18nFormatter(click.HelpFormatter):
    """Section headings with French typography: « Options : », « Commandes : »."""

    def write_heading(self, heading: str) -> None:
        colon = "\u00a0:" if get_language() == "fr" else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")


class I18nContext(click.Context):
    formatter_class = I18nFormatter


class I18nOption(click.Option):
    def get_help_record(self, ctx):
        original = self.help
        self.help = _(original) if original else original
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = original


class I18nCommand(click.Command):
    """A command whose help, short help and epilog (examples) are translated."""

    context_class = I18nContext

    def get_help_option(self, ctx):
        # click builds --help once with an already-translated text; keep the message id instead.
        option = super().get_help_option(ctx)
        if option is not None and not isinstance(option, I18nOption):
            option.__class__ = I18nOption
            option.help = "Show this message and exit."
        return option

    def format_help_text(self, ctx, formatter):
        original = self.help
        self.help = _translate_help(original)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = original

    def get_short_help_str(self, limit: int = 45) -> str:
        original, short = self.help, self.short_help
        self.help = _translate_help(original)
        self.short_help = _translate_help(short)
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help, self.short_help = original, short

    def format_epilog(self, ctx, formatter):
        if self.epilog:
            formatter.write_paragraph()
            for line in _(self.epilog).splitlines():
                formatter.write_text(line) if line.strip() else formatter.write_paragraph()


class I18nGroup(I18nCommand, click.Group):
    """A group that imports each command's module only when that command is used.

    `lazy` maps a command name to "module:attribute"; listing the commands in --help still
    imports them, so command modules keep heavy imports inside their functions.
    """

    command_class = I18nCommand

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx, name):
        if name in self.lazy and name not in self.commands:
            module_name, attribute = self.lazy[name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, name)
        return super().get_command(ctx, name)

    def format_help_text(self, ctx, formatter):
        I18nCommand.format_help_text(self, ctx, formatter)


I18nGroup.group_class = I18nGroup


def option(*param_decls, **attrs):
    """click.option with translated help."""
    attrs.setdefault("cls", I18nOption)
    return click.option(*param_decls, **attrs)


def rows_options(function):
    """--db, --table and --sql: where `chart` and `map` read their rows, declared once (csvkit's
    common arguments do the same) so both commands say it in the same words."""
    for decorator in (
            option("--sql", help="Read-only SELECT query whose rows are used (instead of --table)."),
            option("--table", "-t", help="Table to read."),
            option("--db", default="datactiviste.db", show_default=True, type=click.Path(dir_okay=False),
                   help="Project database to read.")):
        function = decorator(function)
    return function


def frame_options(function):
    """--title, --subtitle, --notes, --byline, --credit, --alt: the publication frame `chart` and
    `map` share (graphics.frame.Frame), declared once so both say it in the same words."""
    for decorator in (
            option("--alt", help="Description for screen readers (default: generated from the "
                                 "data, and marked as such)."),
            option("--credit", help="An extra credit line at the bottom (e.g. the newsroom name)."),
            option("--byline", help="Who made it, printed after the source (e.g. \"A. Diallo\")."),
            option("--notes", help="Notes under the drawing (method, definitions, caveats)."),
            option("--subtitle", help="Subtitle: what is measured, where, when, in which unit."),
            option("--title", help="Title: say the finding, not the variable (\"Dakar gets half "
                                   "of the budget\"); it is checked against the data.")):
        function = decorator(function)
    return function


def command(name=None, **attrs):
    attrs.setdefault("cls", I18nCommand)
    return click.command(name, **attrs)


def group(name=None, **attrs):
    attrs.setdefault("cls", I18nGroup)
    return click.group(name, **attrs)
