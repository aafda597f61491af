"""A real headless Chromium with the network cut, for proving pages work offline.

Uses Debian's `chromium` (installed by `make test`) driven by Playwright with
`executable_path`; Playwright never downloads a browser. Every request that is not to
file://, data:, blob: or this machine (127.0.0.1 / localhost) is aborted and recorded, so a
test asserts `page_requests.external == []` and that the page still rendered.

usage in a test module:
    from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
    def test_x(offline_page):
        page = offline_page.open(path_or_url)
        assert offline_page.external == []
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium_path() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    # Not a skip: browser tests are part of the proof. `make test` installs chromium.
    raise RuntimeError("Chromium not found: run `make test` (it installs Debian's chromium package)")


@dataclass
class OfflinePage:
    context: object
    page: object = None
    external: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def open(self, target: str | Path, wait_until: str = "load"):
        url = target if isinstance(target, str) and "://" in target else Path(target).resolve().as_uri()
        self.page.goto(url, wait_until=wait_until)
        return self.page


def offline_route(external: list[str], local: list[str]):
    """A Playwright route handler: local requests go on (listed in `local`), others are aborted
    and listed in `external`."""
    def handle(route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("file", "data", "blob", "about") or parsed.hostname in LOCAL_HOSTS:
            local.append(url)
            route.continue_()
        else:
            external.append(url)
            route.abort()
    return handle


@pytest.fixture(scope="module")
def offline_browser():
    """One Chromium per test module, closed when the module ends.

    Module scope, not session: each module that imports this fixture gets its own copy, and a
    second live sync Playwright fails ("Sync API inside the asyncio loop"); a live one also keeps
    an event loop running, which breaks asyncio.run() in later non-browser modules.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def offline_page(offline_browser):
    context = offline_browser.new_context(locale="fr-FR", viewport={"width": 1200, "height": 900})
    result = OfflinePage(context=context)
    context.route("**/*", offline_route(result.external, result.local))
    result.page = context.new_page()
    result.page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    result.page.on("pageerror", lambda e: result.console_errors.append(str(e)))
    yield result
    context.close()
