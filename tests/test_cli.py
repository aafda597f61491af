"""The command line as users meet it: version, help in both languages, errors without tracebacks."""

import subprocess
import sys

import click

from datactiviste import __version__
from datactiviste.cli import COMMANDS, cli
from datactiviste.cli.base import I18nCommand


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"datactiviste {__version__}"


def test_help_is_french_by_default_and_english_on_request(run_cli):
    french = run_cli("--help")
    assert french.exit_code == 0
    assert "Utilisation :" in french.output and "Afficher ce message et quitter." in french.output
    assert "Afficher la version et quitter." in french.output
    assert "Options\u00a0:" in french.output and "Commandes\u00a0:" in french.output  # French typography
    english = run_cli("--lang", "en", "--help")
    assert "Usage:" in english.output and "Show this message and exit." in english.output


def test_environment_variable_sets_the_language(run_cli):
    result = run_cli("--help", env={"DATACTIVISTE_LANG": "en"})
    assert "Show this message and exit." in result.output


def test_unknown_command_is_a_translated_usage_error(run_cli):
    result = run_cli("frobnicate")
    assert result.exit_code == 2
    assert "Commande inconnue" in result.output
    assert "Traceback" not in result.output


def _all_commands():
    ctx = click.Context(cli)
    for name in sorted(COMMANDS):
        command = cli.get_command(ctx, name)
        yield name, command
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                yield f"{name} {sub}", command.get_command(ctx, sub)


def test_every_command_has_help_and_examples():
    missing = []
    for name, command in _all_commands():
        if not command.help:
            missing.append(f"{name}: no help")
        if not isinstance(command, I18nCommand):
            missing.append(f"{name}: help is not translated (use datactiviste.cli.base.command)")
        if not isinstance(command, click.Group) and "datactiviste" not in (command.epilog or ""):
            missing.append(f"{name}: no examples in the epilog")
        for param in command.params:
            if isinstance(param, click.Option) and not param.help and param.name not in ("help",):
                missing.append(f"{name} {param.opts[0]}: no help")
    assert missing == []


def test_console_script_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "datactiviste", "--version"], capture_output=True,
                            text=True, check=True)
    assert __version__ in result.stdout


def test_every_command_help_is_shown_in_french():
    """The long help (a docstring, kept indented by click) finds its French translation."""
    import inspect

    from datactiviste.cli.base import _translate_help

    untranslated = [name for name, command in _all_commands()
                    if command.help and _translate_help(command.help) == inspect.cleandoc(command.help)]
    assert untranslated == []
