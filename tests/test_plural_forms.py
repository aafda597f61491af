"""Counts are said with real plural forms ("1 fichier", "2 fichiers"), never faked with "(s)"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from datactiviste.errors import DatactivisteError

LOCALE = Path(__file__).resolve().parents[1] / "datactiviste" / "i18n" / "locale"
FAKED = re.compile(r"\w\((?:s|es|x|e|e\)\(s)\)")     # fichier(s), réussi(e)s, travau(x)…


def test_no_catalog_message_fakes_a_plural():
    catalogs = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert catalogs
    for catalog in catalogs:
        for number, line in enumerate(catalog.read_text("utf-8").splitlines(), start=1):
            if line.startswith(("msgid", "msgstr")):
                text = line.replace("http(s)", "")
                assert not FAKED.search(text), f"{catalog}:{number}: {line}"


@pytest.mark.parametrize("count,french", [(1, "1 fichier depuis"), (2, "2 fichiers depuis")])
def test_a_page_that_would_go_online_says_how_many_files(count, french):
    from datactiviste.offline import assert_offline

    page = "".join(f'<script src="https://cdn.example.org/{n}.js"></script>' for n in range(count))
    with pytest.raises(DatactivisteError) as refused:
        assert_offline(page)
    assert french in refused.value.message and "(s)" not in refused.value.message


@pytest.mark.parametrize("unknown,french", [(["couleur"], "Champ inconnu dans"),
                                            (["couleur", "taille"], "Champs inconnus dans")])
def test_unknown_chart_spec_fields_are_named_in_the_right_number(unknown, french):
    from datactiviste.charts.spec import ChartSpec

    with pytest.raises(DatactivisteError) as refused:
        ChartSpec.from_dict({"type": "bar", **{name: 1 for name in unknown}})
    assert french in refused.value.message and ", ".join(unknown) in refused.value.message
