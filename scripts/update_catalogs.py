#!/usr/bin/env python3
"""Add every translatable string found in datactiviste/ to the .po catalogs.

Scans the source for _("..."), N_("...") and ngettext("...", "...", n) with literal
arguments, puts each message in the catalog of the component that uses it first, keeps
existing translations, drops messages no longer used. Run it after adding messages, then
fill the French msgstr (tests/test_i18n.py fails on any French entry left empty).

usage: python scripts/update_catalogs.py [--check]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datactiviste.i18n import LANGUAGES, LOCALE_DIR  # noqa: E402
from datactiviste.i18n.catalog import Entry, parse_po, write_po  # noqa: E402

COMPONENTS = ("ingest", "serve", "maps", "charts", "lessons", "packaging", "dossier", "facts")


def component_of(path: Path) -> str:
    """datactiviste/ingest/x.py -> ingest; datactiviste/cli/maps.py -> maps; else core."""
    parts = path.relative_to(ROOT / "datactiviste").parts
    if parts[0] in COMPONENTS:
        return parts[0]
    if parts[0] == "cli" and Path(parts[-1]).stem in COMPONENTS:
        return Path(parts[-1]).stem
    return "core"


def extract(root: Path = ROOT) -> dict[str, dict[tuple[str, str | None], list[str]]]:
    """{component: {(msgid, msgid_plural): [locations]}} in a stable order."""
    found: dict[str, dict] = {}
    seen: set = set()
    for path in sorted((root / "datactiviste").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, key in _messages(tree):
            location = f"{path.relative_to(root)}:{node.lineno}"
            if key in seen:
                for messages in found.values():
                    if key in messages:
                        messages[key].append(location)
                continue
            seen.add(key)
            found.setdefault(component_of(path), {})[key] = [location]
    return found


HELP_KEYWORDS = ("help", "short_help", "epilog")
DECORATORS = ("command", "group", "option", "argument")


def _is_str(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _messages(tree):
    """(node, (msgid, plural)) for gettext calls, click help texts and command docstrings."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = {getattr(d.func, "attr", getattr(d.func, "id", None))
                     for d in node.decorator_list if isinstance(d, ast.Call)}
            docstring = ast.get_docstring(node, clean=True)
            if docstring and names & {"command", "group"}:
                yield node, (docstring, None)
            continue
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        args = node.args
        if name in ("_", "N_", "gettext") and args and _is_str(args[0]):
            yield node, (args[0].value, None)
        elif name == "ngettext" and len(args) >= 2 and _is_str(args[0]) and _is_str(args[1]):
            yield node, (args[0].value, args[1].value)
        elif name in DECORATORS:
            for keyword in node.keywords:
                if keyword.arg in HELP_KEYWORDS and _is_str(keyword.value):
                    yield node, (keyword.value.value, None)


def updated_catalogs(root: Path = ROOT) -> dict[Path, str]:
    found = extract(root)
    result = {}
    for language in LANGUAGES:
        folder = LOCALE_DIR / language / "LC_MESSAGES"
        existing: dict = {}
        for po in folder.glob("*.po"):
            for entry in parse_po(po.read_text(encoding="utf-8")):
                existing[(entry.msgid, entry.msgid_plural)] = entry
        for component in sorted(set(found) | {p.stem for p in folder.glob("*.po")}):
            entries = []
            for key, locations in found.get(component, {}).items():
                old = existing.get(key)
                entry = Entry(msgid=key[0], msgid_plural=key[1])
                if old:
                    entry.msgstr, entry.msgstr_plural = old.msgstr, dict(old.msgstr_plural)
                if key[1] is not None and not entry.msgstr_plural:
                    entry.msgstr_plural = {0: "", 1: ""}
                # File names only: line numbers would make every code edit a catalog change.
                files = list(dict.fromkeys(location.rsplit(":", 1)[0] for location in locations))
                entry.comments = ["#: " + " ".join(files[:3])]
                entries.append(entry)
            result[folder / f"{component}.po"] = write_po(entries, language)
    return result


def main(argv: list[str]) -> int:
    stale = []
    for path, text in updated_catalogs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if "--check" not in argv:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(("stale: " if "--check" in argv else "updated: ") + str(path.relative_to(ROOT)))
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
