"""Grade an answer to one exercise, with a message that helps rather than just says "wrong".

One function per kind: typed numbers (French or English notation, with a tolerance), texts
(accents, case and spacing ignored, several accepted variants), multiple choice, SQL result
sets (compared as a multiset unless the exercise asks for an order, then re-run on a variant
database so answers typed by hand fail) and "do it" checks on what the learner built in her
folder (tables in her database, map and chart files with a title and a source, drawn from the
data the step is about).
"""

from __future__ import annotations

import html
import re
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from datactiviste.i18n import _, ngettext
from datactiviste.i18n.formats import format_number, format_size
from datactiviste.ingest.names import fold, quote
from datactiviste.lessons.model import Module, Step
from datactiviste.lessons.practice import practice_databases, scalar
from datactiviste.project import DEFAULT_DB, data_tables

SQL_TIME_LIMIT = 5.0  # seconds: a runaway join on a learner's laptop must not freeze the lesson
SQL_ROW_LIMIT = 10_000


@dataclass
class CheckResult:
    ok: bool
    message: str


def check(module: Module, step: Step, answer: str | None, workspace: Path,
          started_at: float | None = None) -> CheckResult:
    """Grade `answer` (text typed, SQL, or None for "do it" steps) for `step`.

    `started_at` (a timestamp) is when the learner reached the step: checks of files she
    must make during it (a built dossier) refuse older ones."""
    if step.kind == "explanation":
        return CheckResult(True, _("Read. On to the next step."))
    if step.kind == "do_it":
        return check_do_it(module, step, workspace, started_at)
    if answer is None or not str(answer).strip():
        return CheckResult(False, _("Give your answer after `check`, e.g. `datactiviste lesson check 42`."))
    if step.kind == "number":
        return check_number(module, step, answer)
    if step.kind == "text":
        return check_text(module, step, answer)
    if step.kind == "choice":
        return check_choice(step, answer)
    return check_sql(module, step, answer)


# --- typed answers ------------------------------------------------------------------------------

_GROUPED = re.compile(r"^[+-]?\d{1,3}([,.])\d{3}(\1\d{3})*$")


def number_readings(text: str) -> list[float]:
    """Every way a learner may have meant `text`: '2,456,100' (English), '2 456 100,5' (French),
    '12,5 %'. '2,456' is read both ways (2456 in English, 2.456 in French): either may match."""
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", str(text))
    cleaned = re.sub(r"(%|fcfa|f\.?cfa|xof)$", "", cleaned, flags=re.I)
    readings = []
    grouped = _GROUPED.match(cleaned)
    if grouped:
        readings.append(cleaned.replace(grouped.group(1), ""))
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        readings.append(cleaned.replace("." if decimal == "," else ",", "").replace(",", "."))
    elif cleaned.count(",") <= 1 and cleaned.count(".") <= 1:
        readings.append(cleaned.replace(",", "."))
    values = []
    for reading in readings:
        try:
            values.append(float(reading))
        except ValueError:
            continue
    return values


def parse_number(text: str) -> float | None:
    """'1 234,5' / '1234.5' / '1,234.5' / '2,456,100' / '12,5 %' -> float; None if not a number."""
    readings = number_readings(text)
    return readings[0] if readings else None


def expected_value(module: Module, step: Step):
    if "answer_sql" in step.data:
        reference, _variant = practice_databases(module.practice_data)
        return scalar(reference, step.data["answer_sql"])
    return step.data.get("answer", step.data.get("accepted"))


def check_number(module: Module, step: Step, answer: str) -> CheckResult:
    readings = number_readings(answer)
    if not readings:
        return CheckResult(False, _("'{answer}' is not a number. Type digits only, e.g. 1234,5.").format(
            answer=answer))
    expected = float(expected_value(module, step))
    tolerance = float(step.data.get("tolerance", 0))
    if any(abs(value - expected) <= tolerance + 1e-9 for value in readings):
        return CheckResult(True, _("Right: {value}.").format(value=format_number(expected)))
    value = readings[0]
    direction = _("too high") if value > expected else _("too low")
    return CheckResult(False, _("Not quite: {value} is {direction}.").format(
        value=format_number(value), direction=direction))


