"""What a closed round makes public, and in what order: with a verdict, every counted
review, numbered by verdict and text, never by the order it was given; without one,
none. Who stepped aside automatically is counted, not named, for the public."""

from __future__ import annotations

from typing import Any

from accounts.authority import Actor
from advisory import selectors, services
from advisory.models import Round
from advisory.selectors import round_view
from history.models import Event
from history.verification import verify
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory, UserFactory
from tests.history.events import event_data
from tests.proposals.conftest import Cast, actor


def _published() -> list[dict[str, Any]]:
    return [
        event_data(event)
        for event in Event.objects.filter(kind="advisory.review_published").order_by("seq")
    ]


def test_reviews_are_published_by_verdict_then_text_not_in_the_order_given(
    board: Board, open_round: Round
) -> None:
    review(board.ben, open_round, verdict="oppose", rationale="Not with two workers.")
    review(board.ama, open_round, rationale="Kits save lives.", shown_as_advisory_member=True)
    review(board.marcus, open_round, verdict="abstain", rationale="I need to hear more.")

    published = _published()
    assert [event["verdict"] for event in published] == ["endorse", "oppose", "abstain"]
    assert [event["number"] for event in published] == [1, 2, 3]
    # The pages and the API number them the same way.
    numbered = selectors.published_reviews(open_round)
    assert [(r.number, r.verdict) for r in numbered] == [
        (1, "endorse"),
        (2, "oppose"),
        (3, "abstain"),
    ]


def test_the_order_of_two_reviews_with_one_verdict_does_not_follow_who_gave_them_first(
    board: Board, open_round: Round
) -> None:
    texts = ["Peer workers know the buses.", "The evening hours fit."]
    review(board.marcus, open_round, rationale=texts[0])
    review(board.ama, open_round, rationale=texts[1])
    forward = [r.rationale for r in selectors.published_reviews(open_round)]

    # The same texts given in the other order are published in the same order.
    review(board.marcus, open_round, rationale=texts[1])
    review(board.ama, open_round, rationale=texts[0])
    assert [r.rationale for r in selectors.published_reviews(open_round)] == forward


def test_a_round_ended_without_a_verdict_keeps_its_reviews_sealed(
    cast: Cast, board: Board, draft: Proposal, open_round: Round
) -> None:
    """Otherwise authors could unseal a round by resubmitting, and the board would read
    each other's reviews before the next round."""
    review(board.marcus, open_round, verdict="request_changes", rationale="Add the night route.")

    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Night")
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.SUPERSEDED
    assert _published() == []
    anyone = round_view(Actor(user=None), open_round)
    assert anyone.reviews == []
    assert anyone.minority_report == []
    # Its author still reads their own review.
    assert round_view(actor(board.marcus), open_round).own_review is not None
    assert verify().ok


def test_automatic_recusals_are_counted_not_named_except_to_facilitators(
    cast: Cast, board: Board, draft: Proposal
) -> None:
    # Ama co-signs Olu's proposal: she is recused automatically when it is submitted.
    proposal_services.proposal_invite_cosigner(
        actor=actor(cast.olu), proposal=draft, user=board.ama
    )
    proposal_services.proposal_cosign(actor=actor(board.ama), proposal=draft)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    opened = Round.objects.get(proposal=draft)
    services.recusal_declare(actor=actor(board.ben), round=opened, reason="I work with them.")

    public = round_view(Actor(user=None), opened)
    assert [seat.user for seat in public.recusals] == [board.ben]
    assert public.automatic_recusals == 1
    assert all(seat.recusal_reason == "" for seat in public.recusals)

    fola = MembershipFactory(space=cast.space, user=UserFactory(), role="facilitator").user
    facilitator = round_view(Actor(user=fola, mfa=True), opened)
    assert {seat.user for seat in facilitator.recusals} == {board.ama, board.ben}
