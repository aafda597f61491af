"""Score an importer on the real corpus: pass/fail per case and per family tag.

Usable against any checkout: the importer comes from PYTHONPATH (or the installed package), the
cases from this tree. Example, the importer before a change:

    git worktree add /tmp/baseline 283392a
    PYTHONPATH=/tmp/baseline .venv/bin/python scripts/score_realcorpus.py
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests" / "realcorpus"))  # after PYTHONPATH

from checks import check_case, load_cases, raw_file  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="only these cases")
    parser.add_argument("--folder", type=Path, help="folder of the raw files (default: the committed "
                                                    "ones, and the others where checks.py finds them)")
    parser.add_argument("--quiet", action="store_true", help="only the failing cases and the totals")
    args = parser.parse_args(argv)
    import datactiviste

    cases = load_cases()
    where = {name: (args.folder / case["file"] if args.folder else raw_file(case)) for name, case in cases.items()}
    names = [name for name in (args.cases or sorted(cases)) if where[name] is not None and where[name].is_file()]
    print(f"importer: {Path(datactiviste.__file__).resolve().parent}   cases with their file: "
          f"{len(names)} of {len(args.cases or cases)}")
    by_tag = collections.defaultdict(lambda: [0, 0])
    failed, content = [], []  # content: wrong on the table itself, not only on _sources.rows_read
    with tempfile.TemporaryDirectory() as scratch:
        for number, name in enumerate(names):
            problems = check_case(cases[name], where[name], Path(scratch) / f"{number}.db")
            for tag in cases[name]["tags"]:
                by_tag[tag][0 if problems else 1] += 1
            if problems:
                failed.append(name)
                if any(not p.startswith("_sources.rows_read") for p in problems):
                    content.append(name)
                print(f"FAIL {name}: " + " | ".join(problems))
            elif not args.quiet:
                print(f"pass {name}")
    print(f"\n{len(names) - len(failed)} passed, {len(failed)} failed of {len(names)} cases "
          f"({len(content)} wrong on the table itself, {len(failed) - len(content)} only on _sources.rows_read)")
    print("by family (failed/total):")
    for tag, (bad, good) in sorted(by_tag.items(), key=lambda item: (-item[1][0], item[0])):
        print(f"  {tag:32} {bad:3}/{bad + good}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