def _fold_text(text: str) -> str:
    return re.sub(r"[\s\-_'’.,;:()]+", " ", fold(str(text))).strip()


# Ways of writing the same thing that every text step accepts (folded forms). A step adds its own
# with `accepted`; these cover what learners type for licences and common abbreviations.
_SYNONYMS = [
    (re.compile(r"^(creative commons )?(cc ?0|cc zero|zero)( 1 0)?( universel| universal| public domain"
                r"( dedication)?| transfert dans le domaine public)?$"), "cc0"),
    (re.compile(r"^(creative commons )?(cc )?by( 4 0)?( international)?$"), "cc by"),
    (re.compile(r"^(licence ouverte|open licen[cs]e|etalab)( 2 0| v2 0)?$"), "licence ouverte"),
    (re.compile(r"^(odbl|open database licen[cs]e)( 1 0)?$"), "odbl"),
    (re.compile(r"^st "), "saint "),
    (re.compile(r"^ste "), "sainte "),
]


def canonical_text(text: str) -> str:
    """Folded text with known synonyms reduced to one form ('CC-0', 'CC0 1.0 Universel' -> 'cc0')."""
    folded = re.sub(r"^(la |le |l |the |a )", "", _fold_text(text))
    folded = re.sub(r"^(licence |license )(?!ouverte)", "", folded)
    for pattern, replacement in _SYNONYMS:
        folded = pattern.sub(replacement, folded)
    return folded


def one_end(sentence: str) -> str:
    """A sentence whose quoted answer already ends it ('… comparé à Mbour ?') gets no second end ('?.')."""
    return re.sub(r"([?!.…])\.$", r"\1", sentence)


def check_text(module: Module, step: Step, answer: str) -> CheckResult:
    expected = expected_value(module, step)
    accepted = expected if isinstance(expected, list) else [expected]
    wanted = {canonical_text(a) for a in accepted if a is not None}
    if canonical_text(answer) in wanted:
        return CheckResult(True, one_end(_("Right: {answer}.").format(answer=accepted[0])))
    return CheckResult(False, _("'{answer}' is not the expected answer.").format(answer=answer))


def check_choice(step: Step, answer: str) -> CheckResult:
    choices = step.data["choices"]
    text = str(answer).strip().rstrip(".)")
    if not text.isdigit() or not 1 <= int(text) <= len(choices):
        return CheckResult(False, _("Answer with the number of a choice, from 1 to {count}.").format(
            count=len(choices)))
    if int(text) == step.data["answer"]:
        return CheckResult(True, one_end(_("Right: {choice}.").format(choice=choices[int(text) - 1])))
    return CheckResult(False, _("Choice {number} is not the right one.").format(number=int(text)))


MAX_ANSWER_FILE = 256 * 1024


def read_answer_file(path: Path) -> str:
    """A learner's answer file in whatever encoding her editor used (Notepad's ANSI, UTF-16…),
    detected the way the importer does."""
    from datactiviste.errors import DatactivisteError
    from datactiviste.ingest.encoding import detect_encoding

    path = Path(path)
    if path.stat().st_size > MAX_ANSWER_FILE:
        raise DatactivisteError(_("{file} is too big for an answer ({size}); a query fits in a few "
                                  "lines.").format(file=path.name, size=format_size(path.stat().st_size)),
                                path=str(path))
    guess = detect_encoding(path)
    try:
        return path.read_bytes().decode(guess.name, errors="replace").lstrip("\ufeff")
    except LookupError:
        return path.read_bytes().decode("utf-8", errors="replace")


# --- SQL ----------------------------------------------------------------------------------------

