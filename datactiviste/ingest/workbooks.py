"""Workbooks (xlsx, xlsm, xls, ods) read as Tables, one per sheet that holds one.

Each sheet is decided on its own: empty, notes-only and unreadable sheets are skipped and named,
title blocks above the table set aside, stacked header rows merged; cells become the canonical
text the type detector reads (`cell_text`). A workbook that would unpack to gigabytes is refused
before it is opened.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Iterator

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, ngettext
from datactiviste.i18n.formats import format_number, format_size
from datactiviste.ingest import sniff
from datactiviste.ingest.blocks import next_table_start
from datactiviste.ingest.cells import PLACEHOLDER_ROWS, filled_columns, without_placeholders
from datactiviste.ingest.header import HeaderGuess, find_header
from datactiviste.ingest.native import damaged_sentence, interruption, quiet_native_stderr
from datactiviste.ingest.stacked import stack_header, stacked_labels
from datactiviste.ingest.setaside import NOTE_START
from datactiviste.ingest.readers import (BATCH, MAX_COLUMNS, SAMPLE_LINES, Batch, ReadOptions, SkippedSheet, Table,
                                         not_a_clean_table, within_column_limit)


def cell_text(value) -> str | None:
    """A workbook or JSON cell as the canonical text the type detector reads."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        # Excel stores times as fractions of a day: 11:30 comes back as 11:29:59.999. Rounded to
        # the second, as Excel shows it.
        if value.microsecond:
            value = value.replace(microsecond=0) + datetime.timedelta(seconds=value.microsecond >= 500_000)
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.time):
        if value.microsecond:
            moment = datetime.datetime.combine(datetime.date.min, value.replace(microsecond=0))
            value = (moment + datetime.timedelta(seconds=value.microsecond >= 500_000)).time()
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


MAX_UNPACKED = 1 << 30       # bytes of XML a workbook may unpack to: its cells are all held in memory
BOMB_RATIO = 100             # real sheets compress 5 to 20 times; a bigger ratio on a big member is a bomb
BOMB_FROM = 64 << 20


def check_unpacked_size(path: Path) -> None:
    """Refuse a zipped workbook (xlsx, ods) that would unpack to more than memory can hold, from
    the sizes its zip directory declares (read in microseconds, before calamine opens anything;
    calamine stops at a member's declared size, so the declaration cannot lie about it)."""
    members, _mimetype = sniff.workbook_directory(path)
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    bomb = next((m for m in members if m.file_size > BOMB_FROM and m.file_size > BOMB_RATIO * max(1, m.compress_size)),
                None)
    if total <= MAX_UNPACKED and bomb is None:
        return
    if bomb is not None:
        message = _("This workbook is a zip bomb or is damaged: a {packed} part would unpack to {size}, "
                    "{ratio} times its size (real sheets: 5 to 20 times).").format(
            packed=format_size(bomb.compress_size), size=format_size(bomb.file_size),
            ratio=format_number(bomb.file_size / max(1, bomb.compress_size), decimals=0))
    else:
        message = _("This workbook would unpack to {size} ({packed} in the file): more than the {limit} "
                    "datactiviste reads from a workbook.").format(
            size=format_size(total), packed=format_size(packed), limit=format_size(MAX_UNPACKED))
    raise DatactivisteError(message, path=str(path),
                            hint=_("If the data is real, open the workbook in LibreOffice or Excel and save each sheet "
                                   "as CSV: datactiviste reads CSV files of any size without holding them in memory."))


_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")


def without_dimensions(path: Path) -> bytes:
    """The xlsx with the `<dimension>` hint taken out of each sheet (the size was checked before)."""
    source, target = zipfile.ZipFile(path), io.BytesIO()
    with source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                data = _DIMENSION.sub(b"", data[:4096], count=1) + data[4096:]   # it opens the sheet
            copy.writestr(member, data)
    return target.getvalue()


