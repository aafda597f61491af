"""One decision per column: its SQL type from its profile, then the user's overrides applied.

Why apart from the loader: the decision is the same whatever reads the rows (one process, parts,
a second pass) and whatever shows it (the import report, `inspect`); it depends only on the
profiles, the labels and the options.
"""

from __future__ import annotations

from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.ingest import names as naming
from datactiviste.ingest.results import ImportOptions
from datactiviste.ingest.shapes import ORDERED_SHAPES
from datactiviste.ingest.types import ColumnProfile, ColumnType, decide, file_convention

SQL_TYPES = ("TEXT", "INTEGER", "REAL", "DATE", "DATETIME")


def column_decisions(profiles: list[ColumnProfile], names: list[str], labels: list[str], options: ImportOptions,
                     delimiter: str | None, path: Path) -> list[ColumnType]:
    """The type of each column: decided from its profile in the file's decimal convention, then
    --decimal, --date-format and --type (by SQL name, label or 1-based position) applied."""
    decimal = options.decimal or file_convention(profiles, delimiter)
    decisions = []
    overrides = {k.lower(): v for k, v in options.types.items()}
    used_overrides = set()
    detected = [decide(profile, decimal, code_name=naming.names_codes(label or name),
                       code_list=naming.names_code_list(label or name), decimal_given=bool(options.decimal))
                for name, label, profile in zip(names, labels, profiles)]
    with_file_evidence(detected, profiles, names)
    for position, (name, label, profile, decision) in enumerate(zip(names, labels, profiles, detected)):
        if options.decimal and decision.sql_type in ("INTEGER", "REAL"):
            decision.decimal = options.decimal
            decision.uniform = decision.uniform and decide(profile, options.decimal).uniform
        if options.date_format and decision.sql_type in ("DATE", "DATETIME"):
            decision.date_order = options.date_format
        forced = None
        for key in (name.lower(), (label or "").strip().lower(), str(position + 1)):
            if key in overrides:
                forced = overrides[key]
                used_overrides.add(key)
                break
        if forced:
            decision = _forced_type(decision, forced, decimal, options.date_format)
        decisions.append(decision)
    unknown = set(overrides) - used_overrides
    if unknown:
        raise DatactivisteError(
            _("--type names a column that does not exist: {names}").format(names=", ".join(sorted(unknown))),
            path=str(path), hint=_("Columns: {names}").format(names=", ".join(names)))
    return decisions


def with_file_evidence(decisions: list[ColumnType], profiles: list[ColumnProfile], names: list[str]) -> None:
    """What one column cannot settle alone, settled by the rest of the file (in place).

    A date column whose every value reads both ways (1/3/2015) takes the order the file's other
    date columns prove, when they agree (a Start_Date with 6/15/2015 makes End_Date's 1/3/2015
    January 3rd). A column of nothing but marks the file uses for a missing value in its typed
    columns (`x` where its numbers are secret) is an empty column, not text."""
    proven = {}
    for name, decision, profile in zip(names, decisions, profiles):
        if decision.sql_type in ("DATE", "DATETIME") and set(profile.shapes) & ORDERED_SHAPES and \
                (profile.day_first_proof or profile.month_first_proof):
            proven.setdefault(decision.date_order, name)
    missing = {mark for decision, profile in zip(decisions, profiles) if decision.sql_type != "TEXT"
               for mark in profile.markers}
    for decision, profile in zip(decisions, profiles):
        if decision.sql_type in ("DATE", "DATETIME") and set(profile.shapes) & ORDERED_SHAPES and \
                not (profile.day_first_proof or profile.month_first_proof) and len(proven) == 1:
            (decision.date_order, decision.order_from), = proven.items()
        elif decision.reason == "only-markers" and set(profile.markers) <= missing:
            decision.reason = "only-missing-marks"


def _forced_type(detected: ColumnType, forced: str, decimal: str | None, date_format: str | None) -> ColumnType:
    forced = forced.upper()
    if forced not in SQL_TYPES:
        raise DatactivisteError(_("Unknown type {type}: use one of {types}.").format(type=forced, types=", ".join(SQL_TYPES)),
                                hint=_("Example: --type code_commune=TEXT"))
    kinds = {"TEXT": "text", "INTEGER": "integer", "REAL": "real", "DATE": "date", "DATETIME": "datetime"}
    return ColumnType(forced, kind=kinds[forced], decimal=detected.decimal or decimal or ",",
                      date_order=date_format or detected.date_order or "dmy", unit=detected.unit,
                      reason="override", overridden=True)