def run_query(database: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run a learner's query read-only, with a time limit and a row cap."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    deadline = time.monotonic() + SQL_TIME_LIMIT
    connection.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
    try:
        cursor = connection.execute(sql)
        rows = cursor.fetchmany(SQL_ROW_LIMIT + 1)
        columns = [d[0] for d in cursor.description or []]
        return columns, rows
    finally:
        connection.close()


def _normal(value):
    """Numbers compared to 6 decimals (5 == 5.0), texts as they are, NULL first when sorting."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, round(float(value), 6))
    if value is None:
        return (0, 0)
    return (2, str(value))


def _row_text(row) -> str:
    return ", ".join("NULL" if v[0] == 0 else format_number(v[1]) if v[0] == 1 else str(v[1]) for v in row)


def _align_columns(got_columns, got, expected_columns, expected) -> tuple[dict, list[int], list[int]]:
    """Which of the learner's columns is which expected column, whatever their order.

    A column matches when it holds the same values (the name the learner gave does not matter),
    else when it has the same name, else the same position. Returns ({expected index: got
    index}, extra got indices, missing expected indices)."""
    def values(rows, i):
        return Counter(_normal(row[i]) for row in rows)

    got_values = [values(got, i) for i in range(len(got_columns))]
    wanted_values = [values(expected, j) for j in range(len(expected_columns))]
    mapping: dict[int, int] = {}
    free = list(range(len(got_columns)))

    def take(j, i):
        mapping[j] = i
        free.remove(i)

    for j in range(len(expected_columns)):   # same values, same name first
        same = [i for i in free if got_values[i] == wanted_values[j]]
        if same:
            named = [i for i in same if fold(got_columns[i]) == fold(expected_columns[j])]
            take(j, (named or same)[0])
    for j in range(len(expected_columns)):   # then by name, then by position
        if j not in mapping:
            named = [i for i in free if fold(got_columns[i]) == fold(expected_columns[j])]
            if named:
                take(j, named[0])
    extra_count = len(got_columns) - len(expected_columns)
    for j in range(len(expected_columns)):
        if j not in mapping and free and extra_count <= 0:
            take(j, j if j in free else free[0])
    missing = [j for j in range(len(expected_columns)) if j not in mapping]
    return mapping, sorted(free), missing


def compare_results(got: list[tuple], expected: list[tuple], ordered: bool,
                    got_columns: list[str] | None = None, expected_columns: list[str] | None = None,
                    names: bool = False) -> str | None:
    """None when the learner's result is the expected table, else what differs.

    Compared as tables: columns in any order (and with any name unless `names`), rows in any
    order unless `ordered`. The message names an extra or missing column, rows in another
    order, or the one value that is off."""
    got_columns = got_columns or [f"#{i + 1}" for i in range(len(got[0]) if got else 0)]
    expected_columns = expected_columns or [f"#{i + 1}" for i in range(len(expected[0]) if expected else 0)]
    mapping, extra, missing = _align_columns(got_columns, got, expected_columns, expected)
    if extra:
        return ngettext("Your query returns a column too many: {columns}. Keep only {expected}.",
                        "Your query returns columns too many: {columns}. Keep only {expected}.",
                        len(extra)).format(columns=", ".join(got_columns[i] for i in extra),
                                           expected=", ".join(expected_columns))
    if missing:
        return ngettext("A column is missing from your result: {columns}.",
                        "Columns are missing from your result: {columns}.", len(missing)).format(
            columns=", ".join(expected_columns[j] for j in missing))
    if names:
        wrong = [(got_columns[mapping[j]], name) for j, name in enumerate(expected_columns)
                 if fold(got_columns[mapping[j]]) != fold(name)]
        if wrong:
            return _("Name the column {got} as the exercise asks: {expected} (… AS {expected}).").format(
                got=wrong[0][0], expected=wrong[0][1])
    if len(got) != len(expected):
        return ngettext("Your query returns {count} row; {expected} expected.",
                        "Your query returns {count} rows; {expected} expected.", len(got)).format(
            count=len(got), expected=len(expected))
    order = [mapping[j] for j in range(len(expected_columns))]
    got_rows = [tuple(_normal(row[i]) for i in order) for row in got]
    expected_rows = [tuple(map(_normal, row)) for row in expected]
    if Counter(got_rows) == Counter(expected_rows):
        if not ordered or got_rows == expected_rows:
            return None
        return _("The rows are right but not in the order the exercise asks for (ORDER BY).")
    surplus = list((Counter(got_rows) - Counter(expected_rows)).elements())
    lacking = list((Counter(expected_rows) - Counter(got_rows)).elements())
    for wanted in lacking:
        for row in surplus:
            off = [j for j in range(len(wanted)) if row[j] != wanted[j]]
            if len(off) == 1:
                j = off[0]
                return _("One value is off: in the row ({row}), {column} is {got} where {expected} is "
                         "expected.").format(row=_row_text(row), column=expected_columns[j],
                                             got=_row_text([row[j]]), expected=_row_text([wanted[j]]))
    return _("Some rows differ: for example ({row}) is expected but not in your result, which has "
             "({got}) instead.").format(row=_row_text(lacking[0]), got=_row_text(surplus[0]))


def check_sql(module: Module, step: Step, sql: str) -> CheckResult:
    reference, variant = practice_databases(module.practice_data)
    ordered = bool(step.data.get("ordered", False))
    statement = sql.strip().rstrip(";").strip()
    if ";" in statement:
        return CheckResult(False, _("Send one query only (a single SELECT)."))
    rows_on_reference = 0
    for name, database in (("reference", reference), ("variant", variant)):
        try:
            got_columns, got = run_query(database, statement)
        except sqlite3.Error as error:
            text = str(error)
            if "interrupted" in text:
                text = _("the query took more than {seconds} seconds").format(seconds=int(SQL_TIME_LIMIT))
            return CheckResult(False, _("SQLite refused the query: {error}").format(error=text))
        expected_columns, expected = run_query(database, step.data["solution_sql"])
        difference = compare_results(got, expected, ordered, got_columns, expected_columns,
                                     bool(step.data.get("column_names", False)))
        if difference and name == "variant":
            return CheckResult(False, _("Right on the practice data, but wrong on another version of the "
                                        "table: does your query contain the answer typed by hand? "
                                        "Compute it from the table instead."))
        if difference:
            return CheckResult(False, difference)
        if name == "reference":
            rows_on_reference = len(got)
    return CheckResult(True, ngettext("Right: your query returns the expected {count} row.",
                                      "Right: your query returns the expected {count} rows.",
                                      rows_on_reference).format(count=rows_on_reference))


def hard_coded_query(module: Module, step: Step) -> str:
    """The reference result typed in as literals: what a learner who copied numbers would send."""
    reference, _variant = practice_databases(module.practice_data)
    _columns, rows = run_query(reference, step.data["solution_sql"])

    def literal(value):
        if value is None:
            return "NULL"
        if isinstance(value, (int, float)):
            return repr(value)
        return "'" + str(value).replace("'", "''") + "'"

    selects = ["SELECT " + ", ".join(literal(v) for v in row) for row in rows] or ["SELECT 1 WHERE 0"]
    return " UNION ALL ".join(selects)


# --- "do it" ------------------------------------------------------------------------------------

def check_do_it(module: Module, step: Step, workspace: Path,
                started_at: float | None = None) -> CheckResult:
    done = []
    for spec in step.data["checks"]:
        problem = _run_check(module, spec, Path(workspace), started_at)
        if problem:
            message = problem if isinstance(problem, Precise) else spec.get("message") or problem
            return CheckResult(False, message if not done else ngettext(
                "{done} check passed; but: {problem}", "{done} checks passed; but: {problem}",
                len(done)).format(done=len(done), problem=message))
        done.append(spec)
    return CheckResult(True, ngettext("Well done: {count} check passed.", "Well done: {count} checks passed.",
                                      len(done)).format(count=len(done)))


def _open_learner_db(workspace: Path, spec: dict) -> tuple[sqlite3.Connection | None, str]:
    name = spec.get("db", DEFAULT_DB)
    path = workspace / name
    if not path.is_file():
        return None, _("The database {db} is not in this folder yet.").format(db=name)
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return None, _("{db} is not a database that SQLite can open.").format(db=name)
    return connection, ""




def _run_check(module: Module, spec: dict, workspace: Path,
               started_at: float | None = None) -> str | None:
    kind = spec["check"]
    if kind in FILE_CHECKS:
        provided = {Path(f).name for f in module.files}
        return _file_check(kind, spec, workspace, None if spec["pattern"] in provided else started_at)
    if kind == "dossier_checked":
        return _dossier_check(spec, workspace, started_at)
    connection, problem = _open_learner_db(workspace, spec)
    if connection is None:
        return problem
    try:
        table = spec.get("table")
        if table is not None and table not in data_tables(connection):
            return _("There is no table {table} in {db}.").format(table=table, db=spec.get("db", DEFAULT_DB))
        if kind == "table_exists":
            return None
        if kind == "row_count":
            count = connection.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0]
            if spec.get("same_as_practice"):
                reference, _variant = practice_databases(module.practice_data)
                expected = scalar(reference, f"SELECT count(*) FROM {quote(table)}")
            else:
                expected = spec.get("equals")
            if expected is not None and count != expected:
                return _("The table {table} has {count} rows; {expected} expected.").format(
                    table=table, count=count, expected=expected)
            if spec.get("at_least") is not None and count < spec["at_least"]:
                return _("The table {table} has {count} rows; at least {expected} expected.").format(
                    table=table, count=count, expected=spec["at_least"])
            return None
        if kind == "column_type":
            return _column_type_problem(connection, table, spec["column"], spec["type"].upper())
        if kind == "sql_true":
            try:
                value = connection.execute(spec["sql"]).fetchone()
            except sqlite3.Error as error:
                return _("This check could not run on your database: {error}").format(error=error)
            return None if value and value[0] else _("Your database does not pass this check yet.")
        return None
    finally:
        connection.close()


def _column_type_problem(connection, table: str, column: str, wanted: str) -> str | None:
    columns = [row[1] for row in connection.execute(f"PRAGMA table_info({quote(table)})")]
    if column not in columns:
        return _("The table {table} has no column {column} (columns: {columns}).").format(
            table=table, column=column, columns=", ".join(columns))
    rows = connection.execute(
        f"SELECT typeof({quote(column)}), {quote(column)} FROM {quote(table)} WHERE {quote(column)} IS NOT NULL"
    ).fetchall()
    allowed = {"REAL": {"real", "integer"}, "INTEGER": {"integer"}, "TEXT": {"text"}, "DATE": {"text"}}[wanted]
    wrong = [value for kind, value in rows if kind not in allowed
             or (wanted == "DATE" and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(value)))]
    if not rows or wrong:
        example = wrong[0] if wrong else ""
        return _("The column {column} should hold {type} values; found '{example}'.").format(
            column=column, type=wanted, example=example)
    return None


class Precise(str):
    """A file check's problem that the step's own message must not replace: it says exactly
    what is wrong with a file that exists."""


class StaleFile(Precise):
    """The file exists, it is only older than the step."""


FILE_CHECKS = ("file_exists", "html_title", "file_contains", "file_size_max", "built_from")


FRESHNESS_SLACK = 2.0  # seconds: file systems (FAT32 on a USB stick) keep times to 2 s


def _file_check(kind: str, spec: dict, workspace: Path, started_at: float | None) -> str | None:
    """A file the learner makes in this step: it exists, and (when we know when the step began)
    it was written during the step, so a leftover from another module does not pass."""
    files = sorted(p for p in workspace.glob(spec["pattern"]) if p.is_file())
    if not files:
        return _("No file matching {pattern} in this folder yet.").format(pattern=spec["pattern"])
    if started_at is not None:
        fresh = [p for p in files if p.stat().st_mtime >= started_at - FRESHNESS_SLACK]
        if not fresh:
            return StaleFile(_("{file} was made before this step began: make it again with the "
                               "step's command.").format(file=files[0].name))
        files = fresh
    if kind == "file_exists":
        return None
    if kind == "built_from":
        return _built_from_problem(spec, files)
    if kind == "file_size_max":
        if any(p.stat().st_size <= int(spec["bytes"]) for p in files):
            return None
        return _("{file} is too heavy: {size} KB, at most {limit} KB.").format(
            file=files[0].name, size=files[0].stat().st_size // 1024, limit=int(spec["bytes"]) // 1024)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if kind == "html_title":
            match = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I)
            title = html.unescape(match.group(1)).strip() if match else ""
            if title and title.lower() != "datactiviste":  # the default when no --title is given
                return None
        else:
            lowered = html.unescape(text).lower()
            if any(str(word).lower() in lowered for word in spec["any"]):
                return None
    if kind == "html_title":
        return _("{file} has no title: give it one (--title).").format(file=files[0].name)
    return _("{file} does not mention {words}.").format(file=files[0].name, words=" / ".join(spec["any"]))


def _names(names) -> str:
    return ", ".join(f"«{name}»" for name in names)


def _unsourced(name: str) -> Precise:
    return Precise(_("{file} does not say what data it was made from: make it again with the "
                     "step's command.").format(file=name))


def _record_problem(record: dict, spec: dict, name: str) -> str | None:
    """What differs between the data one output was made from and the data the step asks for."""
    reads = record.get("tables")
    if not isinstance(reads, dict):  # an output whose query SQLite could not read back
        if not isinstance(record.get("table"), str):
            return _unsourced(name)
        reads = {record["table"]: ["*"]}
    read = {str(table).casefold(): [str(c).casefold() for c in (columns if isinstance(columns, list) else [])]
            for table, columns in reads.items()}  # a forged record of any shape must not crash
    wanted = spec["tables"]
    missing = [table for table in wanted if table.casefold() not in read]
    if missing and not read:
        return _("{file} was not made from a table of the database (its query reads none); this step "
                 "asks for one made from {expected}.").format(file=name, expected=_names(wanted))
    if missing:
        return ngettext("{file} was made from the table {got}; this step asks for one made from {expected}.",
                        "{file} was made from the tables {got}; this step asks for one made from {expected}.",
                        len(reads)).format(file=name, got=_names(reads), expected=_names(wanted))
    for column in spec.get("columns", []):
        table, _dot, bare = column.rpartition(".")
        tables = [table.casefold()] if table else [t.casefold() for t in wanted]
        if not any("*" in read.get(t, []) or bare.casefold() in read.get(t, []) for t in tables):
            return _("{file} was made from {table} but without its column «{column}», which this "
                     "step is about.").format(file=name, table=_names([table] if table else wanted),
                                              column=bare)
    if spec.get("db") and str(record.get("db", "")).casefold() != Path(spec["db"]).name.casefold():
        return _("{file} was made from the database {got}; this step asks for {expected}.").format(
            file=name, got=record.get("db") or "?", expected=spec["db"])
    return None


def _built_from_problem(spec: dict, files: list[Path]) -> str | None:
    """A file made during the step was drawn from the step's tables (and reads its columns),
    whatever the SQL (column order, quoting, case, aliases): SQLite's own reading of the query
    is recorded in the file (`datactiviste.built_from`). As for the other file checks, one
    matching file suffices, and a dossier, which holds one record per figure, needs one figure."""
    from datactiviste.built_from import read_records

    problems = []
    for path in files:
        records = read_records(path)
        found = [_record_problem(record, spec, path.name) for record in records] or [_unsourced(path.name)]
        if not all(found):
            return None
        problems.append(found[0])
    return Precise(problems[0])


def _dossier_check(spec: dict, workspace: Path, started_at: float | None) -> str | None:
    """The team's dossier is built during this step and `dossier check` finds nothing."""
    from datactiviste.dossier import check_dossier
    from datactiviste.dossier.folder import DOSSIER_FILE, HTML_FILE
    from datactiviste.errors import DatactivisteError

    name = spec.get("folder", ".")
    folder = workspace / name
    if not (folder / DOSSIER_FILE).is_file():
        return _("No dossier.md in {folder} yet: datactiviste dossier new {folder}").format(folder=name)
    built = folder / HTML_FILE
    if not built.is_file():
        return _("The dossier is not built yet: datactiviste dossier build {folder}").format(folder=name)
    if started_at is not None and built.stat().st_mtime < started_at:
        return _("dossier.html is older than this step: build it again with datactiviste dossier "
                 "build {folder}").format(folder=name)
    try:
        report = check_dossier(folder)
    except DatactivisteError as error:
        where = error.location()
        return error.message + (f" ({where})" if where else "")
    if report.findings:
        first = report.findings[0]
        line = _("line {line}").format(line=first.line) + " — " if first.line else ""
        return ngettext("`datactiviste dossier check {folder}` finds {count} point to look at; "
                        "first: {first}",
                        "`datactiviste dossier check {folder}` finds {count} points to look at; "
                        "first: {first}", len(report.findings)).format(
            folder=name, count=len(report.findings), first=line + first.message)
    return None
