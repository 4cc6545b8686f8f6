"""Who may start and edit a draft, and the messages for content that cannot be saved."""

from __future__ import annotations

import pytest

from core.errors import Conflict, DomainError, NotPermitted
from history.models import Event
from proposals import services
from proposals.models import Proposal, ProposalDraft
from tests.proposals.conftest import COMPLETE, Cast, actor


def test_an_editor_of_an_approved_organisation_drafts_for_it(cast: Cast) -> None:
    proposal = services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title=" A title "
    )
    assert proposal.state == Proposal.State.DRAFT
    assert proposal.current_version is None
    assert proposal.first_submitted_at is None
    assert proposal.draft.title == "A title"
    assert not Event.objects.exists()  # a draft is private: nothing public yet


def test_a_board_member_drafts_for_the_community(cast: Cast) -> None:
    proposal = services.proposal_create_draft(
        actor=actor(cast.marcus), space=cast.space, title="Community fridge"
    )
    assert proposal.organisation is None
    assert proposal.created_by == cast.marcus


@pytest.mark.parametrize(
    ("who", "organisation", "message"),
    [
        ("dee", None, "advisory board members of this space"),
        ("olu", None, "advisory board members of this space"),
        ("marcus", "organisation", "Only current editors of this organisation"),
        ("ngozi", "organisation", "Only current editors of this organisation"),
        ("pat", "pending_organisation", "once it is approved"),
    ],
)
def test_drafting_is_refused_to_people_without_the_role(
    cast: Cast, who: str, organisation: str | None, message: str
) -> None:
    with pytest.raises(NotPermitted, match=message):
        services.proposal_create_draft(
            actor=actor(getattr(cast, who)),
            space=cast.space,
            organisation=getattr(cast, organisation) if organisation else None,
            title="Anything",
        )
    assert not Proposal.objects.exists()
    assert not Event.objects.exists()


def test_drafting_needs_a_title(cast: Cast) -> None:
    with pytest.raises(DomainError, match="Give the proposal a title"):
        services.proposal_create_draft(actor=actor(cast.marcus), space=cast.space, title="  ")
    assert not Proposal.objects.exists()


def test_a_fellow_editor_edits_the_organisations_draft(cast: Cast, draft: Proposal) -> None:
    from tests.factories import OrganisationEditorFactory, UserFactory

    fellow = UserFactory(username="fellow")
    OrganisationEditorFactory(organisation=cast.organisation, user=fellow)
    services.proposal_update_draft(actor=actor(fellow), proposal=draft, title="Better title")
    assert ProposalDraft.objects.get(proposal=draft).title == "Better title"


def test_a_cosigner_cannot_edit_the_draft(cast: Cast, draft: Proposal) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    with pytest.raises(NotPermitted, match="co-signers support it"):
        services.proposal_update_draft(actor=actor(cast.marcus), proposal=draft, title="Mine now")
    assert ProposalDraft.objects.get(proposal=draft).title == "Naloxone on the night bus"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Give the proposal a title"),
        ({"summary": " "}, "Write a plain-language summary"),
        ({"risks_and_harms": ""}, "Describe the risks and harms"),
        ({"spectrum_tags": []}, "Choose at least one spectrum tag"),
        ({"spectrum_tags": ["prohibition"]}, "Unknown spectrum tag: prohibition"),
        ({"wellbeing_outcomes": []}, "at least one well-being outcome"),
        ({"wellbeing_outcomes": [{"outcome": "Fewer deaths"}]}, "will be measured"),
        ({"cost": "a lot"}, "Give the cost as an amount"),
        ({"cost": "-5"}, "zero or more"),
        ({"cost": "NaN"}, "zero or more"),
        ({"cost": "Infinity"}, "Give the cost as an amount"),
        ({"body": "Plan\x00"}, "control characters"),
        ({"wellbeing_outcomes": [{"outcome": "Safety\x07", "measure": "Survey"}]}, "control"),
        ({"review_date": "next spring"}, "YYYY-MM-DD"),
        ({"colour": "blue"}, "colour is not a proposal field"),
    ],
)
def test_invalid_content_is_refused_with_a_clear_message_and_nothing_changes(
    cast: Cast, draft: Proposal, fields: dict[str, object], message: str
) -> None:
    before = ProposalDraft.objects.get(proposal=draft).content()
    events = Event.objects.count()
    with pytest.raises(DomainError, match=message):
        services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, **fields)
    assert ProposalDraft.objects.get(proposal=draft).content() == before
    assert Event.objects.count() == events


def test_editing_during_advisory_review_changes_only_the_working_copy(
    cast: Cast, draft: Proposal
) -> None:
    version = services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Late change")
    assert ProposalDraft.objects.get(proposal=draft).title == "Late change"
    draft.refresh_from_db()
    assert draft.current_version == version
    assert draft.current_version.title == "Naloxone on the night bus"


def test_a_withdrawn_proposal_cannot_be_edited(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Funding ended.")
    with pytest.raises(Conflict, match="can be edited only before a round has passed it"):
        services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Late change")
    assert ProposalDraft.objects.get(proposal=draft).title == "Naloxone on the night bus"


def test_tags_are_kept_in_their_fixed_order_once_each(cast: Cast, draft: Proposal) -> None:
    services.proposal_update_draft(
        actor=actor(cast.olu), proposal=draft, spectrum_tags=["housing", "safer_use", "housing"]
    )
    assert ProposalDraft.objects.get(proposal=draft).spectrum_tags == ["safer_use", "housing"]


def test_complete_content_is_accepted(cast: Cast, draft: Proposal) -> None:
    saved = ProposalDraft.objects.get(proposal=draft)
    assert saved.summary == COMPLETE["summary"]
    assert str(saved.cost) == "12500.00"
    assert saved.review_date is not None
    assert saved.review_date.isoformat() == "2027-06-30"
