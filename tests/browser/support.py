"""What every journey uses: a page that checks itself, the live server, translated labels.

:class:`Tab` wraps a Playwright page. It records console errors, uncaught page errors and
HTTP 5xx responses as they happen, and :meth:`Tab.check` (run after every navigation it makes)
fails the test on any of them or on horizontal overflow (the document wider than the window).
Journeys navigate only through :meth:`Tab.goto`, :meth:`Tab.follow` and :meth:`Tab.download`,
so every page they reach is checked.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import uvicorn
from litestar import Litestar
from playwright.sync_api import Download, Locator, Page

from awards.app import create_app
from awards.i18n import translations
from awards.settings import Settings

__all__ = ["LiveServer", "Tab", "t"]

NAVIGATION_TIMEOUT_MS = 15_000

# The elements sticking out to the right of the window, widest first (for the failure message).
_OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  const total = document.documentElement.scrollWidth;
  if (total <= width) return null;
  const culprits = [];
  for (const element of document.body.querySelectorAll("*")) {
    const right = element.getBoundingClientRect().right;
    if (right > width + 0.5) {
      const classes = element.classList.length ? "." + [...element.classList].join(".") : "";
      culprits.push([Math.round(right), element.tagName.toLowerCase() + classes]);
    }
  }
  culprits.sort((a, b) => b[0] - a[0]);
  return {width, total, culprits: culprits.slice(0, 5)};
}"""


# Known open bugs a journey steps over until they are fixed: URLs whose failed loads are not
# counted as console errors (add one with the issue it belongs to; remove it with the fix).
TOLERATED_URLS: tuple[str, ...] = ()


def _tolerated(url: str) -> bool:
    return url.split("?", 1)[0].endswith(TOLERATED_URLS)


def t(message: str, language: str = "id") -> str:
    """``message`` (an English source string) as the UI shows it in ``language``."""
    return translations(language).gettext(message)


class Tab:
    """A Playwright page that fails the test on console errors, page errors, HTTP 5xx and
    horizontal overflow; ``base_url`` is the live server's address."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        self.checked = 0
        page.set_default_timeout(NAVIGATION_TIMEOUT_MS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._on_response)

    def _on_console(self, message: Any) -> None:
        if message.type == "error" and not _tolerated(message.location.get("url", "")):
            self.problems.append(f"console error: {message.text} ({message.location})")

    def _on_response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"HTTP {response.status} from {response.url}")

    def check(self) -> None:
        """Fail on anything recorded since the last check, or if the page overflows sideways."""
        page = self.page
        problems, self.problems = self.problems, []
        overflow = page.evaluate(_OVERFLOW_SCRIPT)
        if overflow:
            problems.append(
                f"horizontal overflow: document {overflow['total']} px wide in a "
                f"{overflow['width']} px window; widest elements (right edge, element): "
                f"{overflow['culprits']}"
            )
        self._screenshot()
        if problems:
            pytest.fail(f"{page.url}:\n  " + "\n  ".join(problems), pytrace=False)

    def _screenshot(self) -> None:
        """With ``ANUGERAH_BROWSER_SCREENSHOTS=<dir>``, save every checked page there."""
        folder = os.environ.get("ANUGERAH_BROWSER_SCREENSHOTS", "").strip()
        if not folder:
            return
        self.checked += 1
        width = self.page.viewport_size["width"] if self.page.viewport_size else 0
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.path).strip("-") or "home"
        name = f"{os.environ.get('PYTEST_CURRENT_TEST', 'page').split('::')[-1].split(' ')[0]}"
        path = os.path.join(folder, f"{name}-{self.checked:02d}-{width}-{slug}.png")
        self.page.screenshot(path=path, full_page=True)

    def goto(self, path: str) -> None:
        """Open ``path`` on the live server and check the page."""
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None
        self.check()

    def follow(self, locator: Locator) -> None:
        """Click ``locator`` (a link or submit button), wait for the next page, check it."""
        with self.page.expect_navigation(wait_until="load"):
            locator.click()
        self.check()

    def download(self, locator: Locator) -> Download:
        """Click ``locator`` and return the download it starts (the page stays; check it)."""
        with self.page.expect_download() as info:
            locator.click()
        self.check()
        return info.value

    @property
    def path(self) -> str:
        """The current URL without the server's address."""
        return self.page.url.removeprefix(self.base_url)


class _Server(uvicorn.Server):
    """uvicorn that remembers its event loop, so set-up can run coroutines on it."""

    loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets)


class LiveServer:
    """The real app served by uvicorn on a thread, on a port the OS picks on 127.0.0.1.

    ``settings_for(base_url)`` builds the settings once the address is known (emails carry it).
    Use as a context manager; :meth:`run` runs a coroutine on the server's event loop (the
    same loop and connection pool that serve requests) and returns its result.
    """

    def __init__(self, settings_for: Callable[[str], Settings]) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.settings = settings_for(self.url)
        self.app: Litestar = create_app(self.settings)
        config = uvicorn.Config(self.app, lifespan="on", log_level="warning", access_log=False)
        self._server = _Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="live-server"
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        for _ in range(200):
            if self._server.started or not self._thread.is_alive():
                break
            self._thread.join(0.05)
        if not self._server.started:
            raise RuntimeError("the live server did not start (see the captured log)")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()

    def run(self, awaitable: Awaitable[Any]) -> Any:
        """Run ``awaitable`` on the server's event loop and return its result."""
        assert self._server.loop is not None

        async def wrapper() -> Any:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wrapper(), self._server.loop).result(30)
