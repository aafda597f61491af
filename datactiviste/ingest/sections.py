"""Which section each row sits in, when section titles are set aside (`Milieu urbain`, `Métropole`,
`BENIN` above its block): a `section` column holding the title, so that the two `Dakar` rows of an
urban and a rural block, or the three `Inscrits` of an election's three blocks, stay told apart in
every query. Only added when the table has such titles; kept out with --keep-notes (the titles
are then rows themselves) and when appending (the table's columns are fixed)."""

from __future__ import annotations

from datactiviste.ingest import names as naming
from datactiviste.ingest.cells import LETTER

BLOCK_HEADER_LINES = 4   # a title this close above a repeated header opens a block of its own


def section_titles(loader) -> list[tuple[int, str]]:
    """(line, title) of each section title set aside, in line order; when the titles open blocks
    that repeat the header (tables stacked one under another), the first block's title is the
    one-cell line right above the header, set aside with the preamble."""
    separator = loader.table.delimiter or " | "
    titles = sorted((line, raw.strip(separator + " \t")) for line, raw, reason in loader.notes
                    if reason == "section" and line is not None)
    if not titles:
        return []
    repeats = sorted(line for line, _raw, reason in loader.notes if reason == "repeated-header" and line is not None)
    blocks = any(0 < repeat - line <= BLOCK_HEADER_LINES for line, _title in titles for repeat in repeats)
    header_line = loader.table.header_line
    if blocks and header_line:
        above = [(line, raw) for line, raw, *_reason in loader.table.skipped_lines if line < header_line]
        if above:
            line, raw = above[-1]
            title = raw.strip(separator + " \t")
            if title and separator not in title and header_line - line <= BLOCK_HEADER_LINES:
                titles.insert(0, (line, title))
    return titles


def notes_under_the_labels(loader, titles: list[tuple[int, str]]) -> bool:
    """True when every title sits between the labels and the first row (`(Note: missing values
    denoted by ".")`, `Source: …`, `DOI: …` under CDIAC's header): notes about the columns, not
    titles of sections; their reason becomes "header-notes" and no row is given them as a section."""
    first = loader.lines.line(loader.base_rowid + 1)   # the first row's line
    if first is None or not titles or any(line > first for line, _title in titles):
        return False
    lines = {line for line, _title in titles}
    loader.notes = [(line, raw, "header-notes" if reason == "section" and line in lines else reason)
                    for line, raw, reason in loader.notes]
    return True


def add_section_column(loader, names: list[str]) -> str | None:
    """Add the `section` column (its name made unique among `names`) and fill it; its name, or None."""
    if loader.options.keep_notes or loader.appended:
        return None
    titles = section_titles(loader)
    if not titles or notes_under_the_labels(loader, titles):
        return None
    # A line of signs (`=======` between two exports pasted together) ends a section and opens
    # none: the rows under it have no section; only such lines, no section column.
    titles = [(line, title if LETTER.search(title) else None) for line, title in titles]
    if not any(title for _line, title in titles):
        return None
    name = naming.column_names(names + ["section"])[-1]
    quoted = naming.quote(loader.name)
    loader.connection.execute(f"ALTER TABLE {quoted} ADD COLUMN {naming.quote(name)} TEXT")
    for position, (line, title) in enumerate(titles):
        start = loader.lines.first_rowid_after(line)
        if start is None:
            break
        following = titles[position + 1][0] if position + 1 < len(titles) else None
        end = loader.lines.first_rowid_after(following) if following is not None else None
        if title is None:
            continue
        if end is None:
            loader.connection.execute(f"UPDATE {quoted} SET {naming.quote(name)} = ? WHERE rowid >= ?", (title, start))
        else:
            loader.connection.execute(f"UPDATE {quoted} SET {naming.quote(name)} = ? WHERE rowid >= ? AND rowid < ?",
                                      (title, start, end))
    return name


BLOCK_SCAN_ROWS = 5000   # a sheet of small tables laid one under another is small
BLOCK_LABELS = 3         # labels repeated in order that make a block the same rows again


def repeated_blocks(loader, label: str | None) -> list[int]:
    """Lines where a block of rows after a gap (blank lines, set-aside lines) names, in order, the
    same first labels as the table's first rows (`Visuel`, `Auditif`, `Intellectuel`… in counts,
    then again in shares under a blank line): a second table of the same rows, without a header,
    imported as more rows. Named in the report; the rows stay."""
    if label is None:
        return []
    quoted = naming.quote(loader.name)
    rows = loader.connection.execute(
        f"SELECT rowid, {naming.quote(label)} FROM {quoted} WHERE rowid > ? ORDER BY rowid LIMIT ?",
        (loader.base_rowid, BLOCK_SCAN_ROWS + 1)).fetchall()
    if len(rows) > BLOCK_SCAN_ROWS or len(rows) < 2 * BLOCK_LABELS:
        return []
    labels = [value.strip() if isinstance(value, str) else value for _rowid, value in rows]
    first = labels[:BLOCK_LABELS]
    if any(not value for value in first) or len(set(first)) < BLOCK_LABELS:
        return []
    found = []
    for index in range(BLOCK_LABELS, len(rows) - BLOCK_LABELS + 1):
        if labels[index:index + BLOCK_LABELS] != first:
            continue
        line, above = loader.lines.line(rows[index][0]), loader.lines.line(rows[index - 1][0])
        if line is not None and above is not None and line - above > 1:
            found.append(line)
    return found

