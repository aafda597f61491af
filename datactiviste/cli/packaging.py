"""`datactiviste pack`: the offline kit for a USB stick, and `pack verify` for a copied kit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from datactiviste.cli.base import group, option
from datactiviste.cli.console import info, success, warning
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, ngettext
from datactiviste.i18n.formats import format_number


class _ProgressBar:
    """A click progress bar (on stderr) opened at the first report, once the total is known."""

    def __init__(self, label: str):
        self.label, self.bar = label, None

    def __enter__(self):
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@group("pack", invoke_without_command=True,
       epilog="Examples:\n"
              "  datactiviste pack -o kit-atelier\n"
              "  datactiviste pack -o kit-atelier.zip --tiles senegal.mbtiles\n"
              "  datactiviste pack -o E:/kit --program datactiviste.exe\n"
              "  datactiviste pack -o E:/kit-eleves --profile learners\n"
              "  datactiviste pack verify E:/kit")
@option("-o", "--output", type=click.Path(path_type=Path), metavar="DIR|FILE.zip",
        help="Folder to create for the kit, or a .zip file.")
@option("--tiles", multiple=True, type=click.Path(exists=True, path_type=Path), metavar="PATH",
        help="Offline map tile pack (file or folder) to add to the kit (repeatable).")
@option("--program", "programs", multiple=True, type=click.Path(exists=True, path_type=Path),
        metavar="PATH", help="Another build of datactiviste to add (a program file or a one-folder build), "
                             "e.g. the Windows datactiviste.exe (repeatable).")
@option("--profile", type=click.Choice(("trainer", "learners")), default="trainer", show_default=True,
        help="trainer: handouts with the solutions; learners: handouts without them.")
@option("--wheels", "wheels_from", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR",
        help="From a pip install: take the dependencies' wheels from DIR (pip download datactiviste -d DIR, "
             "made for the learners' system) instead of this computer's installation.")
@click.pass_context
def pack_group(ctx, output, tiles, programs, profile, wheels_from):
    """Make the offline kit for a USB stick: the program (or a wheel), printable handouts in French
    and English, the sample data, tile packs, a README for trainers and a MANIFEST of checksums."""
    if ctx.invoked_subcommand is not None:
        return
    if output is None:
        raise DatactivisteError(_("Say where to write the kit with -o FOLDER or -o FILE.zip."),
                                hint=_("For example: datactiviste pack -o kit-atelier"))
    from datactiviste.packaging.kit import make_kit

    info(_("Preparing the kit {path}...").format(path=output))
    with _ProgressBar(_("Copying")) as progress:
        kit = make_kit(output, tiles=tiles, programs=programs, progress=progress, profile=profile,
                       wheels_from=wheels_from)
    for note in kit.notes:
        warning(note)
    success(ngettext("Kit written: {path} ({count} file, {size} MiB).",
                     "Kit written: {path} ({count} files, {size} MiB).", kit.files).format(
        path=kit.path, count=kit.files, size=format_number(kit.size / 2**20, decimals=1)))
    info(_("Check a copy with: datactiviste pack verify {path}").format(path=kit.path))


@pack_group.command("verify", epilog="Examples:\n  datactiviste pack verify E:/kit-atelier\n"
                                     "  datactiviste pack verify kit-atelier.zip")
@click.argument("kit", type=click.Path(exists=True, path_type=Path))
def verify_command(kit):
    """Check a copied kit against its MANIFEST: every file present and intact."""
    from datactiviste.packaging.kit import verify_kit

    result = verify_kit(kit)
    for relative in result.missing:
        click.secho(_("Missing: {path}").format(path=relative), fg="red", err=True)
    for relative in result.corrupted:
        click.secho(_("Damaged (checksum differs): {path}").format(path=relative), fg="red", err=True)
    for relative in result.unexpected:
        warning(_("Not part of the kit: {path}").format(path=relative))
    if not result.ok:
        raise DatactivisteError(
            ngettext("The kit is incomplete: {count} file missing or damaged.",
                     "The kit is incomplete: {count} files missing or damaged.",
                     len(result.missing) + len(result.corrupted)).format(count=len(result.missing) + len(result.corrupted)),
            hint=_("Copy the files named above again from the trainer's stick."))
    success(ngettext("The kit is complete: {count} file checked.",
                     "The kit is complete: {count} files checked.", result.checked).format(count=result.checked))
