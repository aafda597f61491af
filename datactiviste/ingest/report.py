"""The import report in the user's language: what was detected, and how to override each guess."""

from __future__ import annotations

from datactiviste.i18n import _, ngettext
from datactiviste.i18n.formats import format_number
from datactiviste.ingest.readers import SkippedSheet
from datactiviste.ingest.workbooks import describe_skipped_sheet

def _n(value: int) -> str:
    return format_number(value, decimals=0)


def _lines(lines: list[int], count: int) -> str:
    """` (line 18)`, ` (lines 18, 19…)`: where the rows a count speaks of are, the first few."""
    if not lines:
        return ""
    listed = ", ".join(_n(line) for line in lines) + ("…" if count > len(lines) else "")
    return " (" + ngettext("line {lines}", "lines {lines}", count).format(lines=listed) + ")"


def _delimiter(symbol: str | None) -> str:
    names = {",": _("comma (,)"), ";": _("semicolon (;)"), "\t": _("tab"), "|": _("pipe (|)"), " ": _("spaces (a run of spaces is one separator)")}
    return names.get(symbol, repr(symbol))


def _encoding_reason(reason: str | None) -> str:
    return {
        "bom": _("byte-order mark"),
        "utf16-pattern": _("UTF-16 byte pattern"),
        "utf8-valid": _("valid UTF-8 throughout"),
        "utf8-double-encoded": _("UTF-8 encoded twice (Ã© instead of é): repaired"),
        "cp1252-bytes": _("Windows characters (’ œ …) in bytes 0x80–0x9F"),
        "legacy-letters": _("not UTF-8; accented letters read best this way"),
        "greek-letters": _("not UTF-8; its letters form Greek words in this code page, not in Latin-1"),
        "cyrillic-letters": _("not UTF-8; its letters form Cyrillic words in this code page, not in Latin-1"),
        "arabic-letters": _("not UTF-8; its letters form Arabic words in this code page, not in Latin-1"),
        "hebrew-letters": _("not UTF-8; its letters form Hebrew words in this code page, not in Latin-1"),
        "central-european-letters": _("not UTF-8; its letters (ł ą ś ř ě ő…) read as Central European words "
                                      "in this code page"),
        "turkish-letters": _("not UTF-8; its letters (ğ ı ş İ) read as Turkish words in this code page"),
        "mixed": _("mostly UTF-8 with some lines in an older encoding"),
        "legacy-with-utf8-lines": _("not UTF-8, except a few lines, whose Ã© were repaired to é"),
        "forced": _("chosen with --encoding"),
    }.get(reason or "", reason or "")


def _header_reason(reason: str, columns=()) -> str:
    if reason == "stacked-merged":
        # The file's own first merged label, not an example that could pass for one of its labels.
        merged = next((column.label for column in columns if " — " in (column.label or "")), None)
        if merged:
            return _("several header lines merged into one label per column («{label}»)").format(label=merged)
    return {
        "first-row": _("first line"),
        "after-preamble": _("after title or comment lines"),
        "stacked-header": _("right above the data, under lines of titles or notes"),
        "stacked-merged": _("several header lines merged into one label per column (Population — 2019)"),
        "skip-lines": _("chosen with --skip-lines"),
        "no-header": _("no header (--no-header)"),
        "no-clean-header": _("no clear header found: every line imported as data"),
        "no-header-detected": _("none: the first line reads like the rows under it, imported as data — to change: --skip-lines 0"),
        "json-keys": _("JSON keys"),
        "json-tree": _("a JSON tree flattened: one row per leaf, the levels above it as columns (name (1), name (2)…)"),
    }.get(reason, reason)


