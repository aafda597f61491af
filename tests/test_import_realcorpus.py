"""Every file of the real corpus imports with the facts written by hand from its raw bytes.

One case per file (Black-style golden cases): tests/realcorpus/expected/<case>.json says what the
table must be (delimiter, encoding, header, rows, columns, labels, set-aside lines, a few types and
converted values); the raw files are other people's data and sit outside the repository
(tests/realcorpus/checks.py says where). The assertion message lists every mismatch of a case.
"""

import pytest

from tests.realcorpus.checks import corpus_folder, load_cases

CASES = load_cases()
FOLDER = corpus_folder()

# Cases the importer is known to get wrong, each with a reason naming the family of the failure (the lead's call;
# empty: every failing case fails loudly).
KNOWN_FAILURES: dict[str, str] = {}


def _params():
    for name in sorted(CASES):
        marks = [pytest.mark.xfail(reason=KNOWN_FAILURES[name], strict=True)] if name in KNOWN_FAILURES else []
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.corpus
@pytest.mark.parametrize("name", list(_params()))
def test_real_file(tmp_path, name):
    if FOLDER is None:
        pytest.skip("real corpus files not found (set DATACTIVISTE_REALCORPUS, or put them in "
                    "../shared/realcorpus/files beside the repository)")
    from tests.realcorpus.checks import check_case

    problems = check_case(CASES[name], FOLDER, tmp_path / "real.db")
    assert not problems, f"{name} ({CASES[name]['source']}):\n  " + "\n  ".join(problems)


def test_every_case_names_a_source_and_facts():
    """A case without a source or without facts would pass without proving anything."""
    for name, case in CASES.items():
        assert case["source"] and case["tags"], name
        assert case["tables"] or case.get("refused"), f"{name}: no table and no refusal expected"
        for table in case["tables"]:
            assert "data_rows" in table and "columns" in table, f"{name}: no row or column count"
