"""The API documentation at /api/docs/ works in Chromium under the site's CSP."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import BrowserPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_the_operations_without_a_csp_violation(
    browser_page: BrowserPage,
) -> None:
    """Swagger UI, its init script and the schema all load from this site, and the
    list of operations appears."""
    page = browser_page.page
    page.goto("/api/docs/")

    page.locator(".opblock").first.wait_for(state="visible", timeout=15_000)

    assert page.locator(".opblock-summary-path", has_text="/api/v1/").count() >= 1
    assert browser_page.csp_violations() == []
    assert browser_page.external_requests == []
