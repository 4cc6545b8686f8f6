"""What a closed round makes public, and in what order: every counted review, however
the round closed, numbered by verdict and text, never by the order it was given."""

from __future__ import annotations

from advisory import services
from advisory.models import Round
from history.chain import decode_data
from history.models import Event
from history.verification import verify
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.advisory.conftest import Board, review
from tests.proposals.conftest import Cast, actor


def _published() -> list[dict[str, object]]:
    return [
        decode_data(event.content.data)
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
    numbered = services.published_reviews(open_round)
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
    forward = [r.rationale for r in services.published_reviews(open_round)]

    # The same texts given in the other order are published in the same order.
    review(board.marcus, open_round, rationale=texts[1])
    review(board.ama, open_round, rationale=texts[0])
    assert [r.rationale for r in services.published_reviews(open_round)] == forward


def test_a_superseded_round_publishes_its_sealed_reviews_when_it_ends(
    cast: Cast, board: Board, draft: Proposal, open_round: Round
) -> None:
    review(board.marcus, open_round, verdict="request_changes", rationale="Add the night route.")
    assert _published() == []

    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Night")
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.SUPERSEDED
    assert [event["rationale"] for event in _published()] == ["Add the night route."]
    assert verify().ok
