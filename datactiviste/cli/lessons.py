"""`datactiviste lesson ...`: follow the workshop modules, checked by the tool itself."""

from __future__ import annotations

from pathlib import Path

import click

from datactiviste.cli.base import group, option
from datactiviste.cli.console import secho_plain
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import LANGUAGES, _, get_language, ngettext


def _session(ctx):
    from datactiviste.lessons.progress import ProgressStore
    from datactiviste.lessons.session import LessonSession

    store = ProgressStore(ctx.obj["learner"])
    ctx.call_on_close(store.close)
    session = LessonSession(store, Path.cwd())
    ctx.call_on_close(lambda: _send_to_room(session))   # runs first (last in, first out)
    return session


def _send_to_room(session):
    """After a command that recorded events, send them to the live room if she joined one; one
    line when they wait for the network. Never fails the command, never longer than 3 s."""
    if not session.recorded:
        return
    from datactiviste.lessons.live import SendReport, flush, waiting

    try:
        report = flush(session.store)
    except DatactivisteError as error:
        click.secho(error.message, fg="yellow", err=True)
        return
    except KeyboardInterrupt:   # Ctrl-C while the network is slow: her answer is recorded and queued
        report = SendReport(0, waiting(session.store), offline=True)
    _say_sent(report, asked=False)


def _say_sent(report, asked: bool) -> None:
    """What a flush did, in one line after a lesson command; with the reason when she `asked`."""
    if report is None:
        return
    count = report.waiting
    if not count:
        if asked:
            click.secho(ngettext("Sent: {count} new result for the trainer.",
                                 "Sent: {count} new results for the trainer.", report.sent).format(
                count=report.sent) if report.sent else _("Nothing to send: the trainer has all your results."),
                fg="green", err=True)
        return
    if report.problem and (asked or report.new_problem):
        click.secho(report.problem, fg="yellow", err=True)
        if report.rejoin:
            click.echo(_("If the trainer gave a new code or address, join again: "
                         "datactiviste lesson join URL CODE"), err=True)
    if report.offline:
        click.secho(ngettext("Result kept; it will be sent to the trainer when the network is back "
                             "({count} waiting).",
                             "Results kept; they will be sent to the trainer when the network is back "
                             "({count} waiting).", count).format(count=count), fg="yellow", err=True)
    else:
        click.secho(ngettext("{count} result kept for the trainer, not sent (see datactiviste lesson sync).",
                             "{count} results kept for the trainer, not sent (see datactiviste lesson sync).",
                             count).format(count=count), fg="yellow", err=True)


def _ask_name(ctx, name):
    """The learner's name for the trainer: given, else asked once at a console, kept in the folder."""
    from datactiviste.lessons.identity import remember_learner

    if name is None and not ctx.obj["learner_known"] and click.get_text_stream("stdin").isatty():
        name = click.prompt(_("Your name (for the trainer)"), default=ctx.obj["learner"])
    if name is not None:
        ctx.obj["learner"] = remember_learner(Path.cwd(), name)


def _style():
    """click.style on a console; None in a pipe, so files and `| head` get plain text."""
    from datactiviste.cli.console import stdout_is_console

    return click.style if stdout_is_console() else None


def _show_outcome_next(module, step):
    from datactiviste.lessons.session import step_text

    click.echo("")
    click.echo(step_text(module, step, _style()))


@group("lesson", epilog="Examples:\n"
                        "  datactiviste lesson list\n"
                        "  datactiviste lesson start 2\n"
                        "  datactiviste lesson --learner \"Aïssatou\" check 309")
@option("--learner", metavar="NAME", default=None,
        help="Whose progress to use (default: DATACTIVISTE_LEARNER, then your user name).")
@click.pass_context
def lesson_group(ctx, learner):
    """Workshop lessons, checked by the tool: start a module, answer, get hints, follow progress."""
    from datactiviste.lessons.identity import current_learner

    name, known = current_learner(Path.cwd(), learner)
    ctx.ensure_object(dict).update(learner=name, learner_known=known)


@lesson_group.command("list", epilog="Examples:\n  datactiviste lesson list")
@click.pass_context
def list_command(ctx):
    """List the modules, one per line: number, title, minutes and your progress."""
    for module, done, total in _session(ctx).summary():
        click.echo(_("{number}. {title} ({minutes} min) — {done}/{total} exercises").format(
            number=module.number, title=module.title, minutes=module.minutes, done=done, total=total))


