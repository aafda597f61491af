"""What an import is asked to do (ImportOptions) and what it reports (ImportResult, ColumnReport).

Plain data, shared by the importer, `inspect`, the CLI report, the upload page and the tests;
`ImportResult.to_dict()` is also stored as JSON in `_sources.report`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable


@dataclass
class ImportOptions:
    table: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    skip_lines: int | None = None
    no_header: bool = False
    sheet: str | None = None
    keep_names: bool = False
    types: dict[str, str] = field(default_factory=dict)   # column -> SQL type
    decimal: str | None = None                            # "," or "."
    date_format: str | None = None                       # dmy, mdy, ymd or a strptime format
    null_markers: list[str] | None = None
    append: bool = False
    licence: str | None = None
    source_url: str | None = None
    keep_notes: bool = False   # notes under the table stay as rows (default: set aside, reported)
    keep_totals: bool = False  # total rows that add up stay as rows (default: set aside, reported)
    index: bool = True      # indexes on facet and sort columns, so Datasette stays fast on big tables
    search: bool = True     # full-text index on the columns people search (ingest/search.py)
    jobs: int | None = None  # processes for a big delimited file (None: one per core when it pays)
    progress: Callable[[int], None] | None = None
    indexing: Callable[[], None] | None = None   # called when reading is done and indexing starts


@dataclass
class ColumnReport:
    position: int
    name: str
    label: str
    type: str
    kind: str
    reason: str
    decimal: str | None = None
    date_order: str | None = None
    unit: str | None = None
    empty: int = 0
    markers: dict[str, int] = field(default_factory=dict)
    anomalies: int = 0
    examples: list[str] = field(default_factory=list)
    overridden: bool = False
    utc: bool = False       # date-times written with a zone were converted to UTC
    order_from: str | None = None   # the column whose dates proved this one's day/month order


@dataclass
class ImportResult:
    table: str
    database: str
    file_name: str
    file_size: int
    sha256: str
    format: str
    sheet: str | None
    encoding: str | None
    encoding_reason: str | None
    repaired_mojibake: bool
    legacy_lines: list[int]
    nul_bytes: int
    delimiter: str | None
    header_line: int | None
    header_reason: str
    rows_read: int
    rows_written: int
    empty_rows: int
    repeated_headers: int
    footer_lines: int
    skipped_lines: int
    padded_rows: int
    extra_field_rows: int
    extra_columns: int
    columns: list[ColumnReport]
    replaced: bool
    appended: bool
    anomalies: int
    seconds: float
    source_id: int | None = None
    indexed: list[str] = field(default_factory=list)
    searchable: list[str] = field(default_factory=list)   # columns of the full-text index
    dry_run: bool = False
    parts: int = 1          # processes that read the file (big delimited files are split)
    skipped_sheets: list[dict] = field(default_factory=list)  # workbook sheets without a table (first result)
    # Every record not written as a row: {"line", "text" (first characters), "reason"} with reason
    # preamble, footer, total or repeated-header; rows_read = rows_written + len(set_aside).
    set_aside: list[dict] = field(default_factory=list)
    set_aside_count: int = 0
    totals: int = 0                                          # total rows set aside
    kept_totals: list[dict] = field(default_factory=list)    # totals that add up, kept (--keep-totals)
    suspect_totals: list[dict] = field(default_factory=list)  # labelled like a total, do not add up
    legacy_encoding: str | None = None   # mostly-UTF-8 files: the code page of the other lines
    value_flags: bool = False    # Eurostat TSV: the flags after the values were taken off
    excel_text: bool = False     # ="01001" cells (Excel text formulas) read as their text
    empty_marker: str | None = None   # the word the file writes in every empty cell (NA), read as empty
    padded_quotes: bool = False  # spaces aligning columns after closing quotes taken off
    stray_quotes: bool = False   # quoted cells with undoubled inner quotes read leniently
    header_rows: int = 0         # rows under the labels that belong to the header (tags, units, metadata)
    section_rows: int = 0        # one-cell section titles among the rows, set aside
    short_lines: list[int] = field(default_factory=list)   # the first lines of the padded rows
    extra_lines: list[int] = field(default_factory=list)   # ... and of the rows with extra fields
    other_headers: list[int] = field(default_factory=list)   # lines of a block's header unlike the table's
    repeated_blocks: list[int] = field(default_factory=list)  # lines where the first rows' labels start again
    subtotal_lines: list[int] = field(default_factory=list)   # rows kept that sum the rows right under them
    merged_filled: int = 0    # workbook cells given the value of a cell merged down over them
    blocks: int = 1           # tables stacked in the sheet this one came from (blocks.py)
    block_line: int | None = None   # the sheet's row where this table's block starts
    rejoined_rows: int = 0       # records cut by an unquoted line break, joined again
    rejoined_lines: list[int] = field(default_factory=list)   # the first lines of those
    folded_rows: int = 0         # rows whose last extra column holds the fields past the column limit

    def to_dict(self) -> dict:
        return asdict(self)
