"""The record of what a chart or map was drawn from changes nothing a reader sees.

Real `chart` and `map` outputs in a real Chromium (network cut), at phone and desktop widths:
each page, with its record and with the record taken out, gives the same pixels.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from datactiviste.built_from import KEY
from datactiviste.lessons.loader import get_module
from datactiviste.lessons.verify import copy_module_files, run_solution
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vus")
    for number in (6, 7):
        module = get_module(number, "fr")
        copy_module_files(module, folder)
        for step in module.steps:
            if step.kind == "do_it":
                assert run_solution(step, folder) is None
    return folder


def _settled_screenshot(page, full_page: bool, tries: int = 12) -> bytes:
    """A screenshot once the page has stopped moving (a map fades its layers in; on a busy
    machine that takes longer than any fixed wait): two in a row alike."""
    previous = None
    for _ in range(tries):
        page.wait_for_timeout(250)
        shot = page.screenshot(full_page=full_page)
        if shot == previous:
            return shot
        previous = shot
    return previous


def _without_record(text: str) -> str:
    text = re.sub(r'\n<meta name="' + KEY + '" content="[^"]*">', "", text)
    return re.sub(r'\n <metadata id="' + KEY + '">[^<]*</metadata>', "", text)


@pytest.mark.parametrize("name", ["prix_mil.html", "prix_mil.svg", "carte_reussite.html", "carte_sante.html"])
@pytest.mark.parametrize("width", [390, 1200])
def test_the_record_is_invisible(outputs, offline_page, name, width):
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 900})
    recorded = outputs / name
    text = recorded.read_text(encoding="utf-8")
    bare = outputs / ("sans-" + name)
    bare.write_text(_without_record(text), encoding="utf-8")
    assert bare.stat().st_size < recorded.stat().st_size  # the record was there, and is now out
    shots = []
    for path in (recorded, bare):
        offline_page.open(path)
        shots.append(_settled_screenshot(page, full_page=not name.endswith(".svg")))  # an SVG has no page to scroll
    if width == 390:
        (outputs / f"{name}.{width}.png").write_bytes(shots[0])
    for index, shot in enumerate(shots):
        (outputs / f"{name}.{width}.{index}.png").write_bytes(shot)
    # digests, not the bytes: pytest would diff two PNGs byte by byte for minutes
    assert hashlib.sha256(shots[0]).hexdigest() == hashlib.sha256(shots[1]).hexdigest(), outputs
    assert offline_page.external == [] and offline_page.console_errors == []
