"""A board member's way in, walked in Chromium: `board1` signs in and lands on their own
page, sees the review they owe and the vote they can cast, and reaches both from there;
signed out, the home page links to the open vote. The pages pass axe-core (WCAG 2.2 AA)
within the CSP and load nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from proposals import services as proposal_services
from tests.e2e.conftest import BrowserPage, open_page
from tests.e2e.support import remove_append_only_rows_on_sqlite
from tests.pages.test_my_page import second_proposal
from tests.proposals.conftest import Cast, actor
from voting.models import Vote

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_delivery_queued"),
]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(autouse=True)
def _append_only_rows_removed_before_the_flush(transactional_db: None) -> Iterator[None]:
    yield
    remove_append_only_rows_on_sqlite()


@pytest.fixture
def public_page(browser: Browser, live_server: LiveServer) -> Iterator[BrowserPage]:
    yield from open_page(browser, str(live_server.url))


@pytest.fixture
def board1_page(browser: Browser, live_server: LiveServer) -> Iterator[BrowserPage]:
    yield from open_page(browser, str(live_server.url))


def _accessible(opened: BrowserPage) -> None:
    results = Axe().run(opened.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{opened.page.url}: {results.generate_report()}"


def test_board1_lands_on_their_page_and_reaches_the_review_and_the_vote_from_there(
    board1_page: BrowserPage, public_page: BrowserPage, cast: Cast, voting_now: Vote
) -> None:
    # Marcus, signing in as board1, sits on the board and is in the vote's electorate;
    # a second proposal is in advisory review, waiting for his review.
    User.objects.filter(pk=cast.marcus.pk).update(username="board1", public_name="Marcus")
    EmailAddress.objects.create(
        user=cast.marcus, email=cast.marcus.email, verified=True, primary=True
    )
    waiting = second_proposal(cast, title="Showers at the drop-in")
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=waiting)
    vote_title = voting_now.version.title

    # Signed out, the home page links to the open vote.
    public = public_page.page
    public.goto("/", wait_until="load")
    votes_section = public.locator("section", has=public.get_by_role("heading", name="Open votes"))
    votes_section.get_by_role("link", name=vote_title).click()
    public.wait_for_load_state("load")
    assert public.url.endswith(f"/spaces/city/proposals/{voting_now.proposal_id}/vote/")
    public.goto("/", wait_until="load")
    _accessible(public_page)

    # board1 signs in and lands on their own page.
    page = board1_page.page
    page.goto("/accounts/login/", wait_until="load")
    page.fill("input[name=login]", "board1")
    page.fill("input[name=password]", "a long demo passphrase")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/me/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your page, Marcus")
    reviews = page.locator("section", has=page.get_by_role("heading", name="Reviews you owe"))
    expect(reviews).to_contain_text("Review “Showers at the drop-in”")
    expect(reviews.locator("time")).to_have_count(1)
    votes = page.locator("section", has=page.get_by_role("heading", name="Votes you can cast"))
    expect(votes).to_contain_text(f"Vote on “{vote_title}”")
    expect(votes).to_contain_text("closes")
    _accessible(board1_page)

    # From there, the review form, and back, the ballot.
    page.get_by_role("link", name="Review “Showers at the drop-in”").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/spaces/city/proposals/{waiting.pk}/rounds/1/review/")
    page.go_back(wait_until="load")
    page.get_by_role("link", name=f"Vote on “{vote_title}”").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/spaces/city/proposals/{voting_now.proposal_id}/vote/")
    expect(page.get_by_role("button", name="Cast my ballot")).to_be_visible()

    for opened in (board1_page, public_page):
        assert opened.csp_violations() == []
        assert opened.external_requests == []