@lesson_group.command("start", epilog="Examples:\n  datactiviste lesson start 2\n"
                                      "  datactiviste lesson start 1 --name \"Awa Diop\"")
@click.argument("number", type=int)
@option("--name", metavar="NAME", default=None,
        help="Your name, kept in this folder for the trainer (asked once if not given).")
@click.pass_context
def start_command(ctx, number, name):
    """Start (or resume) module NUMBER; its files are copied into the current folder."""
    _ask_name(ctx, name)
    session = _session(ctx)
    module, step, added = session.start(number)
    click.secho(_("Module {number}: {title}").format(number=module.number, title=module.title), bold=True)
    unfinished = session.unfinished_prerequisites(module)
    if unfinished:
        click.secho(ngettext("Module {numbers} comes first; you can still go on.",
                             "Modules {numbers} come first; you can still go on.", len(unfinished)).format(
            numbers=", ".join(map(str, unfinished))), fg="yellow")
    from datactiviste.lessons.markup import to_terminal

    click.echo(to_terminal(module.summary.strip(), _style()))
    click.echo(_("Objectives:"))
    for objective in module.objectives:
        click.echo(f"  - {to_terminal(objective, _style())}")
    if added:
        click.echo(_("Files added to this folder: {files}").format(files=", ".join(added)))
    _show_outcome_next(module, step)


@lesson_group.command("show", epilog="Examples:\n  datactiviste lesson show")
@click.pass_context
def show_command(ctx):
    """Show the current step again."""
    from datactiviste.lessons.session import step_text

    module, step = _session(ctx).current()
    click.echo(step_text(module, step, _style()))


@lesson_group.command("hint", epilog="Examples:\n  datactiviste lesson hint")
@click.pass_context
def hint_command(ctx):
    """Show the next hint for the current exercise; after the last hint, the solution."""
    hint = _session(ctx).hint()
    if hint.is_solution:
        click.secho(_("Solution:"), bold=True)
    else:
        click.secho(_("Hint {level}/{count}:").format(level=hint.level, count=hint.count), bold=True)
    from datactiviste.lessons.markup import to_terminal

    click.echo(to_terminal(hint.text.strip(), _style()))


@lesson_group.command("check", epilog="Examples:\n"
                                      "  datactiviste lesson check 309\n"
                                      "  datactiviste lesson check \"Thiès\"\n"
                                      "  datactiviste lesson check --sql \"SELECT count(*) FROM communes\"\n"
                                      "  datactiviste lesson check --file requete.sql")
@click.argument("answer", required=False)
@option("--sql", "sql", metavar="QUERY", help="Your SQL query, for SQL exercises.")
@option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Read your answer (e.g. a SQL query) from this file.")
@click.pass_context
def check_command(ctx, answer, sql, file):
    """Check your answer to the current step (nothing to give for explanations and "do it" steps)."""
    given = [value for value in (answer, sql) if value is not None]
    if file is not None:
        from datactiviste.lessons.checkers import read_answer_file

        given.append(read_answer_file(file))
    if len(given) > 1:
        raise DatactivisteError(_("Give one answer only: ANSWER, --sql or --file."))
    from datactiviste.lessons.markup import to_terminal

    outcome = _session(ctx).check(given[0] if given else None)
    message = to_terminal(outcome.result.message)
    if outcome.result.ok:
        click.secho(message, fg="green")
        if outcome.module_finished:
            secho_plain(_("Module finished. Well done! See `datactiviste lesson list` for the next one."),
                        fg="green", bold=True)
        elif outcome.next_step is not None:
            module, _step = _session(ctx).current()
            _show_outcome_next(module, outcome.next_step)
        return
    click.secho(message, fg="red")
    click.echo(_("Try again, or ask for a hint: datactiviste lesson hint"))
    ctx.exit(1)


@lesson_group.command("join", epilog="Examples:\n"
                                     "  datactiviste lesson join http://192.168.43.1:8001 K7P2QX --name \"Awa Diop\"\n"
                                     "  datactiviste lesson join\n"
                                     "  datactiviste lesson join --leave")
@click.argument("url", required=False)
@click.argument("code", required=False)
@option("--name", metavar="NAME", default=None,
        help="Your name, as the trainer will see it (asked once if not given).")
