"""A person joins a decision space with a facilitator's code and no e-mail address, sees
their recovery codes once, and is signed in, in Chromium."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.authority import Actor
from accounts.models import User
from spaces.models import Membership
from spaces.services import invitation_create
from tests.e2e.conftest import BrowserPage
from tests.factories import DecisionSpaceFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_join_by_code_without_an_email_address(browser_page: BrowserPage) -> None:
    space = DecisionSpaceFactory(name="Northside", slug="northside")
    rosa = UserFactory(username="rosa", public_name="Rosa")
    MembershipFactory(space=space, user=rosa, role="facilitator")
    _invitation, code = invitation_create(
        actor=Actor(user=rosa, mfa=True, recently_authenticated=True), space=space, role="board"
    )
    page = browser_page.page

    page.goto("/")
    page.get_by_role("link", name="Join with a code").click()
    page.get_by_label("Invitation code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()

    page.get_by_label("Public name").fill("T.")
    page.get_by_label("Private sign-in name").fill("tee")
    page.locator("input[name=password1]").fill("a long new passphrase")
    page.locator("input[name=password2]").fill("a long new passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state("load")

    assert page.get_by_role("heading", level=1).inner_text() == "Your account recovery codes"
    assert page.locator(".recovery-codes li").count() == 10
    person = User.objects.get(username="tee")
    assert person.email is None
    assert Membership.objects.filter(user=person, role="board").exists()
    page.get_by_role("link", name="Go to your account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert browser_page.csp_violations() == []
    assert browser_page.external_requests == []
