"""The main navigation at its longest (site staff, in Spanish) still fits a 320-pixel
screen: its links wrap instead of pushing the page sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import BrowserPage, open_page
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_on_a_narrow_screen(browser: Browser, live_server: LiveServer) -> Iterator[BrowserPage]:
    """Site staff signed in, on the smallest phone the site supports (320 CSS pixels)."""
    staff = UserFactory(username="sam", public_name="Sam", is_staff=True)
    client = Client()
    client.force_login(staff)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    for opened in open_page(browser, str(live_server.url), viewport={"width": 320, "height": 640}):
        opened.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": str(live_server.url)}]
        )
        yield opened


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_staff_navigation_fits_a_320_pixel_screen_without_sideways_scrolling(
    staff_on_a_narrow_screen: BrowserPage, language: str
) -> None:
    page = staff_on_a_narrow_screen.page
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto("/spaces/")

    nav = page.locator("nav.site-nav")
    assert nav.locator('a[href="/organisations/review/"]').is_visible()
    assert nav.locator('a[href="/spaces/new/"]').is_visible()
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 320