@option("--leave", is_flag=True, help="Leave the live room: stop sending results to the trainer.")
@click.pass_context
def join_command(ctx, url, code, name, leave):
    """Join the trainer's live room (serve --classroom): your results go to the trainer as well as here.

    Without URL and CODE, says which room you are in."""
    from datactiviste.lessons import live

    if leave:
        room = live.leave(_session(ctx).store)
        click.echo(_("You left the live room at {url}.").format(url=room.address.url) if room
                   else _("You are not in a live room."))
        return
    if url is None:
        _say_where(_session(ctx).store)
        return
    if code is None:
        raise DatactivisteError(_("Give the room code written on the board after the address."),
                                hint=_("e.g. datactiviste lesson join http://192.168.43.1:8001 K7P2QX"))
    _ask_name(ctx, name)
    session = _session(ctx)
    room, new = live.join(session.store, url, code, ctx.obj["learner"])
    message = (_("You joined room {room} at {url} as {name}.") if new
               else _("You are already in room {room} at {url} as {name}."))
    click.secho(message.format(room=room.room, url=room.address.url, name=room.name), fg="green")
    _say_sent(live.flush(session.store, live.SYNC_BUDGET, asked=True), asked=True)


def _say_where(store) -> None:
    from datactiviste.lessons import live

    room = live.joined_room(store)
    if room is None:
        click.echo(_("You are not in a live room."))
        click.echo(_("Join the trainer's with: datactiviste lesson join http://ADDRESS:PORT CODE"))
        return
    click.echo(_("You are in room {room} at {url} as {name}.").format(room=room.room, url=room.address.url,
                                                                       name=room.name))
    count = live.waiting(store)
    click.echo(ngettext("{count} result waits to be sent (datactiviste lesson sync).",
                        "{count} results wait to be sent (datactiviste lesson sync).", count).format(count=count)
               if count else _("Nothing waits: the trainer has all your results."))


@lesson_group.command("sync", epilog="Examples:\n  datactiviste lesson sync")
@click.pass_context
def sync_command(ctx):
    """Send the results that wait for the trainer's live room now (exit code 1 if some still wait)."""
    from datactiviste.lessons import live

    store = _session(ctx).store
    if live.joined_room(store) is None:
        raise DatactivisteError(_("You are not in a live room."),
                                hint=_("Join the trainer's with: datactiviste lesson join http://ADDRESS:PORT CODE"))
    report = live.flush(store, live.SYNC_BUDGET, asked=True)
    _say_sent(report, asked=True)
    if report.waiting:
        ctx.exit(1)


@lesson_group.command("progress", epilog="Examples:\n  datactiviste lesson progress\n"
                                         "  datactiviste lesson --learner Moussa progress")
@click.pass_context
def progress_command(ctx):
    """Show your progress in every module and where you are."""
    session = _session(ctx)
    click.secho(_("Progress of {name}").format(name=session.store.name), bold=True)
    for module, done, total in session.summary():
        mark = "✓" if total and done == total else " "
        click.echo(f" {mark} " + _("{number}. {title}: {done}/{total} exercises").format(
            number=module.number, title=module.title, done=done, total=total))
    if session.store.get_state("module"):
        module, step = session.current()
        click.echo(_("Current: module {number}, step {step}.").format(number=module.number, step=step.id))


@lesson_group.command("reset", epilog="Examples:\n  datactiviste lesson reset 2 --yes\n"
                                      "  datactiviste lesson reset --yes")
@click.argument("number", type=int, required=False)
@option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def reset_command(ctx, number, yes):
    """Forget your progress in module NUMBER (or in every module)."""
    session = _session(ctx)
    question = (_("Forget your progress in module {number}?").format(number=number) if number is not None
                else _("Forget all your progress?"))
    if not yes and not click.confirm(question, default=False):
        click.echo(_("Nothing was changed."))
        return
    removed = session.store.reset(number)
    click.echo(_("Progress forgotten ({count} records).").format(count=removed))


@lesson_group.command("export-progress", epilog="Examples:\n  datactiviste lesson export-progress\n"
                                                "  datactiviste lesson export-progress -o E:/progres-awa.json")
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="File to write (default: progress-NAME.json in the current folder).")
@click.pass_context
def export_command(ctx, output):
    """Write your progress to a small file to carry on a USB stick to the trainer."""
    from datactiviste.lessons.progress import learner_key

    session = _session(ctx)
    path = session.store.write_export(output or Path(f"progress-{learner_key(session.store.name)}.json"))
    click.echo(_("Progress written to {path} ({size} bytes).").format(path=path, size=path.stat().st_size))


@lesson_group.command("import-progress", epilog="Examples:\n  datactiviste lesson import-progress progress-awa.json")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def import_command(ctx, file):
    """Add the progress saved in FILE (from export-progress) to this learner's progress."""
    from datactiviste.lessons.progress import read_export

    added = _session(ctx).merge(read_export(file))
    click.echo(_("{count} records added.").format(count=added))


