"""A real headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright never downloads a browser here: it launches the system's Chromium (``.ci/run``
installs the ``chromium`` package when it is missing). One browser runs for the whole session;
every test opens its own pages, each watched for console errors, uncaught page errors and
Content-Security-Policy violations, which a test asserts there are none of: a page that works
but logs an error, or whose policy blocks one of its own scripts, is a broken page.

Screenshots go to ``test-output/catalog/<name>.png`` at the repository root (git-ignored), for a
person to look at after the run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO_ROOT = Path(__file__).parents[1]
SCREENSHOTS = REPO_ROOT / "test-output" / "catalog"
VIEWPORT = {"width": 1280, "height": 900}

# Headless, and quiet: nothing a test did not ask for reaches the network (no first-run pages,
# component updates, sync or background fetches), so a page that needs the network shows it.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Every page reports a CSP violation to Python the moment it happens, before any navigation can
# lose it (the binding is installed by the browser, outside the page's own policy).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__eventcontractsCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || document.URL}:${event.lineNumber})`
  );
});
"""


def chromium_or_skip() -> Path:
    """The Chromium to drive; skip when it is not installed, but fail in CI, where a skipped
    browser test would let a broken catalog pass unseen."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = (
        f"{CHROMIUM} is not installed: the catalog browser tests need Debian's chromium "
        "(.ci/run installs it: apt-get install -y chromium chromium-driver)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run them", pytrace=False)
    pytest.skip(reason)


@dataclass
class WatchedPage:
    """A page and what went wrong on it: console errors, uncaught errors, CSP violations."""

    page: Any  # playwright.sync_api.Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"CSP violation: {text}" for text in self.csp_violations]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, f"on {self.page.url}:\n  " + "\n  ".join(problems)

    def screenshot(self, name: str) -> Path:
        """The whole page, scrolled, as test-output/catalog/<name>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


class Browser:
    """One Chromium with a fresh profile; ``page()`` gives watched pages."""

    def __init__(self, context: Any, playwright: Any, executable: Path) -> None:
        self._context = context
        self._playwright = playwright
        self._executable = executable
        self._watched: dict[Any, WatchedPage] = {}
        context.expose_binding("__eventcontractsCspViolation", self._on_csp_violation)
        context.add_init_script(_CSP_LISTENER)

    def _on_csp_violation(self, source: dict[str, Any], text: str) -> None:
        watched = self._watched.get(source["page"])
        if watched is not None:
            watched.csp_violations.append(text)

    @contextmanager
    def page(self) -> Iterator[WatchedPage]:
        """A new page (tab), watched from its first load; closed when the block ends."""
        page = self._context.new_page()
        watched = WatchedPage(page)
        self._watched[page] = watched
        page.on("console", lambda message: _record_console(watched, message))
        page.on("pageerror", lambda error: watched.page_errors.append(str(error)))
        try:
            yield watched
        finally:
            del self._watched[page]
            page.close()

    @contextmanager
    def without_javascript(self) -> Iterator[Browser]:
        """A second Chromium, with JavaScript off, for what a page must show without it."""
        with _chromium(self._playwright, self._executable, java_script_enabled=False) as context:
            yield Browser(context, self._playwright, self._executable)


def _record_console(watched: WatchedPage, message: Any) -> None:
    if message.type == "error":
        # "Failed to load resource" names no resource: the location does.
        where = message.location.get("url") or ""
        watched.console_errors.append(f"{message.text} ({where})" if where else message.text)


@contextmanager
def launch() -> Iterator[Browser]:
    """Start Chromium headless with CHROMIUM_FLAGS and a throwaway profile (--user-data-dir)."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, _chromium(playwright, executable) as context:
        yield Browser(context, playwright, executable)


@contextmanager
def _chromium(playwright: Any, executable: Path, **options: Any) -> Iterator[Any]:
    profile = Path(tempfile.mkdtemp(prefix="eventcontracts-chromium-"))
    try:
        # Playwright passes the profile as --user-data-dir itself (a persistent context).
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(executable),
            headless=True,
            args=list(CHROMIUM_FLAGS),
            viewport=VIEWPORT,
            device_scale_factor=1,
            **options,
        )
        try:
            yield context
        finally:
            context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
