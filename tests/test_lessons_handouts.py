"""Printable handouts: small, deterministic, and rendered by a real browser with the network cut."""

from __future__ import annotations

from datactiviste.lessons.loader import load_modules
from datactiviste.lessons.markup import to_html
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)


def test_handouts_in_both_languages_small_and_deterministic(run_cli, tmp_path):
    result = run_cli("lesson", "handouts", "--lang", "all", "-o", "polycopies")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "polycopies"
    modules = load_modules("fr")
    for language in ("fr", "en"):
        pages = sorted((folder / language).glob("*.html"))
        assert len(pages) == 2 * len(modules) + 1
        assert all(p.stat().st_size < 40_000 for p in pages)  # fine over a bad connection
    first = {p: p.read_bytes() for p in folder.rglob("*.html")}
    run_cli("lesson", "handouts", "--lang", "all", "-o", "polycopies")
    assert {p: p.read_bytes() for p in folder.rglob("*.html")} == first

    learner = (folder / "fr" / "02-import.html").read_text(encoding="utf-8")
    facilitator = (folder / "fr" / "02-import-animateur.html").read_text(encoding="utf-8")
    assert "Notes pour l'animateur" not in learner and "Notes pour l'animateur" in facilitator
    assert "20 min de cours, 40 min d'exercices" in learner
    assert "datactiviste import budget_communes_2024.csv" in facilitator  # solutions for the trainer
    english = (folder / "en" / "02-import-facilitator.html").read_text(encoding="utf-8")
    assert "Facilitator notes" in english and 'lang="en"' in english


def test_handout_pages_render_offline_in_chromium(run_cli, tmp_path, offline_page):
    run_cli("lesson", "handouts", "-o", "h")
    index = offline_page.open(tmp_path / "h" / "fr" / "index.html")
    assert index.locator("table tr").count() == len(load_modules("fr")) + 1
    index.click("text=animateur >> nth=3")  # module 4, facilitator version
    assert index.locator("h1").inner_text().startswith("4. ")
    assert index.locator(".solution").count() >= 5 and index.locator("pre").count() >= 5
    page = offline_page.open(tmp_path / "h" / "fr" / "06-map.html")
    assert page.locator("section.step").count() == 6
    assert offline_page.external == [] and offline_page.console_errors == []


def test_lesson_text_cannot_inject_html():
    html = to_html("Un <script>alert(1)</script> et [lien](javascript:alert(1)) et **gras** `code <b>`")
    assert "<script>" not in html and "href=\"javascript" not in html and "&lt;script&gt;" in html
    assert "<strong>gras</strong>" in html and "<code>code &lt;b&gt;</code>" in html


def test_the_class_report_renders_offline(run_cli, tmp_path, offline_page, monkeypatch):
    from datactiviste.lessons.progress import ProgressStore

    monkeypatch.setenv("DATACTIVISTE_HOME", str(tmp_path / "home"))
    files = []
    for name, correct in (("Awa Diop", True), ("Moussa Sow", False)):
        store = ProgressStore(name)
        store.record(2, "separateur", "attempt", correct, "2" if correct else "1", at="2026-01-05T09:00:00+00:00")
        if correct:
            store.record(2, "separateur", "done", at="2026-01-05T09:01:00+00:00")
        files.append(store.write_export(tmp_path / f"{name}.json"))
        store.close()
    assert run_cli("lesson", "class-report", *files, "-o", "classe.html").exit_code == 0
    page = offline_page.open(tmp_path / "classe.html")
    assert page.locator("table").count() == 2
    assert "Moussa Sow" in page.locator("table >> nth=1").inner_text()  # still stuck on separateur
    assert offline_page.external == [] and offline_page.console_errors == []
