"""Every file of the real corpus imports with the facts written by hand from its raw bytes.

One case per file (Black-style golden cases): tests/realcorpus/expected/<case>.json says what the
table must be (delimiter, encoding, header, rows, columns, labels, set-aside lines, a few types and
converted values). The raw files whose licence lets them be passed on are committed in
tests/realcorpus/files and always run; the others (no licence stated, non-commercial) run when an
outside folder holds them (tests/realcorpus/checks.py says where). The assertion message lists
every mismatch of a case.
"""

import hashlib

import pytest

from tests.realcorpus.checks import COMMITTED, load_cases, manifest, raw_file, redistributable

CASES = load_cases()
MANIFEST = manifest()
# Cases run here: every committed file, and the others when an outside folder has them.
RUNNABLE = {name for name, case in CASES.items()
            if redistributable(MANIFEST[name]["licence"]) or raw_file(case) is not None}

# Cases the importer is known to get wrong, each with a reason naming the family of the failure (the lead's call;
# empty: every failing case fails loudly).
KNOWN_FAILURES: dict[str, str] = {
    "bf_ocds_import_model": "header rows beyond the labels: an OCDS import model's row of field types "
                            "('chaine de caractère', 'entier') under the labels is taken for the header",
    "cm_cfi_offres_internet": "a documentation sheet whose labels sit in a lower row than the first filled one",
    "h30_sn_cod_checklist_admin": "a title block with a legend of status symbols and section titles: the legend row "
                                  "is taken for the header (row 2, the labels are on row 8)",
    "h31_titanic_pivot": "a cross-tab with a three-row stacked header (Age / Survived / Class, Sex): its last row is kept as data",
    "h37_wfp_mvam_dictionary": "a headerless two-column text sheet (entry, definition sentence): the first entry is taken for labels",
    "hx_ophi_mpi_national_2024": "a multi-row header with merged groups where the first column's label sits in the lowest row",
    "px_date_field_xls": "a four-row date column with one Excel serial 0 (shown 00:00): one misfit in four is over the share "
                         "a typed column tolerates, the column is TEXT",
    "tp_multiline_headers": "a header over several rows with merged cells and a row of column letters: header rows kept as data",
    "h41_abs_tablebuilder_census2016_mini": "ABS TableBuilder layout: the row variable's name line over the labels, "
                                            "a block of totals and its notes kept as rows",
    "h41_eurostat_demo_gind_population": "Eurostat 'Structure' sheet: a long listing of dimensions whose "
                                         "second column is words then years, under two header rows "
                                         "(`Dimension | Position` over `Label | Label`): its header is not found "
                                         "(Sheet 1's key-value title block is now set aside)",
    "h41_insee_indic_circonscriptions_2022": "a variables sheet whose header is one row above the row the importer picks",
    "h41_ons_quality_adjusted_labour_input_2018": "an index sheet listing tables above its key table: the list taken "
                                                  "for the header",
}


def _params():
    for name in sorted(RUNNABLE):
        marks = [pytest.mark.xfail(reason=KNOWN_FAILURES[name], strict=True)] if name in KNOWN_FAILURES else []
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.corpus
@pytest.mark.parametrize("name", list(_params()))
def test_real_file(tmp_path, name):
    from tests.realcorpus.checks import check_case

    problems = check_case(CASES[name], raw_file(CASES[name]), tmp_path / "real.db")
    assert not problems, f"{name} ({CASES[name]['source']}):\n  " + "\n  ".join(problems)


def test_every_case_names_a_source_and_facts():
    """A case without a source or without facts would pass without proving anything."""
    for name, case in CASES.items():
        assert case["source"] and case["tags"], name
        assert case["tables"] or case.get("refused"), f"{name}: no table and no refusal expected"
        for table in case["tables"]:
            # A row count, or, where the file does not settle it (notes say why), where the header is;
            # and the column count, or, where blank columns make it unsettled, labels or types.
            assert "data_rows" in table or "header_line" in table, f"{name}: neither a row count nor a header line"
            assert any(key in table for key in ("columns", "first_label", "types")), f"{name}: nothing on the columns"


def test_committed_files_are_the_manifest_s_and_only_redistributable_ones():
    """Every file a licence lets us pass on is committed byte for byte (sha256 of the manifest);
    no other file is."""
    committed = {path.name for path in COMMITTED.iterdir()}
    for name, row in MANIFEST.items():
        if redistributable(row["licence"]):
            assert row["file"] in committed, f"{name}: {row['licence']} allows it, commit {row['file']}"
            digest = hashlib.sha256((COMMITTED / row["file"]).read_bytes()).hexdigest()
            assert digest == row["sha256"], f"{row['file']} changed (line endings? see .gitattributes)"
        else:
            assert row["file"] not in committed, f"{name}: {row['licence']!r} does not let us commit it"
    assert committed <= {row["file"] for row in MANIFEST.values()}, "a committed file without a manifest row"
    assert sum(redistributable(row["licence"]) for row in MANIFEST.values()) >= 150


def test_the_licence_rule():
    assert redistributable("MIT (LICENSE)") and redistributable("AGPL-3.0 (LICENCE, setup.py)")
    assert redistributable("none stated (data: INSEE, Licence Ouverte)")
    assert redistributable("no licence file; data World Bank WDI, CC BY 4.0")
    assert not redistributable("none stated") and not redistributable("no licence file (public repository)")
    assert not redistributable("CC BY-NC-SA 4.0 (LICENSE)")
    assert not redistributable("none stated (LICENCE.txt is IGN's)")     # "NC" inside a word is no NC clause
    assert redistributable("none stated (data: SNCF open data, ODbL)")
