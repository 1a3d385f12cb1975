"""The checks every journey relies on fail when they should: console errors, uncaught page
errors and horizontal overflow each fail the test; a page that fits passes; and the suite
fails rather than skips on CI when Chromium is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.support import Tab

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def phone_tab(browser: Browser) -> Iterator[Tab]:
    """A 360 px page with no server behind it (content is set directly)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        yield Tab(context.new_page(), base_url="")
    finally:
        context.close()


def test_tab_check_passes_on_a_page_that_fits(phone_tab: Tab):
    """A narrow page without errors passes the check."""
    phone_tab.page.set_content("<main><p>Selamat datang</p></main>")

    phone_tab.check()

    assert phone_tab.problems == []


def test_tab_check_fails_on_horizontal_overflow(phone_tab: Tab):
    """A 600 px wide element in a 360 px window fails the check and is named in the message."""
    phone_tab.page.set_content(
        '<table class="wide" style="width:600px"><tr><td>x</td></tr></table>'
    )

    with pytest.raises(pytest.fail.Exception, match=r"horizontal overflow.*table\.wide"):
        phone_tab.check()


def test_tab_check_fails_on_console_error(phone_tab: Tab):
    """A console.error call fails the check with its text."""
    phone_tab.page.set_content("<script>console.error('kaput')</script>")

    with pytest.raises(pytest.fail.Exception, match="console error: kaput"):
        phone_tab.check()


def test_tab_check_fails_on_uncaught_page_error(phone_tab: Tab):
    """An uncaught exception in a script fails the check."""
    phone_tab.page.set_content("<script>throw new Error('rusak')</script>")

    with pytest.raises(pytest.fail.Exception, match=r"page error: .*rusak"):
        phone_tab.check()


def test_browser_suite_without_chromium_fails_on_ci():
    """With no Chromium and CI=true the suite errors, saying what to install: CI cannot pass
    by skipping it (elsewhere the same fixture skips with that reason)."""
    environment = {**os.environ, "ANUGERAH_CHROMIUM": "/nonexistent/chromium", "CI": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         f"{Path(__file__)}::test_tab_check_passes_on_a_page_that_fits"],
        capture_output=True, text=True, env=environment, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip

    assert "1 error" in result.stdout, result.stdout
    assert "browser tests cannot run on CI" in result.stdout
    assert "apt-get install chromium" in result.stdout
    assert result.returncode == 1
