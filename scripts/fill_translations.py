#!/usr/bin/env python3
"""Fill French msgstr entries from a JSON file {msgid: "traduction" | ["singulier", "pluriel"]}.

A convenience for translators working outside Poedit: run update_catalogs.py first so the
entries exist, then this. Entries not in the JSON are left as they are.

usage: python scripts/fill_translations.py translations.json [--lang fr]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datactiviste.i18n import LOCALE_DIR  # noqa: E402
from datactiviste.i18n.catalog import parse_po, write_po  # noqa: E402


def main(argv: list[str]) -> int:
    language = argv[argv.index("--lang") + 1] if "--lang" in argv else "fr"
    translations = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    used = set()
    for po in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        entries = parse_po(po.read_text(encoding="utf-8"))
        for entry in entries:
            value = translations.get(entry.msgid)
            if value is None:
                continue
            used.add(entry.msgid)
            if entry.msgid_plural is not None:
                forms = value if isinstance(value, list) else [value, value]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
        po.write_text(write_po(entries, language), encoding="utf-8")
    missing = set(translations) - used
    for msgid in sorted(missing):
        print("not in any catalog (run update_catalogs.py?):", msgid[:70])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
