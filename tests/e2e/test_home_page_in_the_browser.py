"""The home page in Chromium: accessible, within its CSP, usable at 320 px, with a
skip link and a quick exit that work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import BrowserPage, open_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def narrow_page(browser: Browser, live_server: LiveServer) -> Iterator[BrowserPage]:
    """The smallest phone the site supports: 320 CSS pixels wide."""
    yield from open_page(
        browser,
        str(live_server.url),
        viewport={"width": 320, "height": 640},
    )


@pytest.mark.parametrize(
    ("language", "colour_scheme"), [("en", "light"), ("es", "light"), ("en", "dark")]
)
def test_the_home_page_has_no_accessibility_violations(
    browser_page: BrowserPage, language: str, colour_scheme: Literal["light", "dark"]
) -> None:
    """axe-core finds nothing against WCAG 2.2 AA: in English and in Spanish (chosen
    with the language switcher), and in the dark colour scheme."""
    page = browser_page.page
    page.emulate_media(color_scheme=colour_scheme)
    page.goto("/", wait_until="load")
    if language == "es":
        page.get_by_role("button", name="Español").click()
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "es"

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})

    assert results.violations_count == 0, results.generate_report()


def test_the_home_page_runs_within_its_content_security_policy(
    browser_page: BrowserPage,
) -> None:
    """No CSP violation is reported, no script error, and nothing is requested from
    another site."""
    browser_page.page.goto("/", wait_until="networkidle")

    assert browser_page.csp_violations() == []
    assert browser_page.console_errors() == []
    assert browser_page.external_requests == []
    # htmx loaded under the CSP, with its inline styles switched off.
    assert browser_page.page.evaluate("typeof htmx") == "object"
    assert browser_page.page.evaluate("htmx.config.historyCacheSize") == 0


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_home_page_fits_a_320_pixel_screen_without_sideways_scrolling(
    narrow_page: BrowserPage, language: str
) -> None:
    narrow_page.page.set_extra_http_headers({"Accept-Language": language})
    narrow_page.page.goto("/")

    widths = narrow_page.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )

    assert widths[0] <= widths[1] == 320
    assert narrow_page.page.locator("a.quick-exit").is_visible()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(
    browser_page: BrowserPage,
) -> None:
    page = browser_page.page
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert skip_link.evaluate("element => element === document.activeElement")
    box = skip_link.bounding_box()
    assert box is not None
    assert box["y"] >= 0

    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("/#main")


def test_the_quick_exit_leaves_no_history_entry_to_go_back_to(
    browser_page: BrowserPage,
) -> None:
    """Clicking the control replaces this page's history entry with the neutral site:
    the history does not grow, and Back does not return to Real Voice (a fresh tab's
    history holds only the blank page it was opened on)."""
    page = browser_page.page
    page.goto("/")
    entries = page.evaluate("history.length")

    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(settings.QUICK_EXIT_URL)

    assert page.evaluate("history.length") == entries
    assert "referer" not in browser_page.neutral_requests[0]
    page.go_back()
    assert page.url == "about:blank"


def test_pressing_escape_twice_is_a_quick_exit(browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto("/")
    entries = page.evaluate("history.length")

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(settings.QUICK_EXIT_URL)

    assert page.evaluate("history.length") == entries
    page.go_back()
    assert not page.url.startswith(browser_page.base_url)


def test_pressing_escape_once_does_nothing(browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto("/")

    page.keyboard.press("Escape")
    page.wait_for_timeout(300)

    assert page.url == browser_page.base_url + "/"
    assert browser_page.neutral_requests == []


def test_without_javascript_the_quick_exit_link_still_leaves_without_a_referer(
    browser: Browser, live_server: LiveServer
) -> None:
    """rel=noreferrer: the neutral site is not told where the visitor came from."""
    for opened in open_page(browser, str(live_server.url), java_script_enabled=False):
        opened.page.goto("/")

        opened.page.get_by_role("link", name="Quick exit").click()
        opened.page.wait_for_url(settings.QUICK_EXIT_URL)

        assert len(opened.neutral_requests) == 1
        assert "referer" not in opened.neutral_requests[0]
