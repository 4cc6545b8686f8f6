"""Authors withdraw a proposal, with a reason, from any state before a final one."""

from __future__ import annotations

import pytest

from advisory.models import Round
from advisory.services import review_give
from core.errors import Conflict, DomainError, NotPermitted
from history import chain
from history.models import Event
from proposals import services
from proposals.models import Proposal
from tests.factories import MembershipFactory
from tests.proposals.conftest import Cast, actor


def test_an_author_withdraws_a_submitted_proposal_with_a_public_reason(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason=" Funded elsewhere ")
    draft.refresh_from_db()
    assert draft.state == Proposal.State.WITHDRAWN
    event = Event.objects.get(kind="proposal.withdrawn")
    assert chain.decode_data(event.content.data) == {
        "from_state": "advisory_review",
        "reason": "Funded elsewhere",
    }


def test_a_private_draft_is_withdrawn_without_publishing_its_reason(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Changed our mind")
    draft.refresh_from_db()
    assert draft.state == Proposal.State.WITHDRAWN
    assert not Event.objects.filter(kind="proposal.withdrawn").exists()


def test_withdrawing_needs_a_reason(cast: Cast, draft: Proposal) -> None:
    with pytest.raises(DomainError, match="Give a reason"):
        services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="  ")
    draft.refresh_from_db()
    assert draft.state == Proposal.State.DRAFT


@pytest.mark.parametrize("who", ["marcus", "dee", "ngozi"])
def test_only_authors_withdraw(cast: Cast, draft: Proposal, who: str) -> None:
    with pytest.raises(NotPermitted, match="Only the proposal's authors can withdraw it"):
        services.proposal_withdraw(actor=actor(getattr(cast, who)), proposal=draft, reason="No")
    draft.refresh_from_db()
    assert draft.state == Proposal.State.DRAFT


@pytest.mark.parametrize("final", ["adopted", "rejected", "failed", "withdrawn"])
def test_withdrawing_a_final_proposal_is_refused(cast: Cast, draft: Proposal, final: str) -> None:
    # With Marcus, a board of two: the rulebook's minimum number of reviews.
    second = MembershipFactory(space=cast.space, role="board").user
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    # Past the gate only with a passed round (the database insists): the whole board
    # endorses; the vote comes with its step.
    for member in (cast.marcus, second):
        review_give(
            actor=actor(member),
            round=Round.objects.get(proposal=draft),
            verdict="endorse",
            rationale="Ready for a vote.",
        )
    Proposal.objects.filter(pk=draft.pk).update(state=final)
    events = Event.objects.count()
    with pytest.raises(Conflict, match="it cannot be withdrawn"):
        services.proposal_withdraw(actor=actor(cast.olu), proposal=draft, reason="Too late")
    draft.refresh_from_db()
    assert draft.state == final
    assert Event.objects.count() == events