def read_workbook(path: Path, fmt: str, options: ReadOptions) -> list[Table]:
    from python_calamine import CalamineWorkbook

    if fmt != "xls":
        check_unpacked_size(path)
    try:
        with open(path, "rb") as handle, quiet_native_stderr():  # from the bytes, not the extension (extensions lie)
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
    except BaseException as error:  # noqa: BLE001 - calamine raises its own error types, and panics
        if interruption(error):
            raise
        raise DatactivisteError(damaged_sentence(error), path=str(path),
                                hint=_("Open it in LibreOffice or Excel and save it again as .xlsx or .csv; "
                                       "if it does not open, download or export it again.")) from None
    names = workbook.sheet_names
    if options.sheet:
        if options.sheet not in names:
            raise DatactivisteError(_("No sheet named {sheet!r}.").format(sheet=options.sheet), path=str(path),
                                    hint=_("Sheets in this file: {names}").format(names=", ".join(names)))
        names = [options.sheet]
    tables, skipped_sheets = [], []
    repaired = None
    for name in names:
        try:
            with quiet_native_stderr():
                try:
                    sheet = workbook.get_sheet_by_name(name)
                except BaseException as error:  # noqa: BLE001 - see below
                    dimension = "dimension" in str(error).lower() or "column component" in str(error)
                    if fmt == "xls" or interruption(error) or not dimension:
                        raise
                    # `<dimension ref="1:58"/>` (rows only: written by some exporters): calamine
                    # refuses the sheet, though the dimension is only a hint. Read again without it.
                    repaired = repaired or CalamineWorkbook.from_filelike(io.BytesIO(without_dimensions(path)))
                    sheet = repaired.get_sheet_by_name(name)
                grid = [[cell_text(c) or "" for c in row] for row in sheet.to_python(skip_empty_area=False)]
                grid[:PLACEHOLDER_ROWS] = [without_placeholders(row) for row in grid[:PLACEHOLDER_ROWS]]
        except BaseException as error:  # noqa: BLE001 - one unreadable sheet (a chart sheet…) must not fail the others
            if interruption(error):
                raise
            if options.sheet:
                raise DatactivisteError(_("The sheet {sheet!r} cannot be read: {error}").format(sheet=name, error=error),
                                        path=str(path), hint=_("Open it in LibreOffice or Excel and save it again as "
                                                               ".xlsx or .csv.")) from None
            skipped_sheets.append(SkippedSheet(name, "unreadable", str(error)[:80]))
            continue
        while grid and not any(c.strip() for c in grid[-1]):
            grid.pop()
        content = _sheet_content(grid)
        if content == "empty" or (content == "notes" and not options.sheet):
            skipped_sheets.append(SkippedSheet(name, content, _first_text(grid), notes=_notes_of(grid)))
            continue
        grid, lead = _without_empty_left_columns(grid)
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        tables += _sheet_tables(path, fmt, (name, name if len(workbook.sheet_names) > 1 else None), sheet, grid,
                                _merged_ranges(sheet, shift=lead), content, options)
    if not tables:
        if all(sheet.reason == "empty" for sheet in skipped_sheets):
            raise DatactivisteError(_("Every sheet of this workbook is empty."), path=str(path),
                                    hint=_("Check that you exported the right file."))
        raise DatactivisteError(_("No sheet of this workbook holds a table: {sheets}.").format(
            sheets=", ".join(f"{s.name} ({describe_skipped_sheet(s)})" for s in skipped_sheets)), path=str(path),
            hint=_("Check that you exported the right file; to import a sheet anyway: --sheet NAME."))
    tables[0].skipped_sheets = skipped_sheets
    return tables


def _sheet_tables(path: Path, fmt: str, names: tuple, sheet, grid: list[list[str]], merges: list, content: str,
                  options: ReadOptions) -> list[Table]:
    """The sheet's table, or its tables when it stacks several with labels of their own
    (blocks.next_table_start): each block is read as a sheet whose rows above it are blank, so
    that its title is set aside and its line numbers stay the sheet's rows."""
    tables, block = [], 0
    while True:
        table, cut = _sheet_table(path, fmt, names, sheet, grid, merges, content, options, stacked=bool(tables))
        table.block_line = block + 1 if tables else None
        tables.append(table)
        if cut is None:
            break
        block = cut
        blank = [""] * len(grid[0])     # shared: nothing writes above a block's header (_fill_merged_down)
        grid = [blank] * cut + grid[cut:]
    for table in tables:
        table.blocks = len(tables)
    return tables


