"""Board members of the space and editors of other organisations co-sign; authors do not."""

from __future__ import annotations

import pytest

from core.errors import Conflict, NotPermitted
from history.models import Event
from proposals import services
from proposals.models import Proposal, ProposalCosigner
from tests.proposals.conftest import Cast, actor


def test_a_board_member_and_an_editor_of_another_organisation_cosign(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    services.proposal_cosign(actor=actor(cast.ngozi), proposal=draft)
    assert set(draft.cosigners.values_list("user__username", flat=True)) == {"marcus", "ngozi"}
    assert not Event.objects.filter(kind="proposal.cosigned").exists()  # the draft is private


@pytest.mark.parametrize("who", ["olu", "dee"])
def test_authors_and_plain_voters_cannot_cosign(cast: Cast, draft: Proposal, who: str) -> None:
    with pytest.raises(NotPermitted, match="can co-sign"):
        services.proposal_cosign(actor=actor(getattr(cast, who)), proposal=draft)
    assert not ProposalCosigner.objects.exists()


def test_cosigning_twice_is_refused(cast: Cast, draft: Proposal) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    with pytest.raises(Conflict, match="already co-sign"):
        services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    assert ProposalCosigner.objects.count() == 1


def test_cosigning_during_advisory_review_is_refused(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    with pytest.raises(Conflict, match="before it is submitted or during revision"):
        services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    assert not ProposalCosigner.objects.exists()


def test_cosigning_during_revision_is_allowed(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    # The review round that sends a proposal back comes later; set the state directly here.
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    assert ProposalCosigner.objects.filter(proposal=draft, user=cast.marcus).exists()
