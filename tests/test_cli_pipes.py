"""`datactiviste … | head -1` through a real shell pipe, for every command that prints: it ends
quietly (no traceback, no "Exception ignored", exit 0 or 141 like any Unix tool stopped by the
pipe) and its first line means something (no raw Markdown).

`serve`, `demo` and `lesson join` run until stopped: only their --help is piped here; their
startup lines are checked by tests/test_serve.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "datactiviste" / "sample_data"
BUDGET = SAMPLE / "budget_communes" / "budget_communes_2024.csv"
TOWNS = SAMPLE / "villes_geonames" / "villes_afrique_francophone.csv"

pytestmark = pytest.mark.skipif(shutil.which("sh") is None or shutil.which("head") is None,
                                reason="needs a POSIX shell and head (a real pipe)")

# The shell pipe: the command's chosen stream goes into `head -1`, the other into a file.
PIPE_STDOUT = '{ "$@" 2>"$ERR"; echo $? >"$RC"; } | head -1'
PIPE_STDERR = '{ "$@" 2>&1 >"$ERR"; echo $? >"$RC"; } | head -1'


def _pipe(folder: Path, env: dict, args: list[str], stream: str = "stdout") -> tuple[str, str, int]:
    """Run the real CLI piped into `head -1`; returns (first line, the other stream, exit code)."""
    other, code = folder / "other.txt", folder / "rc.txt"
    script = PIPE_STDOUT if stream == "stdout" else PIPE_STDERR
    shown = subprocess.run(["sh", "-c", script, "sh", sys.executable, "-m", "datactiviste", *args],
                           capture_output=True, cwd=folder, timeout=180,
                           env=dict(env, ERR=str(other), RC=str(code)))
    return (shown.stdout.decode("utf-8", "replace"), other.read_text("utf-8", "replace"),
            int(code.read_text().strip()))


def _assert_quiet(args, first: str, other: str, code: int) -> None:
    for bad in ("Traceback", "BrokenPipe", "Exception ignored", "Erreur inattendue", "Unexpected error"):
        assert bad not in first and bad not in other, (args, bad, other[-800:])
    assert code in (0, 141), (args, code, other[-800:])
    assert first.strip(), (args, other[-800:])
    for shown in (first, other):
        assert "**" not in shown and "`" not in shown, (args, shown[-800:])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project folder with the sample data imported (as `make demo` does), and a learner at the
    first exercise of module 1."""
    folder = tmp_path_factory.mktemp("pipes")
    env = dict(os.environ, DATACTIVISTE_HOME=str(folder / "home"), DATACTIVISTE_LANG="fr",
               DATACTIVISTE_LEARNER="Awa Diop", COLUMNS="80")
    env.pop("DATACTIVISTE_DEBUG", None)
    files = [str(p) for p in sorted(SAMPLE.glob("*/*.csv"))]
    done = subprocess.run([sys.executable, "-m", "datactiviste", "import", *files],
                          capture_output=True, cwd=folder, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    for step in (["start", "1"], ["check"]):   # past the reading step: the exercise has hints
        started = subprocess.run([sys.executable, "-m", "datactiviste", "lesson", *step],
                                 capture_output=True, cwd=folder, env=env, timeout=120)
        assert started.returncode == 0, started.stderr.decode()[-2000:]
    return folder, env


def _subcommands(group: str) -> list[str]:
    from datactiviste.cli import cli

    import click

    context = click.Context(cli)
    command = cli.get_command(context, group)
    return sorted(command.list_commands(context)) if isinstance(command, click.Group) else []


def _help_lines() -> list[list[str]]:
    from datactiviste.cli import COMMANDS

    lines = [["--help"]] + [[name, "--help"] for name in COMMANDS]
    for group in COMMANDS:
        lines += [[group, sub, "--help"] for sub in _subcommands(group)]
    return lines


@pytest.mark.parametrize("args", _help_lines(), ids=" ".join)
def test_every_help_piped_into_head_ends_quietly(project, args):
    folder, env = project
    _assert_quiet(args, *_pipe(folder, env, args))


# Typical outputs, as long as the sample data allows (a pipe holds 64 KiB: longer outputs meet
# the closed pipe while writing, shorter ones when Python flushes at exit).
TYPICAL = [
    (["import", str(BUDGET), str(TOWNS), "--db", "again.db"], "stderr"),
    (["inspect", str(BUDGET)], "stdout"),
    (["inspect", str(TOWNS)], "stdout"),
    (["search", "datactiviste.db", "a", "--limit", "1000"], "stdout"),
    (["search", "dakar"], "stdout"),
    (["chart", "--table", "budget_communes_2024", "--type", "bar", "--x", "commune", "--y", "montant_fcfa",
      "-o", "budget"], "stderr"),
    (["map", "--table", "villes_afrique_francophone", "-o", "villes.html"], "stdout"),
    (["geocode", "--db", "datactiviste.db", "--table", "budget_communes_2024", "--place", "commune",
      "--country", "SN"], "stderr"),
    (["export", "datactiviste.db", "budget_communes_2024", "-o", "budget.csv"], "stderr"),
    (["csvkit", "csvcut", "-n", str(TOWNS)], "stdout"),
    (["csvkit", "csvlook", str(TOWNS)], "stdout"),
    (["sqlite-utils", "tables", "datactiviste.db", "--counts"], "stdout"),
    (["sqlite-utils", "rows", "datactiviste.db", "villes_afrique_francophone"], "stdout"),
    (["lesson", "list"], "stdout"),
    (["lesson", "show"], "stdout"),
    (["lesson", "hint"], "stdout"),
    (["lesson", "progress"], "stdout"),
    (["lesson", "verify", "-v"], "stdout"),
    (["lesson", "timetable", "-o", "programme.html"], "stdout"),
    (["dossier", "new", "enquete", "--db", "datactiviste.db"], "stderr"),
    (["dossier", "build", "enquete"], "stderr"),
    (["dossier", "check", "enquete"], "stderr"),
]


@pytest.mark.parametrize("args,stream", TYPICAL, ids=lambda value: " ".join(value)[:60]
                         if isinstance(value, list) else value)
def test_typical_outputs_piped_into_head_end_quietly(project, args, stream):
    folder, env = project
    _assert_quiet(args, *_pipe(folder, env, args, stream))


@pytest.mark.parametrize("args,fresh", [(["lesson", "start", "99"], False), (["lesson", "show"], True),
                                        (["lesson", "hint"], True)])
def test_refusals_name_commands_without_markdown_backticks(project, tmp_path, args, fresh):
    """'Que faire : Voyez datactiviste lesson list.', not '… `datactiviste lesson list`.'"""
    folder, env = project
    if fresh:   # nobody has started a lesson in this home
        env = dict(env, DATACTIVISTE_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-m", "datactiviste", *args], capture_output=True, cwd=folder,
                          env=env, timeout=120)
    shown = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "datactiviste lesson " in shown, (args, shown)
    assert "`" not in shown and "**" not in shown and "Traceback" not in shown, (args, shown)