def _sheet_table(path: Path, fmt: str, names: tuple, sheet, grid: list[list[str]], merges: list, content: str,
                 options: ReadOptions, stacked: bool = False) -> tuple[Table, int | None]:
    """The first table of `grid` and the row where the next one stacked under it starts (None: none).
    A table of several stacked in the sheet is as wide as its own block (`stacked` or cut)."""
    name, label = names
    width = len(grid[0])
    if content == "notes":      # asked for with --sheet: every line is data
        header = HeaderGuess(index=next(i for i, r in enumerate(grid) if any(c.strip() for c in r)),
                             width=width, reason="no-clean-header")
    else:
        header = _workbook_header(grid, options)
    no_header = options.no_header or content == "notes" or header.reason in ("no-clean-header", "no-header-detected")
    if no_header:
        # No labels say which columns the author laid out: the sheet's declared range does
        # (with a header, unlabelled empty columns past it are formatting, not columns).
        declared = _declared_width(path, fmt, name, sheet)
        if declared > width:
            width = declared
            grid = [r + [""] * (width - len(r)) for r in grid]
    elif options.skip_lines is None:
        header = stack_header(grid, header, merges)
    headers = [""] * width if no_header else \
        (stacked_labels(grid, header, merges) if header.above else list(grid[header.index]))
    headers = within_column_limit(headers, path, _("Delete the columns you do not need, or save the table "
                                                   "transposed (its columns as rows), then import it again."),
                                  line=None if no_header else header.index + 1)
    below = 0 if no_header else header.below   # an HXL hashtag row under the labels
    start = header.index + (0 if no_header else 1 + below)
    top = header.index - (0 if no_header else header.above)   # first row of a stacked header
    # --skip-lines or --no-header: the user said where the table is, one table.
    cut = None if no_header or options.skip_lines is not None else next_table_start(grid, start, grid[top:header.index + 1])
    rows = grid if cut is None else grid[:cut]
    if cut is not None or stacked:
        used = max((max(filled_columns(r), default=-1) + 1 for r in rows[top:]), default=width)
        if used < width:
            rows, headers = [r[:used] for r in rows], headers[:used]
    filled = _fill_merged_down(rows, merges, start)
    skipped = [(i + 1, " | ".join(c for c in grid[i] if c)) for i in range(top) if any(grid[i])]
    skipped += [(i + 1, " | ".join(c for c in grid[i] if c), header.below_reason)
                for i in range(header.index + 1, header.index + 1 + below)]
    table = Table(format=fmt, headers=headers, batches=grid_batches(rows, start), header_line=None if no_header else top + 1,
                  header_reason=header.reason, sheet=label, skipped_lines=skipped, no_header=no_header,
                  stacked_rows=[] if no_header or not header.above else grid[top:header.index + 1],
                  merged_filled=filled)
    return table, cut


def _sheet_content(grid: list[list[str]]) -> str:
    """'empty', 'notes' (only single cells of prose: sources, remarks, a title) or 'table'.

    A column of short values (a list of names or codes) is a one-column table, not notes.
    """
    cells = []
    for row in grid:
        filled = [c.strip() for c in row if c and c.strip()]
        if len(filled) >= 2:
            return "table"
        cells += filled
    if not cells:
        return "empty"
    if len(cells) == 1:
        return "notes"
    prose = sum(1 for text in cells if NOTE_START.match(text) or len(text) >= 40 or len(text.split()) >= 4)
    return "notes" if 2 * prose >= len(cells) else "table"


NOTES_KEPT = 2000       # lines of a notes sheet kept in _anomalies, at most (each cut at 4 000 characters)


def _notes_of(grid: list[list[str]]) -> list[tuple[int, str]]:
    """The lines of a notes sheet (row, its cells joined): what the sheet says is kept, not lost."""
    notes = [(row + 1, " | ".join(c.strip() for c in cells if c and c.strip())[:4000])
             for row, cells in enumerate(grid) if any(c and c.strip() for c in cells)]
    return notes[:NOTES_KEPT]


def _first_text(grid: list[list[str]], limit: int = 60) -> str:
    text = next((c.strip() for row in grid for c in row if c and c.strip()), "")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _without_empty_left_columns(grid: list[list[str]]) -> tuple[list[list[str]], int]:
    """The grid without the columns left of the table that are empty on every row (a table laid
    out from B3, say), and how many there were: they hold nothing, not even a label."""
    starts = [next(i for i, c in enumerate(row) if c.strip()) for row in grid if any(c.strip() for c in row)]
    lead = min(starts, default=0)
    return ([row[lead:] for row in grid] if lead else grid), lead


