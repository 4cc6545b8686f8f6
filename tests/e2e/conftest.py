"""Browser pages for the Playwright tests (``@pytest.mark.e2e``), shared by every
feature's end-to-end tests; the ``browser`` fixture itself is in tests/e2e/fixtures.py,
which every folder sees.

Chromium is Debian's (``/usr/bin/chromium``, or ``CHROMIUM_PATH``), launched headless
with no background networking. Every request to another origin is intercepted: the
neutral quick-exit site gets a stub page, anything else is refused and recorded in
``BrowserPage.external_requests`` (the site must load nothing from third parties).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
)
from pytest_django.live_server_helper import LiveServer

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Neutral</title><h1>Neutral site</h1></html>"

# Records every CSP violation the page reports, alongside what Chromium logs to the console.
_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.__cspViolations.push(event.violatedDirective + " blocked " + blocked);
});
"""


@dataclass
class BrowserPage:
    """A page on the live server, and what it reported while the test ran."""

    page: Page
    context: BrowserContext
    base_url: str
    console: list[ConsoleMessage] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    neutral_requests: list[dict[str, str]] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        """CSP violations from the console and from securitypolicyviolation events."""
        logged = [
            m.text
            for m in self.console
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
        ]
        try:
            events: list[str] = self.page.evaluate("window.__cspViolations || []")
        except Exception:  # the page navigated away to another origin
            events = []
        return logged + events

    def console_errors(self) -> list[str]:
        return [m.text for m in self.console if m.type == "error"]


def open_page(
    browser: Browser, live_server_url: str, **context_options: Any
) -> Iterator[BrowserPage]:
    """A fresh browser context on the live server (pass viewport, locale,
    java_script_enabled… through ``context_options``)."""
    context_options.setdefault("locale", "en-GB")
    context = browser.new_context(base_url=live_server_url, **context_options)
    context.add_init_script(_RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    opened = BrowserPage(page=page, context=context, base_url=live_server_url)
    page.on("console", lambda message: opened.console.append(message))

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(live_server_url):
            route.continue_()
        elif url.startswith(settings.QUICK_EXIT_URL):
            opened.neutral_requests.append(route.request.headers)
            route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)
        else:
            opened.external_requests.append(url)
            route.abort()

    context.route("**/*", handle)
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture
def browser_page(browser: Browser, live_server: LiveServer) -> Iterator[BrowserPage]:
    """A desktop-sized page on the live server, in English."""
    yield from open_page(browser, str(live_server.url))
