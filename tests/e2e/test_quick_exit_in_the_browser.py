"""The quick exit works the same in the admin and on the API docs as on the site's pages:
in Chromium, under the site's CSP."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.e2e.conftest import BrowserPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = ["/admin/login/", "/api/docs/"]


@pytest.mark.parametrize("path", PAGES)
def test_the_quick_exit_leaves_without_a_history_entry_or_a_referer(
    browser_page: BrowserPage, path: str
) -> None:
    page = browser_page.page
    page.goto(path, wait_until="load")
    entries = page.evaluate("history.length")

    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(settings.QUICK_EXIT_URL)

    assert page.evaluate("history.length") == entries
    assert "referer" not in browser_page.neutral_requests[0]
    assert browser_page.external_requests == []


@pytest.mark.parametrize("path", PAGES)
def test_pressing_escape_twice_is_a_quick_exit_there_too(
    browser_page: BrowserPage, path: str
) -> None:
    page = browser_page.page
    page.goto(path, wait_until="load")
    assert browser_page.csp_violations() == []

    page.locator("body").press("Escape")
    page.locator("body").press("Escape")
    page.wait_for_url(settings.QUICK_EXIT_URL)


@pytest.mark.parametrize("path", PAGES)
def test_the_quick_exit_is_in_view_and_a_large_target(browser_page: BrowserPage, path: str) -> None:
    """Styled by quick-exit.css whatever stylesheet surrounds it: in view when the page
    opens, at least 44 px high, white on red."""
    page = browser_page.page
    page.emulate_media(color_scheme="light")
    page.goto(path, wait_until="load")
    link = page.get_by_role("link", name="Quick exit")

    box = link.bounding_box()
    assert box is not None
    assert link.is_visible()
    viewport = page.viewport_size
    assert viewport is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= viewport["height"]
    assert box["height"] >= 44
    colours = link.evaluate(
        "element => [getComputedStyle(element).color, getComputedStyle(element).backgroundColor]"
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(164, 20, 30)"]
