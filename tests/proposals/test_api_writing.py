"""Changing proposals through the API: drafting, editing the working copy, submitting,
co-signing and withdrawing, each through its service, with the services' refusals as
the shared error format (403 not permitted, 409 wrong state, 400 with per-field errors)
and 404 where the caller cannot even see the draft."""

from __future__ import annotations

from typing import Any

import pytest

from history.models import Event
from proposals import services
from proposals.models import Proposal, ProposalDraft, ProposalVersion, content_hash
from tests.api.support import error_of
from tests.history.events import event_data
from tests.proposals.api_support import LIST, client_for, url
from tests.proposals.conftest import COMPLETE, Cast, actor


def fields_of(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    fields = error_of(response)["fields"]
    assert isinstance(fields, dict)
    return fields


def in_revision(proposal: Proposal) -> None:
    # The review round that sends a proposal back comes later; set the state directly.
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.REVISION)


# --- Drafting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [False, True])
def test_an_editor_starts_a_private_draft_for_their_organisation(cast: Cast, token: bool) -> None:
    response = client_for(cast.olu, token=token).post(
        LIST, {"title": "Drop-in showers", "organisation": "harbour-outreach"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft"
    assert body["organisation"]["slug"] == "harbour-outreach"
    assert body["current_version"] is None
    assert body["working_copy"]["title"] == "Drop-in showers"
    proposal = Proposal.objects.get(pk=body["id"])
    assert proposal.created_by == cast.olu
    assert client_for(None).get(url(proposal)).status_code == 404


def test_a_board_member_drafts_for_the_community(cast: Cast) -> None:
    response = client_for(cast.marcus).post(
        LIST, {"title": "Peer-run drop-in", "organisation": None}
    )

    assert response.status_code == 201
    assert response.json()["organisation"] is None


@pytest.mark.parametrize(
    ("who", "organisation"),
    [
        ("dee", "harbour-outreach"),  # a voter
        ("ngozi", "harbour-outreach"),  # an editor of another organisation
        ("marcus", "harbour-outreach"),  # a board member, not an editor
        ("dee", None),  # a voter for the community
        ("ngozi", None),  # an editor is not on the board
        ("pat", "pending-collective"),  # the organisation is not approved yet
    ],
)
def test_drafting_is_refused_to_people_who_may_not_draft_there(
    cast: Cast, who: str, organisation: str | None
) -> None:
    response = client_for(getattr(cast, who)).post(
        LIST, {"title": "Showers", "organisation": organisation}
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not Proposal.objects.exists()


def test_drafting_signed_out_is_refused(cast: Cast) -> None:
    response = client_for(None).post(LIST, {"title": "Showers"})
    assert response.status_code == 401
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-organisation", "pending-collective"])
def test_an_unknown_organisation_or_someone_elses_pending_one_is_a_field_error(
    cast: Cast, slug: str
) -> None:
    response = client_for(cast.ngozi).post(LIST, {"title": "Showers", "organisation": slug})

    assert slug in fields_of(response)["organisation"][0]
    assert not Proposal.objects.exists()


def test_a_draft_needs_a_title(cast: Cast) -> None:
    response = client_for(cast.olu).post(LIST, {"title": "  ", "organisation": "harbour-outreach"})

    assert "title" in fields_of(response)


def test_drafting_in_an_unknown_space_is_404(cast: Cast) -> None:
    response = client_for(cast.olu).post("/api/v1/spaces/nowhere/proposals/", {"title": "Showers"})
    assert response.status_code == 404


# --- Editing the working copy -------------------------------------------------------------------


def test_an_author_changes_only_the_fields_sent_and_gets_language_warnings(
    cast: Cast, draft: Proposal
) -> None:
    response = client_for(cast.olu, token=True).patch(
        url(draft), {"summary": "Kits for every addict on the night bus."}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["working_copy"]["summary"] == "Kits for every addict on the night bus."
    assert body["working_copy"]["title"] == "Naloxone on the night bus"  # not sent, kept
    assert [(w["field"], w["phrase"]) for w in body["warnings"]] == [("summary", "addict")]
    saved = ProposalDraft.objects.get(proposal=draft)
    assert saved.summary == "Kits for every addict on the night bus."
    assert saved.people_served == COMPLETE["people_served"]


def test_invalid_changes_are_refused_field_by_field_and_nothing_is_saved(
    cast: Cast, draft: Proposal
) -> None:
    response = client_for(cast.olu).patch(
        url(draft),
        {"title": "", "spectrum_tags": ["curing_people"], "cost": "a lot", "summary": "New"},
    )

    fields = fields_of(response)
    assert set(fields) == {"title", "spectrum_tags", "cost"}
    assert "curing_people" in fields["spectrum_tags"][0]
    saved = ProposalDraft.objects.get(proposal=draft)
    assert saved.title == "Naloxone on the night bus"
    assert saved.summary == COMPLETE["summary"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"actor": "someone"}, "actor"),
        ({"proposal": 1}, "proposal"),
        ({"title": "Nal\x00oxone"}, "title"),
        ({"wellbeing_outcomes": [{"outcome": "a\x00", "measure": "b"}]}, "wellbeing_outcomes"),
        ({"cost": "NaN"}, "cost"),
        ({"review_date": "30 June"}, "review_date"),
        ({"title": ["a list"]}, "title"),
    ],
)
def test_unusable_changes_are_a_field_error_never_a_server_error(
    cast: Cast, draft: Proposal, data: dict[str, Any], field: str
) -> None:
    response = client_for(cast.olu).patch(url(draft), data)

    assert field in fields_of(response)
    assert ProposalDraft.objects.get(proposal=draft).title == "Naloxone on the night bus"


def test_a_change_that_is_not_an_object_is_refused(cast: Cast, draft: Proposal) -> None:
    response = client_for(cast.olu).patch(url(draft), ["title"])
    assert response.status_code == 400


def test_a_cosigner_may_not_edit(cast: Cast, draft: Proposal) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)

    response = client_for(cast.marcus).patch(url(draft), {"title": "Taken over"})

    assert response.status_code == 403
    assert ProposalDraft.objects.get(proposal=draft).title == "Naloxone on the night bus"