def _merged_ranges(sheet, shift: int = 0) -> list:
    """The sheet's merged cells ((row, column), (row, column)), 0-based, columns moved left by
    `shift` (the empty columns taken off the grid); [] when unknown."""
    try:
        ranges = list(sheet.merged_cell_ranges or [])
    except Exception:  # noqa: BLE001 - not every format or calamine version reports them
        return []
    return [((r0, c0 - shift), (r1, c1 - shift)) for (r0, c0), (r1, c1) in ranges if c1 >= shift] if shift else ranges


def _fill_merged_down(grid: list[list[str]], merges: list, start: int) -> int:
    """Give each row of the body the value of a cell merged down over it (`State` merged over its
    districts' rows): the spreadsheet shows it on each, the file stores it on the first only, and
    without it the rows under it would name no state. Columns merged across are left as they are
    (a title over the table). Returns how many cells were filled."""
    filled = 0
    for (top, left), (bottom, right) in merges:
        if top < start or bottom <= top or right != left or top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        if not value.strip():
            continue
        for row in range(top + 1, min(bottom, len(grid) - 1) + 1):
            if left < len(grid[row]) and not grid[row][left].strip():
                grid[row][left] = value
                filled += 1
    return filled


def describe_skipped_sheet(sheet: SkippedSheet) -> str:
    """Why a sheet was skipped, in the user's language (for reports and messages)."""
    if sheet.reason == "empty":
        return _("empty")
    if sheet.reason == "notes":
        if sheet.kept:
            return ngettext("notes only: « {text} » (its {count} line kept in _anomalies)",
                            "notes only: « {text} » (its {count} lines kept in _anomalies)",
                            sheet.kept).format(text=sheet.text, count=sheet.kept)
        return _("notes only: « {text} »").format(text=sheet.text)
    return _("unreadable: {error}").format(error=sheet.text)


def grid_batches(grid: list[list[str]], start: int):
    """Batches over rows already in memory (workbooks, JSON); line = 1-based row number."""
    def batches() -> Iterator[Batch]:
        for offset in range(start, len(grid), BATCH):
            chunk = grid[offset:offset + BATCH]
            yield list(range(offset + 1, offset + 1 + len(chunk))), chunk
    return batches


def _declared_width(path: Path, fmt: str, sheet_name: str, sheet) -> int:
    """Columns the sheet declares (<dimension ref="A10:O66">), which calamine trims to used cells.

    Used for sheets without a header, where the declared range is the only sign of the columns
    the author laid out (with a header, the labels say it; declared ranges are often inflated by
    formatting, A1:AMJ3 for five columns).
    """
    if fmt not in ("xlsx", "xlsm"):
        return 0
    import re as _re

    try:
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            match = _re.search(r'<sheet[^>]*name="' + _re.escape(sheet_name) + r'"[^>]*r:id="([^"]+)"', workbook)
            if not match:
                return 0
            target = _re.search(r'Id="' + _re.escape(match.group(1)) + r'"[^>]*Target="([^"]+)"', rels) or \
                _re.search(r'Target="([^"]+)"[^>]*Id="' + _re.escape(match.group(1)) + r'"', rels)
            if not target:
                return 0
            member = target.group(1).lstrip("/")
            member = member if member.startswith("xl/") else "xl/" + member
            with archive.open(member) as handle:
                head = handle.read(4096).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return 0
    dimension = _re.search(r'<dimension ref="[A-Z]+\d+:([A-Z]+)\d+"', head)
    if not dimension:
        return 0
    width = 0
    for char in dimension.group(1):
        width = width * 26 + (ord(char) - 64)
    return min(width, MAX_COLUMNS)


def _workbook_header(grid: list[list[str]], options: ReadOptions) -> HeaderGuess:
    if options.skip_lines is not None:
        return HeaderGuess(index=min(options.skip_lines, len(grid) - 1), width=len(grid[0]), reason="skip-lines")
    if options.no_header:
        index = next(i for i, r in enumerate(grid) if any(c.strip() for c in r))
        return HeaderGuess(index=index, width=len(grid[0]), reason="no-header")
    header = find_header(grid[:SAMPLE_LINES]) or HeaderGuess(index=0, width=len(grid[0]), reason="first-row")
    if not_a_clean_table(grid[:SAMPLE_LINES], header.index):
        index = next(i for i, r in enumerate(grid) if any(c.strip() for c in r))
        return HeaderGuess(index=index, width=len(grid[0]), reason="no-clean-header")
    return header
