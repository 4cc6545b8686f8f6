"""The account pages a visitor opens before signing in pass axe-core (WCAG 2.2 AA) and
run within the CSP, in English and in Spanish."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import BrowserPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/join/",
        "/accounts/recover/",
    ],
)
def test_the_page_is_accessible_and_within_its_csp(browser_page: BrowserPage, path: str) -> None:
    page = browser_page.page
    page.goto(path, wait_until="load")
    assert page.locator("[data-quick-exit]").count() == 1

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})

    assert results.violations_count == 0, results.generate_report()
    assert browser_page.csp_violations() == []
    assert browser_page.external_requests == []


def test_the_signed_in_account_pages_are_accessible(browser_page: BrowserPage) -> None:
    """Signed in through the form: the account page, e-mail, password and two-factor
    pages (after confirming the password) pass axe-core, within the CSP."""
    from tests.factories import UserFactory

    person = UserFactory(username="river", public_name="River")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    page = browser_page.page
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "river")
    page.fill("input[name=password]", "a long demo passphrase")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")

    for path in ("/account/", "/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        page.goto(path, wait_until="load")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        assert results.violations_count == 0, f"{path}: {results.generate_report()}"

    page.goto("/accounts/2fa/totp/activate/", wait_until="load")
    page.fill("input[name=password]", "a long demo passphrase")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "/accounts/2fa/totp/activate/" in page.url
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    assert browser_page.csp_violations() == []
    assert browser_page.external_requests == []