@pytest.mark.parametrize(("who", "status"), [("dee", 403), ("ngozi", 403), ("anonymous", 401)])
def test_people_who_are_not_authors_cannot_edit_a_submitted_proposal(
    cast: Cast, draft: Proposal, who: str, status: int
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    in_revision(draft)
    user = None if who == "anonymous" else getattr(cast, who)

    response = client_for(user).patch(url(draft), {"title": "Taken over"})

    assert response.status_code == status
    assert ProposalDraft.objects.get(proposal=draft).title == "Naloxone on the night bus"


def test_editing_during_advisory_review_leaves_the_version_under_review_unchanged(
    cast: Cast, draft: Proposal
) -> None:
    version = services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    response = client_for(cast.olu).patch(url(draft), {"title": "Changed under review"})

    assert response.status_code == 200
    body = response.json()
    assert body["working_copy"]["title"] == "Changed under review"
    assert body["current_version"]["title"] == "Naloxone on the night bus"
    assert ProposalVersion.objects.get(pk=version.pk).title == "Naloxone on the night bus"
    # The public reads the version under review, never the working copy.
    public = client_for(None).get(url(draft)).json()
    assert public["working_copy"] is None
    assert "Changed under review" not in str(public)


def test_a_withdrawn_proposal_cannot_be_edited(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funding ended.")

    response = client_for(cast.olu).patch(url(draft), {"title": "Changed after withdrawal"})

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert ProposalDraft.objects.get(proposal=draft).title == "Naloxone on the night bus"


# --- Submitting ---------------------------------------------------------------------------------


CONFIRM = {"confirm": True}


def test_an_author_submits_and_a_version_is_frozen(cast: Cast, draft: Proposal) -> None:
    response = client_for(cast.olu, token=True).post(url(draft, "submit/"), CONFIRM, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "advisory_review"
    version = ProposalVersion.objects.get(proposal=draft)
    assert body["current_version"]["number"] == 1
    assert body["current_version"]["content_hash"] == version.content_hash
    assert version.content_hash == content_hash(version.content())
    assert client_for(None).get(url(draft)).status_code == 200  # public from now on


def test_an_incomplete_draft_is_refused_with_every_missing_field(cast: Cast) -> None:
    proposal = services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Showers"
    )

    response = client_for(cast.olu).post(url(proposal, "submit/"))

    assert set(fields_of(response)) >= {"summary", "spectrum_tags", "wellbeing_outcomes"}
    assert not ProposalVersion.objects.exists()


def test_submitting_twice_is_a_conflict(cast: Cast, draft: Proposal) -> None:
    client = client_for(cast.olu)
    client.post(url(draft, "submit/"), CONFIRM, format="json")

    response = client.post(url(draft, "submit/"), CONFIRM, format="json")

    assert response.status_code == 409
    assert ProposalVersion.objects.count() == 1


@pytest.mark.parametrize("who", ["dee", "ngozi", "marcus"])
def test_only_authors_submit(cast: Cast, draft: Proposal, who: str) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    in_revision(draft)

    response = client_for(getattr(cast, who)).post(url(draft, "submit/"), CONFIRM, format="json")

    assert response.status_code == 403
    assert ProposalVersion.objects.count() == 1


def test_a_cosigner_cannot_submit_the_draft(cast: Cast, draft: Proposal) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)

    response = client_for(cast.marcus).post(url(draft, "submit/"), CONFIRM, format="json")

    assert response.status_code == 403
    assert not ProposalVersion.objects.exists()


# --- Co-signing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["marcus", "ngozi"])
def test_board_members_and_other_editors_cosign_during_revision(
    cast: Cast, draft: Proposal, who: str
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    in_revision(draft)
    person = getattr(cast, who)

    response = client_for(person, token=True).post(url(draft, "cosign/"))

    assert response.status_code == 200
    assert [row["public_name"] for row in response.json()["cosigners"]] == [person.public_name]
    assert Event.objects.filter(kind="proposal.cosigned").count() == 1


def test_cosigning_twice_is_a_conflict(cast: Cast, draft: Proposal) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)

    response = client_for(cast.marcus).post(url(draft, "cosign/"))

    assert response.status_code == 409
    assert draft.cosigners.count() == 1


@pytest.mark.parametrize("who", ["olu", "dee"])
def test_authors_and_voters_cannot_cosign(cast: Cast, draft: Proposal, who: str) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    in_revision(draft)

    response = client_for(getattr(cast, who)).post(url(draft, "cosign/"))

    assert response.status_code == 403
    assert not draft.cosigners.exists()


def test_cosigning_during_advisory_review_is_a_conflict(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    response = client_for(cast.marcus).post(url(draft, "cosign/"))

    assert response.status_code == 409


# --- Withdrawing --------------------------------------------------------------------------------


def test_an_author_withdraws_with_a_public_reason(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    response = client_for(cast.olu).post(url(draft, "withdraw/"), {"reason": "Funding ended."})

    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    event = Event.objects.get(kind="proposal.withdrawn")
    assert event_data(event)["reason"] == "Funding ended."


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_withdrawing_needs_a_reason(cast: Cast, draft: Proposal, reason: str | None) -> None:
    data = {} if reason is None else {"reason": reason}

    response = client_for(cast.olu).post(url(draft, "withdraw/"), data)

    assert "reason" in fields_of(response)
    assert Proposal.objects.get(pk=draft.pk).state == Proposal.State.DRAFT


def test_withdrawing_twice_is_a_conflict(cast: Cast, draft: Proposal) -> None:
    client = client_for(cast.olu)
    client.post(url(draft, "withdraw/"), {"reason": "Funding ended."})

    response = client.post(url(draft, "withdraw/"), {"reason": "Again."})

    assert response.status_code == 409


@pytest.mark.parametrize(("who", "status"), [("dee", 403), ("marcus", 403), ("anonymous", 401)])
def test_only_authors_withdraw(cast: Cast, draft: Proposal, who: str, status: int) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    user = None if who == "anonymous" else getattr(cast, who)

    response = client_for(user).post(url(draft, "withdraw/"), {"reason": "Not wanted."})

    assert response.status_code == status
    assert Proposal.objects.get(pk=draft.pk).state == Proposal.State.ADVISORY_REVIEW
