"""One evaluated directive: what was asked (SQL, line), what came back, and how it reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Fact:
    kind: str                          # number, table, chart, map, source
    line: int
    directive: str                     # the directive as written (for messages and the method)
    sql: str | None = None
    value: object = None               # a number's value (int, float, text or None)
    display: str = ""                  # how the reader sees it: '26 818 voix', or a figure title
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # the data behind the figure
    tables: list[str] = field(default_factory=list)  # the tables the query read
    title: str = ""
    html: str = ""                     # the fragment put in place of the directive
    warnings: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # chart/map categories, for headline checks
    values: list[float] = field(default_factory=list)  # their values, in the same order
    x_kind: str = ""                   # 'category', 'date'…: a series over time reads as a trend

    @property
    def empty(self) -> bool:
        """No answer: a number that is NULL, a table or figure with no rows."""
        if self.kind == "number":
            return self.value is None
        if self.kind == "source":
            return False
        return not self.rows

    def to_dict(self) -> dict:
        return {"kind": self.kind, "line": self.line, "directive": self.directive,
                "sql": self.sql, "value": self.value, "display": self.display,
                "title": self.title, "columns": self.columns, "rows": len(self.rows),
                "tables": self.tables}
