"""Fixtures of the browser suite: Chromium driven by Playwright, the real app on a live server.

* ``browser`` — one headless Chromium (the Debian package, ``/usr/bin/chromium``) for the whole
  suite. Missing Chromium skips the suite with the reason, except on CI (``CI=true``), where it
  fails: ``.ci/run`` installs it.
* ``live_server`` — the app served by uvicorn on a thread, on an OS-chosen port of 127.0.0.1,
  on this test's database (``database_url``: SQLite file, or the PostgreSQL test database);
  ``live_server.run(coro)`` seeds data through the services on the server's own event loop.
* ``tab`` — a fresh browser context and page at the test's viewport (every test that asks for
  it runs at 360x740 and at 1280x800), wrapped in :class:`tests.browser.support.Tab`, which
  checks every page it reaches.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from awards.settings import Settings
from tests.awards.helpers import TEST_SECRET
from tests.browser.support import LiveServer, Tab

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


def chromium_executable() -> str | None:
    """``ANUGERAH_CHROMIUM`` if set, else ``chromium`` on the PATH or ``/usr/bin/chromium``;
    ``None`` if that is not an executable file."""
    chosen = os.environ.get("ANUGERAH_CHROMIUM", "").strip()
    candidates = [chosen] if chosen else [shutil.which("chromium") or "", "/usr/bin/chromium"]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Chromium shared by every browser test (package scope: Playwright's sync API
    marks the main thread's event loop as running until it stops, so it must stop before the
    tests that follow)."""
    executable = chromium_executable()
    if executable is None:
        reason = (
            "Chromium is not installed (apt-get install chromium, or set ANUGERAH_CHROMIUM); "
            ".ci/run installs it"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run on CI: {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def live_server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    def settings_for(base_url: str) -> Settings:
        return Settings.from_env(
            {
                "ANUGERAH_DATA_DIR": str(tmp_path / "data"),
                "ANUGERAH_DATABASE_URL": database_url,
                "ANUGERAH_SECRET_KEY": TEST_SECRET,
                "ANUGERAH_BASE_URL": base_url,
            }
        )

    with LiveServer(settings_for) as server:
        yield server


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return VIEWPORTS[request.param]


@pytest.fixture
def tab(browser: Browser, live_server: LiveServer, viewport: dict[str, int]) -> Iterator[Tab]:
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="id-ID")
    try:
        page = context.new_page()
        checked = Tab(page, live_server.url)
        yield checked
        checked.check()
    finally:
        context.close()
