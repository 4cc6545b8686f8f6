"""The working-copy form: it saves only what changed through the service, shows the
service's refusals on their fields, lets an incomplete draft be saved, and shows the
language check after a save and in the live preview, which never saves anything."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from history.models import Event
from proposals import services
from proposals.models import Proposal, ProposalDraft
from tests.accounts.support import sign_in
from tests.history.events import event_data
from tests.pages.support import Page
from tests.proposals.conftest import COMPLETE, Cast, actor

pytestmark = pytest.mark.django_db


def _edit(pk: int) -> str:
    return f"/spaces/city/proposals/{pk}/edit/"


def _preview(pk: int) -> str:
    return f"/spaces/city/proposals/{pk}/preview/"


def _form(**changes: Any) -> dict[str, Any]:
    """The edit form as the browser sends it for the complete draft, with changes."""
    data: dict[str, Any] = {
        "title": "Naloxone on the night bus",
        "summary": COMPLETE["summary"],
        "body": COMPLETE["body"],
        "people_served": COMPLETE["people_served"],
        "spectrum_tags": list(COMPLETE["spectrum_tags"]),
        "outcome_0": "Fewer fatal overdoses",
        "measure_0": "Coroner figures, yearly",
        "outcome_1": "",
        "measure_1": "",
        "outcome_2": "",
        "measure_2": "",
        "risks_and_harms": COMPLETE["risks_and_harms"],
        "cost": "12500.00",
        "review_date": "2027-06-30",
    }
    data.update(changes)
    return data


@pytest.fixture
def olu_client(cast: Cast) -> Client:
    return sign_in(Client(), cast.olu)


def test_the_edit_form_shows_every_field_with_a_label_and_two_empty_outcome_rows(
    olu_client: Client, draft: Proposal
) -> None:
    response = olu_client.get(_edit(draft.pk))

    assert response.status_code == 200
    page = Page(response.content.decode())
    labelled = {attrs["for"] for attrs in page.find_all("label")}
    for name in ("title", "summary", "body", "people_served", "risks_and_harms", "cost"):
        assert f"id_{name}" in labelled, name
    assert {"id_outcome_0", "id_measure_0", "id_outcome_2", "id_measure_2"} <= labelled
    assert "id_outcome_3" not in labelled
    assert page.find("input", name="review_date")["type"] == "date"
    assert page.find("textarea", name="body") is not None
    assert len(page.find_all("input", type="checkbox", name="spectrum_tags")) == 8
    assert page.find("input", name="outcome_0")["value"] == "Fewer fatal overdoses"


def test_saving_changes_the_working_copy_through_the_service_and_adds_an_outcome(
    olu_client: Client, draft: Proposal
) -> None:
    response = olu_client.post(
        _edit(draft.pk),
        _form(
            title="Naloxone on every night bus",
            spectrum_tags=["health", "safer_use", "housing"],
            outcome_1="People feel safer on the bus",
            measure_1="A short survey each quarter",
            cost="",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == _edit(draft.pk)
    saved = ProposalDraft.objects.get(proposal=draft)
    assert saved.title == "Naloxone on every night bus"
    assert saved.spectrum_tags == ["safer_use", "housing", "health"]
    assert saved.wellbeing_outcomes == [
        {"outcome": "Fewer fatal overdoses", "measure": "Coroner figures, yearly"},
        {"outcome": "People feel safer on the bus", "measure": "A short survey each quarter"},
    ]
    assert saved.cost is None
    assert saved.summary == COMPLETE["summary"]
    text = Page(olu_client.get(_edit(draft.pk)).content.decode()).text
    assert "Your draft is saved. It stays private until you submit it." in text


def test_an_incomplete_draft_can_be_saved_with_its_empty_parts_left_out(
    cast: Cast, olu_client: Client
) -> None:
    proposal = services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Sketch"
    )
    response = olu_client.post(
        _edit(proposal.pk),
        {
            "title": "Sketch",
            "body": "Only some notes so far.",
            "summary": "",
            "risks_and_harms": "",
        },
    )

    assert response.status_code == 302
    saved = ProposalDraft.objects.get(proposal=proposal)
    assert saved.body == "Only some notes so far."
    assert saved.summary == ""
    assert saved.spectrum_tags == []


def test_clearing_a_required_part_shows_the_services_message_on_that_field(
    olu_client: Client, draft: Proposal
) -> None:
    response = olu_client.post(_edit(draft.pk), _form(summary="", spectrum_tags=[]))

    assert response.status_code == 400
    page = Page(response.content.decode())
    assert "Write a plain-language summary." in page.text
    assert "Choose at least one spectrum tag." in page.text
    assert page.find("textarea", name="summary")["aria-invalid"] == "true"
    assert "id_summary_error" in (page.find("textarea", name="summary")["aria-describedby"] or "")
    saved = ProposalDraft.objects.get(proposal=draft)
    assert saved.summary == COMPLETE["summary"]
    assert saved.spectrum_tags == ["safer_use", "health"]


def test_a_half_filled_outcome_row_is_refused_on_its_own_field(
    olu_client: Client, draft: Proposal
) -> None:
    response = olu_client.post(_edit(draft.pk), _form(outcome_1="Fewer arrests", cost="-4"))

    assert response.status_code == 400
    page = Page(response.content.decode())
    assert "Say how this outcome will be measured." in page.text
    assert page.find("input", name="measure_1")["aria-invalid"] == "true"
    assert page.find("input", name="cost")["aria-invalid"] == "true"
    assert (
        ProposalDraft.objects.get(proposal=draft).wellbeing_outcomes
        == COMPLETE["wellbeing_outcomes"]
    )


def test_language_warnings_show_after_a_save_without_javascript_and_do_not_block_it(
    olu_client: Client, draft: Proposal
) -> None:
    response = olu_client.post(
        _edit(draft.pk),
        _form(
            people_served="Addicts in the city centre.",
            outcome_1="Junkies get clean",
            measure_1="Counts",
        ),
        follow=True,
    )

    assert response.status_code == 200
    saved = ProposalDraft.objects.get(proposal=draft)
    assert saved.people_served == "Addicts in the city centre."
    text = Page(response.content.decode()).text
    assert "Your draft is saved." in text
    warnings = Page(response.content.decode()).find_all("mark")
    assert len(warnings) == 3  # "Addicts", "Junkies" and "get clean"
    assert "People served : “ Addicts ”" in text  # the field, then the phrase found
    assert "Try instead: people who use drugs" in text
    assert "Why: A label reduces a person to their drug use" in text
    assert "Outcome 2" in text
    assert "get clean" in text


def test_the_htmx_preview_returns_the_rendered_body_and_warnings_and_saves_nothing(
    cast: Cast, olu_client: Client, draft: Proposal
) -> None:
    before = ProposalDraft.objects.get(proposal=draft)
    events = Event.objects.count()

    response = olu_client.post(
        _preview(draft.pk),
        _form(title="Help for addicts", body="## New plan\n\n**Bold** idea"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a partial, not a page
    assert "<h3>New plan</h3>" in html
    assert "<strong>Bold</strong>" in html
    assert 'id="body-preview"' in html
    assert 'hx-swap-oob="true"' in html
    text = Page(html).text
    assert "addicts" in text
    assert "Try instead: people who use drugs" in text
    after = ProposalDraft.objects.get(proposal=draft)
    assert (after.title, after.body, after.updated_at) == (
        before.title,
        before.body,
        before.updated_at,
    )
    assert Event.objects.count() == events


def test_the_preview_without_javascript_renders_the_edit_page_with_what_was_typed(
    olu_client: Client, draft: Proposal
) -> None:
    response = olu_client.post(_preview(draft.pk), _form(body="Peer workers and *junkies*"))

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert "Nothing is saved yet" in page.text
    assert "junkies" in page.text
    assert "Try instead" in page.text
    assert "Peer workers and *junkies*" in response.content.decode()  # still in the textarea
    assert ProposalDraft.objects.get(proposal=draft).body == COMPLETE["body"]


def test_the_edit_page_carries_the_live_preview_wiring(olu_client: Client, draft: Proposal) -> None:
    page = Page(olu_client.get(_edit(draft.pk)).content.decode())

    region = page.find("div", id="language-check")
    assert region["aria-live"] == "polite"
    assert region["hx-post"] == _preview(draft.pk)
    assert "from:#proposal-form" in (region["hx-trigger"] or "")
    assert page.find("button", formaction=_preview(draft.pk)) is not None


def test_a_withdrawn_proposal_cannot_be_edited_from_the_page(
    olu_client: Client, draft: Proposal, cast: Cast
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funded elsewhere")

    shown = olu_client.get(_edit(draft.pk), follow=True)
    response = olu_client.post(_edit(draft.pk), _form(title="Too late"), follow=True)

    assert shown.redirect_chain[-1][0] == f"/spaces/city/proposals/{draft.pk}/"
    assert response.redirect_chain[-1][0] == f"/spaces/city/proposals/{draft.pk}/"
    assert "cannot be edited any more: it is withdrawn" in Page(response.content.decode()).text
    assert ProposalDraft.objects.get(proposal=draft).title == "Naloxone on the night bus"


def test_saving_a_revision_records_only_the_changed_fields(
    olu_client: Client, draft: Proposal, cast: Cast
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    # Stands in for the advisory round, which sends a proposal back for revision.
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)

    olu_client.post(_edit(draft.pk), _form(summary="A clearer summary."))

    event = Event.objects.filter(kind="proposal.draft_updated").get()
    assert event_data(event)["fields"] == ["summary"]


def test_line_breaks_sent_by_browsers_are_stored_as_plain_newlines(
    olu_client: Client, draft: Proposal
) -> None:
    crlf_body = COMPLETE["body"].replace("\n", "\r\n")

    unchanged = olu_client.post(_edit(draft.pk), _form(body=crlf_body), follow=True)
    assert "Nothing has changed since the last save." in Page(unchanged.content.decode()).text

    olu_client.post(_edit(draft.pk), _form(body=crlf_body + "\r\n\r\nA new paragraph."))
    assert ProposalDraft.objects.get(proposal=draft).body == (
        COMPLETE["body"] + "\n\nA new paragraph."
    )
