"""The served pages on a phone (360 x 740, touch) and a desktop (1280 x 900), in real Chromium.

Every page type of the demo database (the bundled sample data through the real importer), in
French and English, local and classroom modes: the page never scrolls sideways, no text is
under 12 px, the first data row starts within 1.5 screens, nothing comes from the network, and
on the phone every tap target is at least 40 px. Then what a trainee does with one thumb: open
the provenance panel, scroll a wide table sideways with its first column kept, open a facet and
tap a value, filter, use the column menu, move and zoom the map, type SQL.

Screenshots of every page are kept in tests/artifacts/mobile/ (ignored by git) to be looked at.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from datactiviste.serve.demo import build_demo_database
from datactiviste.serve.launch import prepare
from tests.browser import offline_browser, offline_route  # noqa: F401 (fixture)
from tests.page_layout import DEMO_PAGES, MIN_TEXT_PX, TAP_PX, UPLOAD_FIRST, measure, open_upload_report

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "mobile"
VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 900)}
SERVERS = [("local", "fr"), ("local", "en"), ("classroom", "fr"), ("classroom", "en")]
# A low-cost Android phone's Chrome: CodeMirror and Leaflet take their touch paths for it.
ANDROID = ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Mobile Safari/537.36")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """{(mode, language): (base URL, database name)} on 127.0.0.1. Each mode has its own copy of
    the demo database (the local server's upload writes to it; the classroom one is opened
    immutable); local mode shows the demo banner, as `datactiviste demo` does."""
    from datactiviste.i18n import get_language, set_language
    from datactiviste.serve.demo import demo_banner

    folder = tmp_path_factory.mktemp("mobile")
    built = build_demo_database(folder / "demo.db")
    copies = {"local": built, "classroom": shutil.copy(built, folder / "classe.db")}
    started, urls = [], {}
    try:
        process_language = get_language()
        for mode, language in SERVERS:
            set_language(language)  # the banner is written in the process language
            banner = demo_banner() if mode == "local" else ""
            set_language(process_language)
            prepared = prepare([copies[mode]], language=language, port=0, host="127.0.0.1",
                               classroom=mode == "classroom", banner_html=banner)
            prepared.server.start_in_thread()
            started.append(prepared.server)
            urls[(mode, language)] = prepared.server.url.rstrip("/"), Path(copies[mode]).stem
        yield urls
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def open_page(offline_browser):  # noqa: F811 (pytest fixture)
    """open_page(viewport, language) -> (page, external requests): a fresh context, network cut."""
    contexts = []

    def make(viewport: str, language: str = "fr"):
        width, height = VIEWPORTS[viewport]
        phone = viewport == "phone"
        context = offline_browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone,
            user_agent=ANDROID if phone else None, locale=language)
        external: list[str] = []
        context.route("**/*", offline_route(external, []))
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors
        return page, external

    yield make
    for context in contexts:
        context.close()


def check_layout(page, viewport: str, first: str, shot: str) -> dict:
    """The phone-usability facts every page must meet; the screenshot is kept either way."""
    width, height = VIEWPORTS[viewport]
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
    layout = measure(page, first)
    assert layout["scroll_width"] <= width, (layout["scroll_width"], layout["wide_elements"])
    assert layout["smallest_text"][0] >= MIN_TEXT_PX, layout["smallest_text"]
    assert layout["first_top"] is not None, f"nothing matches {first}"
    assert layout["first_top"] <= 1.5 * height, layout["first_top"]
    if viewport == "phone":
        assert layout["small_targets"] == [], f"under {TAP_PX} px: {layout['small_targets']}"
    return layout


@pytest.mark.parametrize("page_name", list(DEMO_PAGES))
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("mode,language", SERVERS)
def test_every_page_fits_the_screen(servers, open_page, mode, language, viewport, page_name):
    base, db = servers[(mode, language)]
    path, first = DEMO_PAGES[page_name]
    page, external = open_page(viewport, language)
    page.goto(base + path.format(db=db))
    check_layout(page, viewport, first, f"{mode}-{language}-{viewport}-{page_name}")
    assert page.evaluate("document.documentElement.lang") == language
    assert external == [] and page.errors == []


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_upload_form_and_report_fit_the_screen(servers, open_page, tmp_path, language, viewport):
    base, _db = servers[("local", language)]
    csv_file = tmp_path / f"écoles_{viewport}.csv"
    csv_file.write_bytes("commune;élèves\nThiès;1 234\nKaolack;567\n".encode("cp1252"))
    page, external = open_page(viewport, language)
    page.goto(base + "/")
    check_layout(page, viewport, "form.dt-upload", f"local-{language}-{viewport}-home-form")
    open_upload_report(page, base + "/", csv_file)
    check_layout(page, viewport, UPLOAD_FIRST, f"local-{language}-{viewport}-upload")
    assert external == [] and page.errors == []


def test_provenance_panel_is_folded_on_a_phone_and_its_values_wrap(servers, open_page):
    base, db = servers[("local", "fr")]
    page, _external = open_page("phone")
    page.goto(f"{base}/{db}/budget_communes_2024")
    assert page.evaluate("document.querySelector('details.dt-about').open") is False
    page.tap("details.dt-about > summary")
    assert page.evaluate("document.querySelector('details.dt-about').open") is True
    assert "Fichier source" in page.inner_text("details.dt-about")
    rights = page.evaluate("Array.from(document.querySelectorAll('.dt-about dd, .dt-about dt'))"
                           ".map(e => e.getBoundingClientRect().right)")
    assert rights and max(rights) <= VIEWPORTS["phone"][0]
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"][0]

    desktop, _external = open_page("desktop")
    desktop.goto(f"{base}/{db}/budget_communes_2024")
    assert desktop.evaluate("document.querySelector('details.dt-about').open") is True


def test_column_descriptions_only_where_the_header_says_more(tmp_path, open_page):
    """The bundled tables' headers all say what their names say: no list at all. A table whose
    headers were shortened (tests/serve_fixtures: "Poste de dépense" -> poste, "Montant (FCFA)" ->
    montant) lists those only."""
    from tests.serve_fixtures import make_project_db

    prepared = prepare([make_project_db(tmp_path / "projet.db", rows=30)], language="fr", port=0)
    prepared.server.start_in_thread()
    try:
        url = prepared.server.url + "projet/depenses"
        page, _external = open_page("phone")
        page.goto(url)
        assert page.evaluate("document.querySelector('details.dt-columns').open") is False
        page.tap("details.dt-columns > summary")
        names = page.eval_on_selector_all(".column-descriptions dt", "els => els.map(e => e.textContent)")
        assert names == ["poste", "montant", "date_paiement"]  # not code_commune, region, latitude...
        assert "En-têtes d’origine des colonnes (3)" in page.inner_text("details.dt-columns > summary")
        desktop, _external = open_page("desktop")
        desktop.goto(url)
        assert desktop.evaluate("document.querySelector('details.dt-columns').open") is True
    finally:
        prepared.server.stop()


def test_a_wide_table_scrolls_in_its_box_and_keeps_its_first_column(servers, open_page):
    base, db = servers[("classroom", "fr")]
    page, _external = open_page("phone")
    page.goto(f"{base}/{db}/structures_sante")
    box = page.evaluate("(() => { const w = document.querySelector('.table-wrapper');"
                        " return [w.scrollWidth, w.clientWidth]; })()")
    assert box[0] > box[1] * 2  # twelve columns: much wider than the phone
    before = page.evaluate("[...document.querySelectorAll('tbody tr:first-child td')]"
                           ".slice(0, 3).map(td => td.getBoundingClientRect().left)")
    page.evaluate("document.querySelector('.table-wrapper').scrollLeft = 300")
    after = page.evaluate("[...document.querySelectorAll('tbody tr:first-child td')]"
                          ".slice(0, 3).map(td => td.getBoundingClientRect().left)")
    assert abs(after[0] - before[0]) < 1  # the first column stays in view
    assert after[2] < before[2] - 250  # the others scrolled under it
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"][0]


def test_facets_open_with_a_tap_and_a_value_filters(servers, open_page):
    base, db = servers[("local", "en")]
    page, _external = open_page("phone", "en")
    page.goto(f"{base}/{db}/budget_communes_2024?_facet=region")
    facet = "#facet-region details.dt-facet"
    assert page.evaluate(f"document.querySelector('{facet}').open") is False
    page.tap(f"{facet} > summary")
    value = page.locator(f"{facet} li a").first
    label = value.inner_text()
    box = value.bounding_box()
    assert box["height"] >= TAP_PX and box["x"] + box["width"] <= VIEWPORTS["phone"][0]
    value.tap()
    page.wait_for_url("**region=**")
    assert unquote(page.url).endswith("region=" + label) or f"region={label}" in unquote(page.url)
    assert page.evaluate(f"document.querySelector('{facet}').open") is True  # the chosen value shows
    assert label in page.inner_text("h3")


def test_filters_work_with_taps_and_do_not_zoom(servers, open_page):
    base, db = servers[("classroom", "en")]
    page, _external = open_page("phone", "en")
    page.goto(f"{base}/{db}/structures_sante")
    assert page.evaluate("document.querySelector('details.dt-filters').open") is False
    page.tap("details.dt-filters > summary")
    sizes = page.eval_on_selector_all(
        "form.filters select, form.filters input[type=text], form.filters input[type=search]",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 16  # phones zoom into smaller fields when they get the focus
    page.select_option("select[name=_filter_column]", "region")
    page.tap("input[name=_filter_value]")
    page.keyboard.insert_text("Kolda")
    page.tap("form.filters input[type=submit]")
    page.wait_for_url("**region**")
    first_region = page.inner_text("table.rows-and-columns tbody tr:first-child td.col-region")
    assert first_region == "Kolda"
    assert page.evaluate("document.querySelector('details.dt-filters').open") is True  # it shows


def test_the_column_menu_is_a_sheet_one_finger_can_use(servers, open_page):
    base, db = servers[("local", "fr")]
    page, _external = open_page("phone")
    page.goto(f"{base}/{db}/structures_sante")
    page.evaluate("document.querySelector('.table-wrapper').scrollLeft = 10000")
    page.tap('th[data-column="date_ouverture"] svg.dropdown-menu-icon')
    menu = page.locator(".dropdown-menu")
    menu.wait_for(state="visible")
    # offsets, not bounding boxes: the menu opens with a scale-in animation
    left, width = menu.evaluate("e => [e.offsetLeft - window.scrollX, e.offsetWidth]")
    assert left >= 0 and left + width <= VIEWPORTS["phone"][0]
    heights = page.eval_on_selector_all(".dropdown-menu li a", "els => els.filter(e => e.offsetParent)"
                                        ".map(e => e.offsetHeight)")
    assert heights and min(heights) >= TAP_PX
    page.tap(".dropdown-menu a.dropdown-sort-desc")
    page.wait_for_url("**_sort_desc=date_ouverture**")


def test_the_map_works_with_one_finger(servers, open_page, offline_browser):  # noqa: F811
    base, db = servers[("classroom", "fr")]
    page, external = open_page("phone")
    page.goto(f"{base}/{db}/structures_sante")
    page.wait_for_selector("#dt-map[data-points]", timeout=15000)
    height = VIEWPORTS["phone"][1]
    map_box = page.locator("#dt-map").bounding_box()
    assert map_box["height"] <= 0.5 * height  # room above or below it to scroll the page
    # the map first zooms from Africa (zoom 3) onto the points in Senegal: wait until it has
    page.wait_for_function("(() => { const m = document.getElementById('dt-map');"
                           " return m.dataset.zoom !== '3' && !m.classList.contains('leaflet-zoom-anim'); })()")
    zoom = int(page.get_attribute("#dt-map", "data-zoom"))
    plus = page.locator("#dt-map .leaflet-control-zoom-in")
    plus_box = plus.bounding_box()
    assert plus_box["width"] >= TAP_PX and plus_box["height"] >= TAP_PX
    plus.tap()
    page.wait_for_function(f"Number(document.getElementById('dt-map').dataset.zoom) > {zoom}")

    pane = "document.querySelector('#dt-map .leaflet-map-pane').style.transform"
    before = page.evaluate(pane)
    cdp = page.context.new_cdp_session(page)
    x, y = map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": [{"x": x - 8 * step, "y": y - 5 * step}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function(f"{pane} !== {before!r}")
    assert external == [] and page.errors == []


def test_sql_can_be_typed_with_a_phone_keyboard(servers, open_page):
    base, db = servers[("local", "fr")]
    page, _external = open_page("phone")
    page.goto(f"{base}/{db}")
    assert page.get_attribute("textarea#sql-editor", "autocapitalize") == "off"
    page.wait_for_selector(".CodeMirror")
    editor = page.locator(".CodeMirror")
    box = editor.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"][0]
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.CodeMirror')).fontSize)") >= 16
    # a phone keyboard: no Ctrl-A, no Shift-Enter; tap after the text, type, tap the button
    end = page.evaluate("(() => { const cm = document.querySelector('.CodeMirror').CodeMirror;"
                        " const last = cm.lastLine(); const c = cm.charCoords("
                        "{line: last, ch: cm.getLine(last).length}, 'window');"
                        " return [c.right + 2, (c.top + c.bottom) / 2]; })()")
    page.touchscreen.tap(end[0], end[1])
    page.keyboard.insert_text(" limit 3")  # what a phone keyboard sends: text input, no key codes
    page.wait_for_function("document.querySelector('.CodeMirror').CodeMirror.getValue().endsWith(' limit 3')",
                           timeout=5000)
    page.tap("form.sql input[type=submit]")
    page.wait_for_selector("table.rows-and-columns")
    assert page.locator("table.rows-and-columns tbody tr").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"][0]

