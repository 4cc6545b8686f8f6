"""An advisory round walked in Chromium: an editor submits, three board members review
through the form, the round passes when the last one answers, the editor answers every
condition and the request for changes, and a signed-out reader sees it all. The pages
pass axe-core (WCAG 2.2 AA) within the CSP and load nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from advisory.models import Answer, Round
from proposals.models import (
    Proposal,
)
from tests.advisory.conftest import Board
from tests.e2e.conftest import BrowserPage, open_page
from tests.e2e.support import remove_append_only_rows_on_sqlite, signed_in_page
from tests.proposals.conftest import Cast

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(autouse=True)
def _append_only_rows_removed_before_the_flush(transactional_db: None) -> Iterator[None]:
    yield
    remove_append_only_rows_on_sqlite()


@pytest.fixture
def olu_page(browser: Browser, live_server: LiveServer, cast: Cast) -> Iterator[BrowserPage]:
    yield from signed_in_page(browser, live_server, cast.olu)


@pytest.fixture
def marcus_page(browser: Browser, live_server: LiveServer, board: Board) -> Iterator[BrowserPage]:
    yield from signed_in_page(browser, live_server, board.marcus)


@pytest.fixture
def ama_page(browser: Browser, live_server: LiveServer, board: Board) -> Iterator[BrowserPage]:
    yield from signed_in_page(browser, live_server, board.ama)


@pytest.fixture
def ben_page(browser: Browser, live_server: LiveServer, board: Board) -> Iterator[BrowserPage]:
    yield from signed_in_page(browser, live_server, board.ben)


@pytest.fixture
def public_page(browser: Browser, live_server: LiveServer) -> Iterator[BrowserPage]:
    yield from open_page(browser, str(live_server.url))


def _accessible(opened: BrowserPage) -> None:
    """The page as it is now passes axe-core's WCAG 2.2 AA rules."""
    results = Axe().run(opened.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{opened.page.url}: {results.generate_report()}"


def _review(
    opened: BrowserPage,
    detail: str,
    verdict: str,
    rationale: str,
    *,
    conditions: str = "",
    anonymous: bool = False,
    check_accessibility: bool = False,
) -> None:
    page = opened.page
    page.goto(detail, wait_until="load")
    page.get_by_role("link", name="Give your review").click()
    page.wait_for_load_state("load")
    if check_accessibility:
        _accessible(opened)
    page.get_by_label(verdict, exact=True).check()
    page.get_by_label("Your reasons").fill(rationale)
    if conditions:
        page.locator("#id_conditions").fill(conditions)
    if anonymous:
        page.get_by_label("Show my review as from “an advisory member”").check()
    page.get_by_role("button", name="Save your review").click()
    page.wait_for_load_state("load")


def test_a_round_from_submission_through_three_reviews_to_the_published_response(
    olu_page: BrowserPage,
    marcus_page: BrowserPage,
    ama_page: BrowserPage,
    ben_page: BrowserPage,
    public_page: BrowserPage,
    cast: Cast,
    board: Board,
    draft: Proposal,
) -> None:
    User.objects.filter(pk=board.ama.pk).update(public_name="Ama Owusu")
    User.objects.filter(pk=board.ben.pk).update(public_name="Ben Tran")
    User.objects.filter(pk=board.marcus.pk).update(public_name="Marcus Reed")
    detail = f"/spaces/city/proposals/{draft.pk}/"
    editor = olu_page.page

    # The editor submits: the round opens for the board of three.
    editor.goto(detail, wait_until="load")
    editor.get_by_role("link", name="Submit for advisory review").click()
    editor.wait_for_load_state("load")
    editor.get_by_role("button", name="Submit version 1 and make it public").click()
    editor.wait_for_load_state("load")
    expect(editor.locator("#advisory-round")).to_contain_text("0 of 3 board members have answered")

    # Marcus endorses with two conditions; his review is sealed, but he sees it.
    _review(
        marcus_page,
        detail,
        "endorse with conditions",
        "A sound plan if the kits are looked after.",
        conditions="Kits are checked weekly\nPeer workers are paid",
        check_accessibility=True,
    )
    member = marcus_page.page
    expect(member.locator(".own-review")).to_contain_text("Kits are checked weekly")
    expect(member.get_by_role("link", name="Change your review")).to_be_visible()
    _accessible(marcus_page)

    # Ama endorses as "an advisory member"; Ben requests changes, which completes the
    # board: the round closes at once, 2 of 3 in favour (at least 2/3), and passes.
    _review(ama_page, detail, "endorse", "Meets people where they are.", anonymous=True)
    expect(ama_page.page.locator("#advisory-round")).not_to_contain_text("A sound plan")
    _review(ben_page, detail, "request changes", "Add the weekend buses too.")
    assert Round.objects.get(proposal=draft).outcome == Round.Outcome.PASSED

    # The editor answers each condition and the request for changes, and publishes.
    editor.goto(detail, wait_until="load")
    editor.get_by_role("link", name="Publish your response to the board").click()
    editor.wait_for_load_state("load")
    _accessible(olu_page)
    items = editor.locator("fieldset.response-item")
    expect(items).to_have_count(3)
    items.nth(0).get_by_label("Accept it as a commitment").check()
    items.nth(1).get_by_label("Decline it, with reasons").check()
    items.nth(1).get_by_label("Reasons for item 2 (needed when you decline)").fill(
        "Peer workers are volunteers paid their expenses; wages are not in this budget."
    )
    items.nth(2).get_by_label("Your answer to item 3").fill(
        "Weekend buses join in the second year."
    )
    editor.get_by_label("General statement (optional)").fill("Thank you to the board.")
    editor.get_by_role("button", name="Publish the response").click()
    editor.wait_for_load_state("load")
    assert Answer.objects.count() == 3

    # Anyone, signed out, reads the reviews, the minority report and the response.
    public = public_page.page
    public.goto(detail, wait_until="load")
    section = public.locator("#advisory-round")
    expect(section).to_contain_text("Outcome: passed")
    expect(section).to_contain_text("an advisory member: endorse")
    expect(section).to_contain_text("Marcus Reed: endorse with conditions")
    expect(section).to_contain_text("Ben Tran: request changes")
    expect(section).not_to_contain_text("Ama Owusu")
    expect(public.locator(".minority-report")).to_contain_text("Add the weekend buses too.")
    response = public.locator("#round-response")
    expect(response).to_contain_text("Thank you to the board.")
    expect(response).to_contain_text("Accepted as a commitment")
    expect(response).to_contain_text("wages are not in this budget")
    expect(response).to_contain_text("Weekend buses join in the second year.")
    _accessible(public_page)

    for opened in (olu_page, marcus_page, ama_page, ben_page, public_page):
        assert opened.csp_violations() == []
        assert opened.external_requests == []
