"""The proposal pages in Chromium: they pass axe-core (WCAG 2.2 AA) within the CSP,
and the edit form's live preview updates its region as the author types, with htmx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from proposals import services
from proposals.models import (
    Proposal,
    ProposalDraft,
    ProposalVersion,
)
from tests.e2e.conftest import BrowserPage, open_page
from tests.e2e.support import remove_append_only_rows_on_sqlite, signed_in_page
from tests.proposals.conftest import Cast, actor

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
def marcus_page(browser: Browser, live_server: LiveServer, cast: Cast) -> Iterator[BrowserPage]:
    yield from signed_in_page(browser, live_server, cast.marcus)


@pytest.fixture
def public_page(browser: Browser, live_server: LiveServer) -> Iterator[BrowserPage]:
    yield from open_page(browser, str(live_server.url))


def _accessible(opened: BrowserPage, path: str) -> None:
    opened.page.goto(path, wait_until="load")
    results = Axe().run(opened.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{path}: {results.generate_report()}"


def test_the_live_preview_shows_warnings_and_the_rendered_body_as_the_author_types(
    olu_page: BrowserPage, draft: Proposal
) -> None:
    page = olu_page.page
    page.goto(f"/spaces/city/proposals/{draft.pk}/edit/", wait_until="load")

    page.locator("#id_body").fill("## Outreach\n\nWe meet junkies where they are.")

    region = page.locator("#language-check")
    expect(region).to_contain_text("junkies", timeout=5000)
    expect(region).to_contain_text("Try instead")
    expect(page.locator("#body-preview h3")).to_have_text("Outreach")
    assert region.get_attribute("aria-live") == "polite"
    # Typing saved nothing.
    assert ProposalDraft.objects.get(proposal=draft).body.startswith("## Plan")
    assert olu_page.csp_violations() == []
    assert olu_page.external_requests == []


def test_the_proposal_pages_are_accessible_and_within_their_csp(
    olu_page: BrowserPage, cast: Cast, draft: Proposal
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_update_draft(
        actor=actor(cast.olu), proposal=draft, title="Naloxone on the day bus"
    )
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    base = f"/spaces/city/proposals/{draft.pk}"

    for path in (
        "/spaces/city/proposals/",
        "/spaces/city/proposals/new/",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/versions/1/",
        f"{base}/diff/",
        f"{base}/withdraw/",
        "/organisations/harbour-outreach/proposals/",
    ):
        _accessible(olu_page, path)
    assert olu_page.csp_violations() == []
    assert olu_page.external_requests == []


def test_an_editor_drafts_gets_a_board_cosignature_submits_revises_and_the_public_sees_the_diff(
    olu_page: BrowserPage, marcus_page: BrowserPage, public_page: BrowserPage, cast: Cast
) -> None:
    page = olu_page.page

    # Drafting, with the live preview and a language warning.
    page.goto("/spaces/city/proposals/", wait_until="load")
    page.get_by_role("link", name="Draft a proposal").click()
    page.get_by_label("Title").fill("Naloxone on the night bus")
    page.get_by_label("On behalf of").select_option(label=cast.organisation.name)
    page.get_by_role("button", name="Start the draft").click()
    page.wait_for_load_state("load")
    page.get_by_label("Plain-language summary").fill(
        "Peer workers hand out naloxone kits to every addict on the night bus."
    )
    page.locator("#id_body").fill("## Plan\n\nTwo **peer workers**, four evenings a week.")
    region = page.locator("#language-check")
    expect(region).to_contain_text("addict", timeout=5000)
    expect(page.locator("#body-preview strong")).to_have_text("peer workers")
    page.get_by_label("People served").fill("People who use opioids in the city centre.")
    page.locator("#id_spectrum_tags_0").check()
    page.locator("#id_outcome_0").fill("Fewer fatal overdoses")
    page.locator("#id_measure_0").fill("Coroner figures, yearly")
    page.get_by_label("Risks and harms").fill("Kits may run out; we keep a two-week reserve.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")
    proposal = Proposal.objects.get()
    # The warning never blocks: the draft was saved with the phrase in it.
    assert "every addict" in ProposalDraft.objects.get(proposal=proposal).summary
    detail = f"/spaces/city/proposals/{proposal.pk}/"

    # The editor asks a board member to co-sign; the member reads the draft and co-signs.
    page.goto(detail, wait_until="load")
    page.get_by_label("Ask someone to co-sign").select_option(label=cast.marcus.public_name)
    page.get_by_role("button", name="Ask to co-sign").click()
    page.wait_for_load_state("load")
    member = marcus_page.page
    member.goto(detail, wait_until="load")
    expect(member.get_by_role("heading", level=1)).to_have_text("Naloxone on the night bus")
    member.get_by_role("button", name="Co-sign this proposal").click()
    member.wait_for_load_state("load")
    expect(member.locator(".cosigners")).to_contain_text(cast.marcus.public_name)

    # The editor submits, revises the wording, and submits the revision.
    # First a confirmation step: the warning still open, its suggestion, and that the
    # proposal becomes public for good. Nothing is submitted until the author confirms.
    page.goto(detail, wait_until="load")
    page.get_by_role("link", name="Submit for advisory review").click()
    page.wait_for_load_state("load")
    expect(page.locator(".language-warnings")).to_contain_text("“addict”")
    expect(page.locator(".language-warnings")).to_contain_text("Try instead: person who uses drugs")
    expect(page.locator("main")).to_contain_text("the proposal is public for good")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    assert not ProposalVersion.objects.filter(proposal=proposal).exists()
    page.get_by_role("button", name="Submit version 1 and make it public").click()
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Edit the working copy").click()
    page.wait_for_load_state("load")
    page.get_by_label("Plain-language summary").fill(
        "Peer workers hand out naloxone kits to people who use drugs on the night bus."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")
    page.goto(detail, wait_until="load")
    page.get_by_role("link", name="Submit the next version for advisory review").click()
    page.wait_for_load_state("load")
    expect(page.locator("main")).to_contain_text("no phrases to reword")
    page.get_by_role("button", name="Submit version 2 and make it public").click()
    page.wait_for_load_state("load")
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 2

    # Anyone, signed out, sees what changed from version 1 to version 2.
    public = public_page.page
    public.goto(detail, wait_until="load")
    expect(public.locator(".cosigners")).to_contain_text(cast.marcus.public_name)
    public.get_by_role("link", name="What changed from version 1 to 2").click()
    public.wait_for_load_state("load")
    summary = public.locator("[data-field=summary]")
    expect(summary.locator("del")).to_contain_text("every addict")
    expect(summary.locator("ins")).to_contain_text("people who use drugs")
    results = Axe().run(public, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    for opened in (olu_page, marcus_page, public_page):
        assert opened.csp_violations() == []
        assert opened.external_requests == []
