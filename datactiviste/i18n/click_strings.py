"""click's own user-visible strings, marked here so they land in our catalogs.

`translate_click()` sends click's gettext calls to our catalogs; this list is only read by
the extraction script and the catalog test. Keep it in step with the pinned click range.
"""

from datactiviste.i18n import N_, ngettext

CLICK_STRINGS = [
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("%(prog)s, version %(version)s"),
    N_("Aborted!"), N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing {param_type}"), N_("Missing parameter: {param_name}"), N_("Missing command."),
    N_("No such command {name!r}."), N_("No such option {name!r}."),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"),
    N_("Option {name!r} does not take a value."), N_("Argument {name!r} takes {nargs} values."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."), N_("Could not open file {filename!r}: {message}"),
    N_("file"), N_("directory"), N_("path"), N_("default: {default}"), N_("env var: {var}"),
    N_("Choose from:\n\t{choices}"), N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."), N_("Error: invalid input"),
    N_("Do you want to continue?"), N_("Press any key to continue..."), N_("unknown error"),
    N_("deprecated"), N_("Confirm the action without prompting."),
]


def _plurals(n: int) -> list[str]:
    # Never called: these ngettext calls exist so that extraction records click's plural ids.
    return [
        ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n),
        ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
        ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
        ngettext("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", n),
    ]
