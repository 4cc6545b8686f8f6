"""A vote walked in Chromium: a voter casts a ballot and gets a receipt, changes the
ballot with it, the vote closes and is counted, and the result page shows the outcome,
where the voter finds their receipt's hash in the published list. The pages pass
axe-core (WCAG 2.2 AA) within the CSP and load nothing from elsewhere."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from accounts.authority import Actor
from core.clock import clock_set
from tests.e2e.conftest import BrowserPage, open_page
from tests.e2e.support import remove_append_only_rows_on_sqlite, signed_in_page
from tests.factories import MembershipFactory, UserFactory
from tests.voting.conftest import MINUTE, Cast
from voting import services
from voting.models import Ballot, Vote
from voting.receipts import ballot_hash

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
def vote(cast: Cast, scheduled_vote: Vote) -> Vote:
    """The scheduled vote, under a rulebook without dual majority (a board of three
    could never reach the bloc's floor of five), opened at its time."""
    facilitator = UserFactory(username="fay", public_name="Fay")
    MembershipFactory(space=cast.space, user=facilitator, role="facilitator")
    from spaces import services as space_services

    space_services.rulebook_change(
        actor=Actor(user=facilitator, mfa=True, recently_authenticated=True),
        space=cast.space,
        dual_majority=False,
    )
    with clock_set(scheduled_vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    return scheduled_vote


@pytest.fixture
def dee_page(browser: Browser, live_server: LiveServer, cast: Cast) -> Iterator[BrowserPage]:
    yield from signed_in_page(browser, live_server, cast.dee)


@pytest.fixture
def public_page(browser: Browser, live_server: LiveServer) -> Iterator[BrowserPage]:
    yield from open_page(browser, str(live_server.url))


def _accessible(opened: BrowserPage) -> None:
    results = Axe().run(opened.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{opened.page.url}: {results.generate_report()}"


def test_a_voter_casts_changes_with_the_receipt_and_finds_it_in_the_result(
    dee_page: BrowserPage, public_page: BrowserPage, vote: Vote
) -> None:
    page = dee_page.page
    ballot_page = f"/spaces/city/proposals/{vote.proposal_id}/vote/"

    # Dee finds the vote among her open votes and casts "reject".
    page.goto("/votes/open/", wait_until="load")
    page.get_by_role("link", name=vote.version.title).first.click()
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text(vote.version.content_hash)
    expect(page.locator("body")).to_contain_text("0 of the electorate of 4 people have voted")
    _accessible(dee_page)
    page.get_by_label("reject", exact=True).check()
    # Sent again while the first cast is still on its way (an impatient second click),
    # the form goes once, so the answer that carries the receipt is the one shown.
    slow_cast = services.vote_cast

    def _slowly(**kwargs: Any) -> services.Cast:
        time.sleep(0.6)
        return slow_cast(**kwargs)

    with patch("voting.views.services.vote_cast", side_effect=_slowly):
        page.locator("form", has=page.get_by_role("button", name="Cast my ballot")).evaluate(
            "form => { form.requestSubmit(); setTimeout(() => form.requestSubmit(), 150); }"
        )
        page.wait_for_url("**/vote/cast/")
        page.wait_for_load_state("load")

    # The receipt, shown once.
    expect(page.get_by_role("heading", name="Your ballot is cast")).to_be_visible()
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert len(receipt.replace("-", "")) == 28
    _accessible(dee_page)
    assert Ballot.objects.get().choice == "reject"

    # She changes her mind: the change needs the receipt.
    page.goto(ballot_page, wait_until="load")
    expect(page.locator("body")).to_contain_text("You have voted.")
    expect(page.locator("body")).to_contain_text("1 of the electorate of 4 people have voted")
    page.get_by_role("textbox", name="Your receipt").fill(receipt.lower().replace("-", " "))
    page.locator("#change-heading ~ form").get_by_label("approve", exact=True).check()
    page.get_by_role("button", name="Change my ballot").click()
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text("Your ballot was changed.")
    assert Ballot.objects.get().choice == "approve"

    # The vote closes; until the sweep counts it, the pages say "counting".
    assert vote.close_at is not None
    public = public_page.page
    with clock_set(vote.close_at + MINUTE):
        public.goto(f"{ballot_page}result/", wait_until="load")
        expect(public.locator("body")).to_contain_text("The vote has closed and is being counted.")
    with clock_set(vote.close_at + MINUTE):
        assert services.vote_finalise_if_due(vote=vote)

    # Anyone reads the result: adopted, one approval of one, the chart and its table.
    public.goto(f"{ballot_page}result/", wait_until="load")
    body = public.locator("body")
    expect(body).to_contain_text("adopted")
    expect(public.locator("svg[role=img] title")).to_have_count(1)
    expect(public.get_by_role("table")).to_contain_text("approve")
    _accessible(public_page)

    # Dee finds her receipt's hash in the published list, and checks it on the page.
    listed = public.request.get(f"{ballot_page}receipts.csv").text()
    assert f"{ballot_hash(receipt)},approve" in listed
    page.goto(f"{ballot_page}result/", wait_until="load")
    page.get_by_role("textbox", name="Your receipt").fill(receipt)
    page.get_by_role("button", name="Check my receipt").click()
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text("Your ballot is in the receipts list.")
    expect(page.locator("body")).to_contain_text("It was counted as: approve")
    _accessible(dee_page)

    for opened in (dee_page, public_page):
        assert opened.csp_violations() == []
        assert opened.external_requests == []