def describe_column(column) -> str:
    """One line explaining a column's type decision."""
    if column.kind == "empty":
        return _("empty column")
    marks = ", ".join(f"« {mark} »" for mark in sorted(column.markers, key=lambda mark: -column.markers[mark])[:5])
    if column.reason == "only-markers":
        return _("only the marks {marks} (missing or ticked values), kept as written").format(marks=marks)
    if column.reason == "only-missing-numbers":
        return _("only the marks {marks} of a missing number: numbers, none known (empty)").format(marks=marks)
    if column.reason == "only-missing-marks":
        return _("only the marks {marks} of a missing value: empty").format(marks=marks)
    if column.kind == "extra":
        return _("values beyond the header (extra fields), kept")
    if column.reason == "ambiguous-separators":
        return _("numbers written with both 3,000 and 3.000, nothing saying which is the decimal separator: "
                 "kept as written — to choose: --decimal , or --decimal .")
    if column.kind == "section":
        return _("the title of the section each row is under (its title lines are set aside) — without it: --keep-notes")
    if column.kind == "code":
        if column.reason == "alphanumeric-codes":
            return _("codes, some with letters (2A, 2B), kept as text")
        if column.reason == "code-lists":
            return _("codes, some listed with commas (24,27), kept as text")
        if column.reason == "long-numbers":
            return _("identifiers of more than 18 digits, kept as text so that no digit is lost")
        return _("codes with leading zeros (01001) kept as text")
    if column.reason == "override":
        text = _("type forced with --type")
    elif column.type == "INTEGER":
        text = _("whole numbers")
    elif column.type == "REAL":
        if column.decimal == ",":
            text = _("numbers, decimal comma (1 234,5)")
        else:
            text = _("numbers, decimal point (1,234.5)")
    elif column.type in ("DATE", "DATETIME"):
        order = {"dmy": _("day/month/year"), "mdy": _("month/day/year"), "ymd": _("year-month-day"),
                 "yyyymmdd": _("YYYYMMDD (year, month, day without separators)")}
        order = order.get(column.date_order or "", column.date_order or "")
        if column.kind == "month":
            text = _("months (janvier 2024, 2024-03), stored as YYYY-MM-01, the first day of the month")
        elif column.type == "DATETIME":
            text = _("dates and times read as {order}, stored as YYYY-MM-DD HH:MM:SS").format(order=order)
            if getattr(column, "utc", False):
                text += " · " + _("times written with their time zone (Z, +01:00) converted to UTC")
        else:
            text = _("dates read as {order}, stored as YYYY-MM-DD").format(order=order)
        if getattr(column, "order_from", None):
            text += " · " + _("every date reads both ways: the order the dates of « {column} » prove").format(
                column=column.order_from)
        if column.reason == "dates-two-digit-years":
            text += " · " + _("two-digit years: 00–29 are 20xx, 30–99 are 19xx, as in spreadsheets")
    else:
        text = _("text")
    if column.unit:
        text += " · " + _("unit: {unit}").format(unit=column.unit)
    if column.markers:
        shown = ", ".join(f"« {marker} » ×{_n(count)}" for marker, count in sorted(column.markers.items()))
        text += " · " + _("missing-value markers set to empty: {markers}").format(markers=shown)
    if column.anomalies:
        text += " · " + ngettext("{count} value kept as text (see _anomalies): {examples}",
                                 "{count} values kept as text (see _anomalies): {examples}",
                                 column.anomalies).format(count=_n(column.anomalies),
                                                          examples=", ".join(f"« {e} »" for e in column.examples))
    return text