@lesson_group.command("class-report", epilog="Examples:\n"
                                             "  datactiviste lesson class-report progress-*.json -o classe.html")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("class-report.html"),
        show_default=True, help="HTML file to write.")
def class_report_command(files, output):
    """Merge learners' progress files into one HTML page: who finished what, where people got stuck."""
    from datactiviste.lessons.report import write_class_report

    path, learners = write_class_report(files, output)
    click.echo(_("Class report for {count} learners written to {path}.").format(count=learners, path=path))


@lesson_group.command("verify", epilog="Examples:\n  datactiviste lesson verify\n"
                                      "  datactiviste lesson verify --module 4 --strict")
@option("--module", "modules", type=int, multiple=True, help="Only this module (repeatable).")
@option("--strict", is_flag=True, help="Fail when a solution command is not available in this build.")
@option("--verbose", "-v", is_flag=True, help="List every case, not only problems.")
def verify_command(modules, strict, verbose):
    """Check every exercise: solutions must pass and wrong answers must fail with a message."""
    from datactiviste.lessons.verify import FAIL, SKIP, verify

    outcomes = verify(list(modules) or None)
    failed = [o for o in outcomes if o.status == FAIL or (strict and o.status == SKIP)]
    for outcome in outcomes:
        if verbose or outcome.status != "pass":
            colour = {"pass": "green", "skip": "yellow", "fail": "red"}[outcome.status]
            click.secho(f"[{outcome.status}] {outcome.module} {outcome.language} {outcome.step} "
                        f"({outcome.case}): {outcome.message}", fg=colour)
    passed = sum(1 for o in outcomes if o.status == "pass")
    skipped = sum(1 for o in outcomes if o.status == SKIP)
    click.echo(", ".join([
        ngettext("{count} check passed", "{count} checks passed", passed).format(count=passed),
        ngettext("{count} failed", "{count} failed", len(failed)).format(count=len(failed)),
        ngettext("{count} skipped", "{count} skipped", skipped).format(count=skipped)]) + ".")
    if failed:
        ctx = click.get_current_context()
        ctx.exit(1)


@lesson_group.command("handouts", epilog="Examples:\n  datactiviste lesson handouts -o polycopies\n"
                                         "  datactiviste lesson handouts --lang all -o handouts")
@option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("handouts"),
        show_default=True, help="Folder to write the pages to.")
@option("--lang", "language", type=click.Choice(LANGUAGES + ("all",)), default=None,
        help="Language of the handouts (default: the current language; 'all' for both).")
def handouts_command(output, language):
    """Write printable offline HTML pages for every module: learner and facilitator versions."""
    from datactiviste.lessons.handouts import write_handouts

    languages = LANGUAGES if language == "all" else (language or get_language(),)
    written = write_handouts(output, languages)
    total = sum(p.stat().st_size for p in written)
    click.echo(_("{count} pages written to {folder} ({size} KB in all).").format(
        count=len(written), folder=output, size=total // 1024))


@lesson_group.command("timetable", epilog="Examples:\n  datactiviste lesson timetable -o programme.html\n"
                                          "  datactiviste --lang en lesson timetable")
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("timetable.html"),
        show_default=True, help="HTML file to write.")
def timetable_command(output):
    """Write a printable workshop timetable built from the modules' durations, with breaks."""
    from datactiviste.lessons.trainer import write_timetable

    path = write_timetable(output)
    click.echo(_("Timetable written to {path}.").format(path=path))


@lesson_group.command("certificates", epilog="Examples:\n"
                                             "  datactiviste lesson certificates progress-*.json --trainer \"Awa Diop\" "
                                             "--organisation \"Club des journalistes\" -o attestations.html")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@option("--trainer", required=True, metavar="NAME", help="The trainer's name, printed on each certificate.")
@option("--organisation", required=True, metavar="NAME", help="The organisation that ran the workshop.")
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("certificates.html"),
        show_default=True, help="HTML file to write (print it: one page per learner).")
def certificates_command(files, trainer, organisation, output):
    """Printable certificates of participation from learners' progress files."""
    from datactiviste.lessons.trainer import write_certificates

    path, count = write_certificates(files, output, trainer, organisation)
    click.echo(ngettext("{count} certificate written to {path}.", "{count} certificates written to {path}.",
                        count).format(count=count, path=path))
