"""Submitting is confirmed first, on the pages and in the API: the author is shown the
language check's warnings still open on the working copy, with their suggestions, and
told that the version becomes public for good. Until they confirm, nothing is written.
The services ask for no confirmation (the demo and tests submit through them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from django.test import Client

from history.models import Event
from proposals import services
from proposals.models import Proposal, ProposalVersion
from tests.accounts.support import sign_in
from tests.api.support import error_of
from tests.pages.support import Page
from tests.proposals.api_support import client_for, url
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db

WORDING = "Peer workers meet addicts where they are."


@pytest.fixture
def worded(cast: Cast, draft: Proposal) -> Proposal:
    """The draft, with one phrase the language check flags in its summary."""
    services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, summary=WORDING)
    return draft


def _page(pk: int) -> str:
    return f"/spaces/city/proposals/{pk}/submit/"


def _nothing_written(proposal: Proposal, events_before: int) -> None:
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DRAFT
    assert proposal.first_submitted_at is None
    assert not ProposalVersion.objects.filter(proposal=proposal).exists()
    assert Event.objects.count() == events_before


# --- Pages --------------------------------------------------------------------------------------


def test_the_confirmation_page_shows_the_open_warnings_with_their_suggestions(
    cast: Cast, worded: Proposal
) -> None:
    events = Event.objects.count()
    response = sign_in(Client(), cast.olu).get(_page(worded.pk))

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert "still finds 1 phrase you may want to reword" in page.text
    assert "“ addicts ”" in page.text or "addicts" in page.text
    assert "Try instead: people who use drugs" in page.text
    assert "the proposal is public for good" in page.text
    assert "it is never deleted" in page.text
    edit = f"/spaces/city/proposals/{worded.pk}/edit/#id_summary"
    assert edit in {attrs["href"] for attrs in page.find_all("a")}
    _nothing_written(worded, events)


def test_a_post_without_the_confirmation_only_shows_the_step_again(
    cast: Cast, worded: Proposal
) -> None:
    events = Event.objects.count()

    response = sign_in(Client(), cast.olu).post(_page(worded.pk))

    assert response.status_code == 200
    assert "Try instead: people who use drugs" in response.content.decode()
    _nothing_written(worded, events)


def test_a_confirmation_given_for_an_older_text_submits_nothing_and_shows_the_new_one(
    cast: Cast, worded: Proposal
) -> None:
    client = sign_in(Client(), cast.olu)
    seen = Page(client.get(_page(worded.pk)).content.decode())
    digest = seen.find("input", name="content_hash")["value"]
    # Another editor changes the working copy meanwhile.
    services.proposal_update_draft(
        actor=actor(cast.olu), proposal=worded, summary="Peer workers meet junkies at night."
    )
    events = Event.objects.count()

    response = client.post(_page(worded.pk), {"confirm": "yes", "content_hash": digest})

    assert response.status_code == 409
    text = Page(response.content.decode()).text
    assert "The working copy changed after you opened this page." in text
    assert "junkies" in text
    _nothing_written(worded, events)


def test_confirming_submits_the_version_shown(cast: Cast, worded: Proposal) -> None:
    client = sign_in(Client(), cast.olu)
    seen = Page(client.get(_page(worded.pk)).content.decode())
    digest = seen.find("input", name="content_hash")["value"]

    response = client.post(
        _page(worded.pk), {"confirm": "yes", "content_hash": digest}, follow=True
    )

    assert "Version 1 is submitted and public." in Page(response.content.decode()).text
    version = ProposalVersion.objects.get(proposal=worded)
    assert version.content_hash == digest
    assert version.summary == WORDING  # warnings never block


def test_a_later_version_is_said_to_be_public_for_good_beside_the_earlier_ones(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)
    services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, summary="Changed.")

    text = Page(sign_in(Client(), cast.olu).get(_page(draft.pk)).content.decode()).text

    assert "version 2 is public for good, beside the earlier versions" in text
    assert "no phrases to reword" in text


def test_the_step_is_refused_to_someone_who_may_not_submit(cast: Cast, draft: Proposal) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)

    response = sign_in(Client(), cast.marcus).get(_page(draft.pk), follow=True)

    assert "Only the proposal's authors can submit it." in Page(response.content.decode()).text
    assert "public for good" not in response.content.decode()


# --- API ----------------------------------------------------------------------------------------


def test_the_api_answers_409_with_the_warnings_until_the_caller_confirms(
    cast: Cast, worded: Proposal
) -> None:
    events = Event.objects.count()

    response = client_for(cast.olu, token=True).post(url(worded, "submit/"), {}, format="json")

    assert response.status_code == 409
    # A confirmation refusal carries more than the shared keys: read it as a mapping.
    body: Mapping[str, Any] = error_of(response)
    assert body["code"] == "confirmation_required"
    assert "public for good" in body["message"]
    assert body["version"] == 1
    assert body["first_submission"] is True
    [warning] = body["warnings"]
    assert warning["field"] == "summary"
    assert warning["phrase"] == "addicts"
    assert warning["suggestion"].startswith("people who use drugs")
    assert len(body["content_hash"]) == 64
    _nothing_written(worded, events)


def test_the_api_submits_once_confirmed(cast: Cast, worded: Proposal) -> None:
    client = client_for(cast.olu, token=True)
    digest = client.post(url(worded, "submit/"), {}, format="json").json()["error"]["content_hash"]

    response = client.post(
        url(worded, "submit/"), {"confirm": True, "content_hash": digest}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "advisory_review"
    assert ProposalVersion.objects.get(proposal=worded).content_hash == digest


def test_the_api_refuses_a_confirmation_for_a_text_that_changed_since(
    cast: Cast, worded: Proposal
) -> None:
    client = client_for(cast.olu, token=True)
    digest = client.post(url(worded, "submit/"), {}, format="json").json()["error"]["content_hash"]
    services.proposal_update_draft(actor=actor(cast.olu), proposal=worded, summary="Changed.")
    events = Event.objects.count()

    response = client.post(
        url(worded, "submit/"), {"confirm": True, "content_hash": digest}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["content_hash"] != digest
    assert response.json()["error"]["warnings"] == []
    _nothing_written(worded, events)


def test_the_api_names_missing_fields_before_asking_for_a_confirmation(cast: Cast) -> None:
    proposal = services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Showers"
    )

    response = client_for(cast.olu).post(url(proposal, "submit/"), {}, format="json")

    assert response.status_code == 400
    assert "summary" in error_of(response)["fields"]


def test_a_bad_confirm_value_is_a_400(cast: Cast, worded: Proposal) -> None:
    response = client_for(cast.olu).post(
        url(worded, "submit/"), {"confirm": "perhaps"}, format="json"
    )

    assert response.status_code == 400
    assert "confirm" in error_of(response)["fields"]
    assert not ProposalVersion.objects.exists()


def test_a_submission_confirmed_for_a_text_that_changed_since_is_refused_under_the_lock(
    cast: Cast, worded: Proposal
) -> None:
    from core.errors import Conflict
    from proposals.models import content_hash

    seen = content_hash(worded.draft.content())
    # A co-author edits between the confirmation page and the submission's lock.
    services.proposal_update_draft(
        actor=actor(cast.olu), proposal=worded, summary="Peer workers meet people where they are."
    )
    events = Event.objects.count()

    with pytest.raises(Conflict, match="changed after you confirmed it"):
        services.proposal_submit(actor=actor(cast.olu), proposal=worded, confirmed_hash=seen)

    _nothing_written(worded, events)
    services.proposal_submit(
        actor=actor(cast.olu), proposal=worded, confirmed_hash=content_hash(worded.draft.content())
    )
    worded.refresh_from_db()
    assert worded.state == Proposal.State.ADVISORY_REVIEW