def render_import(result, verb: str | None = None) -> str:
    lines = []
    where = result.database if not result.dry_run else None
    title = _("{file} → table «{table}»").format(file=result.file_name + (f" [{result.sheet}]" if result.sheet else ""),
                                                table=result.table)
    if where:
        title += f" ({where})"
    lines.append(title)
    stacked = getattr(result, "blocks", 1) > 1
    if stacked and result.format == "csv":
        lines.append("  ⚠ " + ngettext("The file holds {count} table under another, each with labels of its own: "
                                      "imported as {count} tables, this one from line {row}",
                                      "The file holds {count} tables one under another, each with labels of its own: "
                                      "imported as {count} tables, this one from line {row}",
                                      result.blocks).format(count=_n(result.blocks), row=_n(result.block_line or 1)))
    elif stacked:
        lines.append("  ⚠ " + ngettext("The sheet holds {count} table under another, each with labels of its own: "
                                      "imported as {count} tables, this one from row {row}",
                                      "The sheet holds {count} tables one under another, each with labels of its own: "
                                      "imported as {count} tables, this one from row {row}",
                                      result.blocks).format(count=_n(result.blocks), row=_n(result.block_line or 1)))
    for sheet in getattr(result, "skipped_sheets", None) or []:
        lines.append("  ⚠ " + _("Sheet «{sheet}» skipped, no table in it: {why}").format(
            sheet=sheet["name"], why=describe_skipped_sheet(SkippedSheet(**sheet))))
    if result.encoding:
        lines.append("  " + _("Encoding: {encoding} ({reason}) — to change: --encoding").format(
            encoding=result.encoding, reason=_encoding_reason(result.encoding_reason)))
    if result.legacy_lines:
        lines.append("  " + _("Lines in the older encoding ({encoding}): {lines}").format(
            encoding=getattr(result, "legacy_encoding", None) or "?",
            lines=", ".join(str(n) for n in result.legacy_lines[:10])))
    if result.nul_bytes:
        lines.append("  " + ngettext("{count} NUL byte removed", "{count} NUL bytes removed",
                                     result.nul_bytes).format(count=_n(result.nul_bytes)))
    if result.delimiter and len(result.columns) == 1 and result.format == "csv":
        # The reader splits on a character the file never uses: naming it would mislead.
        lines.append("  " + _("Delimiter: none (one column) — to change: --delimiter"))
    elif result.delimiter:
        lines.append("  " + _("Delimiter: {delimiter} — to change: --delimiter").format(
            delimiter=_delimiter(result.delimiter)))
    if result.header_line:
        lines.append("  " + _("Header: line {line} ({reason}) — to change: --skip-lines N or --no-header").format(
            line=result.header_line, reason=_header_reason(result.header_reason, result.columns)))
    elif result.header_reason:
        lines.append("  " + _("Header: {reason}").format(reason=_header_reason(result.header_reason, result.columns)))
    if getattr(result, "value_flags", False):
        lines.append("  " + _("Eurostat file: the flags after the values (e estimated, p provisional, b break in series, "
                              "n not significant, z not applicable…) were taken off, the numbers kept; ':' is no value"))
    if getattr(result, "padded_quotes", False):
        lines.append("  " + _("Spaces aligning the columns after the closing quotes taken off the values"))
    if getattr(result, "stray_quotes", False):
        lines.append("  " + _("Quotes inside quoted cells were not doubled: a quote ends a cell only before the "
                              "delimiter or the end of the line"))
    if getattr(result, "excel_text", False):
        lines.append("  " + _("Cells written as Excel text formulas (=\"01001\") read as their text (01001)"))
    if getattr(result, "empty_marker", None):
        lines.append("  " + _("Cells written {marker} read as empty: the file writes {marker} in every empty cell, "
                              "blank rows included").format(marker=f"« {result.empty_marker} »"))
    if result.skipped_lines:
        lines.append("  " + ngettext("{count} line before the header (title, notes) kept in _anomalies",
                                     "{count} lines before the header (title, notes) kept in _anomalies",
                                     result.skipped_lines).format(count=_n(result.skipped_lines)))
    if getattr(result, "header_rows", 0):
        lines.append("  " + ngettext("{count} row under the labels belongs to the header (tags, units, description), "
                                     "kept in _anomalies",
                                     "{count} rows under the labels belong to the header (tags, units, description), "
                                     "kept in _anomalies", result.header_rows).format(count=_n(result.header_rows)))
    counts = _("Rows: {written} imported").format(written=_n(result.rows_written))
    details = []
    if result.empty_rows:
        details.append(ngettext("{count} empty line skipped", "{count} empty lines skipped",
                                result.empty_rows).format(count=_n(result.empty_rows)))
    if result.repeated_headers:
        details.append(ngettext("{count} repeated header line skipped", "{count} repeated header lines skipped",
                                result.repeated_headers).format(count=_n(result.repeated_headers)))
    if result.footer_lines:
        details.append(ngettext("{count} note line after the data kept in _anomalies",
                                "{count} note lines after the data kept in _anomalies",
                                result.footer_lines).format(count=_n(result.footer_lines)))
    if result.padded_rows:
        details.append(ngettext("{count} short row completed with empty values",
                                "{count} short rows completed with empty values",
                                result.padded_rows).format(count=_n(result.padded_rows)) + _lines(result.short_lines,
                                                                                                 result.padded_rows))
    if result.rejoined_rows:
        details.append(ngettext("{count} row cut by a line break outside quotes, joined again",
                                "{count} rows cut by a line break outside quotes, joined again",
                                result.rejoined_rows).format(count=_n(result.rejoined_rows)) + _lines(
            result.rejoined_lines, result.rejoined_rows))
    if getattr(result, "merged_filled", 0):
        details.append(ngettext("{count} cell under a cell merged down over it given its value (as the sheet shows it)",
                                "{count} cells under cells merged down over them given their value (as the sheet "
                                "shows them)", result.merged_filled).format(count=_n(result.merged_filled)))
    if result.extra_field_rows:
        details.append(ngettext("{count} row with extra values (kept in extra columns)",
                                "{count} rows with extra values (kept in extra columns)",
                                result.extra_field_rows).format(count=_n(result.extra_field_rows)) + _lines(
            result.extra_lines, result.extra_field_rows))
    if result.folded_rows:
        details.append(ngettext("{count} row with more values than a table has columns: the last extra column "
                                "holds the rest, separated as in the file",
                                "{count} rows with more values than a table has columns: the last extra column "
                                "holds the rest, separated as in the file",
                                result.folded_rows).format(count=_n(result.folded_rows)))
    sections = getattr(result, "section_rows", 0)
    if sections:
        details.append(ngettext("{count} section title set aside (kept in _anomalies)",
                                "{count} section titles set aside (kept in _anomalies)",
                                sections).format(count=_n(sections)))
    if result.totals:
        details.append(ngettext("{count} total row set aside (it repeats the sum of other rows)",
                                "{count} total rows set aside (they repeat the sum of other rows)",
                                result.totals).format(count=_n(result.totals)))
    lines.append("  " + counts + (" — " + " · ".join(details) if details else ""))
    if not result.rows_written and not result.appended:
        lines.append("  " + _("Empty table: the file has a header and no data rows; the table has its columns."))
    lines += _set_aside_lines(result)
    if result.parts > 1:
        lines.append("  " + _("Read by {count} processes at once in {seconds} s — to use one: --jobs 1").format(
            count=result.parts, seconds=format_number(result.seconds, decimals=1)))
    lines.append("  " + _("Columns:"))
    width = max((len(c.name) for c in result.columns), default=0)
    for column in result.columns:
        label = f" «{column.label}»" if column.label and column.label != column.name else ""
        lines.append(f"    {column.name.ljust(width)}  {column.type:<8} {describe_column(column)}{label}")
    if result.indexed:
        lines.append("  " + _("Indexed for fast filtering and sorting: {columns}").format(
            columns=", ".join(result.indexed)))
    if result.searchable:
        lines.append("  " + _("Searchable (full text, accents and case ignored): {columns} — to skip: --no-search").format(
            columns=", ".join(result.searchable)))
    if result.replaced:
        lines.append("  " + _("The table existed: it was replaced (use --append to add rows instead)."))
    if result.appended:
        lines.append("  " + _("Rows added to the existing table (--append)."))
    forced = [c for c in result.columns if c.type != "TEXT" and c.kind not in ("extra", "empty")]
    if forced:
        lines.append("  " + _("To force a type: --type {name}=TEXT (or INTEGER, REAL, DATE)").format(name=forced[0].name))
    return "\n".join(lines)


_KEEP_OPTION = {"footer": "--keep-notes", "comment": "--keep-notes", "section": "--keep-notes", "header-notes": "--keep-notes",
                "total": "--keep-totals",
                "preamble": "--skip-lines 0"}


def _set_aside_reason(reason: str) -> str:
    return {"preamble": _("above the header"), "footer": _("note under the table"),
            "total": _("total of other rows"), "repeated-header": _("header repeated"),
            "header-tags": _("HXL hashtag row under the header"),
            "section": _("section title inside the table"),
            "header-names": _("variable names under the labels"),
            "header-notes": _("note under the labels, above the first row"),
            "header-metadata": _("description of the columns under the header (unit, frequency…)"),
            "comment": _("comment line (#), like those above the header")}.get(reason, reason)


def _set_aside_lines(result) -> list[str]:
    """Each line that is not a row, by number and first characters, with the option that keeps it."""
    out = []
    listed = getattr(result, "set_aside", None) or []
    if listed:
        out.append("  " + _("Not imported as rows (kept in _anomalies):"))
        for entry in listed[:12]:
            option = entry.get("keep") or _KEEP_OPTION.get(entry["reason"])
            keep = (" — " + _("to keep it: {option}").format(option=option)) if option else ""
            out.append("    " + _("line {line}: «{text}» ({reason})").format(
                line=entry["line"] if entry["line"] is not None else "?", text=entry["text"],
                reason=_set_aside_reason(entry["reason"])) + keep)
        if result.set_aside_count > 12:
            out.append("    " + _("… and {count} more: SELECT * FROM _anomalies").format(
                count=_n(result.set_aside_count - 12)))
    for entry in getattr(result, "kept_totals", None) or []:
        out.append("  " + _("Line {line} is a total of other rows, kept as a row (--keep-totals): «{text}»").format(
            line=entry["line"], text=entry["text"]))
    for entry in getattr(result, "suspect_totals", None) or []:
        if entry.get("columns"):
            out.append("  ⚠ " + _("Line {line} looks like a total and repeats the one row above it: a total of one "
                                  "row proves nothing, kept as a row (check it): «{text}»").format(
                line=entry["line"], text=entry["text"]))
            continue
        out.append("  ⚠ " + _("Line {line} looks like a total but does not add up; kept as a row: «{text}»").format(
            line=entry["line"], text=entry["text"]))
    subtotals = getattr(result, "subtotal_lines", None) or []
    if subtotals:
        shown = ", ".join(str(line) for line in subtotals[:8]) + (f" (+{_n(len(subtotals) - 8)})" if len(subtotals) > 8 else "")
        out.append("  ⚠ " + ngettext(
            "{count} row is the sum of the rows right under it (a subtotal over its parts), kept as a row: "
            "line {lines}. A SUM() over the column counts those rows twice: filter on a level to add up.",
            "{count} rows are each the sum of the rows right under them (subtotals over their parts), kept as "
            "rows: lines {lines}. A SUM() over a column counts those rows twice: filter on a level to add up.",
            len(subtotals)).format(count=_n(len(subtotals)), lines=shown))
    blocks = getattr(result, "repeated_blocks", None) or []
    if blocks:
        out.append("  ⚠ " + ngettext(
            "Line {lines} starts the table's rows again (the same labels in the same order, under a gap): "
            "another table of the same rows (shares, another year?), imported as more rows. Filter on "
            "the line (_anomalies gives the lines set aside), or split the file.",
            "Lines {lines} start the table's rows again (the same labels in the same order, under a gap): "
            "other tables of the same rows (shares, other years?), imported as more rows. Filter on the "
            "lines (_anomalies gives the lines set aside), or split the file.",
            len(blocks)).format(lines=", ".join(str(line) for line in blocks[:5])))
    others = getattr(result, "other_headers", None) or []
    if others:
        out.append("  ⚠ " + ngettext(
            "Line {lines} is the header of another table below, with labels of its own: its rows are imported "
            "under this table's columns. Check them, or split the file and import each table.",
            "Lines {lines} are the headers of other tables below, with labels of their own: their rows are "
            "imported under this table's columns. Check them, or split the file and import each table.",
            len(others)).format(lines=", ".join(str(line) for line in others)))
    return out


def render_inspection(inspection: dict) -> str:
    result = inspection["result"]
    lines = [render_import(result)]
    lines.append("  " + _("Column statistics:"))
    for stats in inspection["columns"]:
        parts = [_("{filled} filled, {empty} empty, {distinct} distinct").format(
            filled=_n(stats["filled"]), empty=_n(stats["empty"]), distinct=_n(stats["distinct"]))]
        if stats.get("min") is not None:
            low, high = stats["min"], stats["max"]
            if isinstance(low, (int, float)):
                low, high = format_number(low), format_number(high)
            parts.append(_("min {min}, max {max}").format(min=low, max=high))
        if stats.get("top"):
            parts.append(_("most frequent: {values}").format(
                values=", ".join(f"{v} ({_n(n)})" for v, n in stats["top"])))
        lines.append(f"    {stats['name']} — " + " · ".join(parts))
        for warning in stats["warnings"]:
            lines.append("      ⚠ " + warning)
    return "\n".join(lines)
