"""The gate holds in the database itself: without a passed round for its current version a
proposal cannot be awaiting a vote or any later state, whatever writes the row; a round
keeps what it froze and never changes once closed. Runs on SQLite and, in the second CI
pass, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from advisory.models import Review, Round, Seat
from advisory.services import recusal_declare, review_give
from proposals import services
from proposals.models import Proposal
from spaces.models import Rulebook
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.conftest import Cast, actor

GATED = ["awaiting_vote", "voting", "adopted", "rejected", "failed"]


@pytest.fixture
def in_review(cast: Cast, draft: Proposal) -> Proposal:
    # With Marcus, a board of two: the rulebook's minimum number of reviews.
    MembershipFactory(space=cast.space, user=UserFactory(username="ama"), role="board")
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    draft.refresh_from_db()
    return draft


def _raw(sql: str, params: list[int | str | datetime]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("state", GATED)
def test_a_raw_update_past_the_gate_without_a_passed_round_is_refused(
    in_review: Proposal, state: str
) -> None:
    with pytest.raises(IntegrityError, match="advisory gate"):
        _raw("UPDATE proposals_proposal SET state = %s WHERE id = %s", [state, in_review.pk])
    with pytest.raises(IntegrityError, match="advisory gate"), transaction.atomic():
        Proposal.objects.filter(pk=in_review.pk).update(state=state)
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.ADVISORY_REVIEW


def _decide(cast: Cast, in_review: Proposal, verdict: str) -> None:
    """Marcus and Ama, the whole board here, give their reviews: the round closes."""
    for person in (cast.marcus, User.objects.get(username="ama")):
        review_give(
            actor=actor(person),
            round=Round.objects.get(proposal=in_review),
            verdict=verdict,
            rationale="Read with the peer workers.",
        )


def test_a_round_that_did_not_pass_opens_no_gate(cast: Cast, in_review: Proposal) -> None:
    _decide(cast, in_review, "oppose")
    with pytest.raises(IntegrityError, match="advisory gate"), transaction.atomic():
        Proposal.objects.filter(pk=in_review.pk).update(state="awaiting_vote")


def test_a_passed_round_lets_its_version_through_and_no_other(
    cast: Cast, in_review: Proposal
) -> None:
    first = in_review.current_version
    _decide(cast, in_review, "endorse")
    assert Proposal.objects.get(pk=in_review.pk).state == Proposal.State.AWAITING_VOTE

    # A later version, even one already frozen, needs a round of its own.
    Proposal.objects.filter(pk=in_review.pk).update(state="advisory_review")
    services.proposal_update_draft(actor=actor(cast.olu), proposal=in_review, title="Changed")
    second = services.proposal_submit(actor=actor(cast.olu), proposal=in_review)
    assert second != first
    with pytest.raises(IntegrityError, match="advisory gate"), transaction.atomic():
        Proposal.objects.filter(pk=in_review.pk).update(state="voting")
    # Nor can the passed version be swapped back in under a different text.
    with pytest.raises(IntegrityError, match="advisory gate"), transaction.atomic():
        Proposal.objects.filter(pk=in_review.pk).update(
            state="awaiting_vote", current_version=second
        )


def test_a_proposal_cannot_be_inserted_past_the_gate(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(space=cast.space, created_by=cast.olu, state="adopted")


def test_a_closed_round_never_changes_and_no_round_is_deleted(
    cast: Cast, in_review: Proposal
) -> None:
    _decide(cast, in_review, "oppose")
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(proposal=in_review).update(outcome=Round.Outcome.PASSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw("DELETE FROM advisory_round WHERE proposal_id = %s", [in_review.pk])
    assert Round.objects.get(proposal=in_review).outcome == Round.Outcome.NOT_PASSED


def test_an_open_round_keeps_what_it_froze(in_review: Proposal) -> None:
    opened = Round.objects.get(proposal=in_review)
    for change in ({"board_size": 99}, {"deadline_at": timezone.now()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Round.objects.filter(pk=opened.pk).update(**change)
    with pytest.raises(IntegrityError, match="never removed"), transaction.atomic():
        Seat.objects.filter(round=opened).delete()
    assert Seat.objects.filter(round=opened).count() == 2


@pytest.mark.parametrize("outcome", [Round.Outcome.PASSED, Round.Outcome.NOT_PASSED])
def test_a_raw_update_cannot_write_an_outcome_the_round_did_not_earn(
    in_review: Proposal, outcome: str
) -> None:
    # No review yet: no quorum, so neither verdict can be written, by the ORM or raw SQL.
    with pytest.raises(IntegrityError, match="its own arithmetic"), transaction.atomic():
        Round.objects.filter(proposal=in_review).update(closed_at=timezone.now(), outcome=outcome)
    with pytest.raises(IntegrityError, match="its own arithmetic"):
        _raw(
            "UPDATE advisory_round SET closed_at = %s, outcome = %s WHERE proposal_id = %s",
            [timezone.now(), outcome, in_review.pk],
        )
    assert Round.objects.get(proposal=in_review).is_open


def test_a_raw_update_cannot_turn_a_refusal_into_a_pass(cast: Cast, in_review: Proposal) -> None:
    # Marcus opposes but the round is not closed yet in this forged attempt: the database
    # counts his review against the frozen rulebook and refuses "passed".
    opened = Round.objects.get(proposal=in_review)
    Review.objects.create(round=opened, user=cast.marcus, verdict="oppose", rationale="No")
    with pytest.raises(IntegrityError, match="its own arithmetic"), transaction.atomic():
        Round.objects.filter(pk=opened.pk).update(
            closed_at=timezone.now(), outcome=Round.Outcome.PASSED
        )
    assert Round.objects.get(pk=opened.pk).is_open


def test_a_round_cannot_be_inserted_already_closed(cast: Cast, in_review: Proposal) -> None:
    opened = Round.objects.get(proposal=in_review)
    services.proposal_update_draft(actor=actor(cast.olu), proposal=in_review, title="Changed")
    with pytest.raises(IntegrityError, match="opens open"), transaction.atomic():
        Round.objects.create(
            proposal=in_review,
            version=in_review.versions.create(
                number=9, content_hash="0" * 64, submitted_by=cast.olu, title="Forged"
            ),
            rulebook=opened.rulebook,
            board_size=0,
            opened_at=opened.opened_at,
            deadline_at=opened.deadline_at,
            closed_at=opened.deadline_at,
            outcome=Round.Outcome.PASSED,
        )
    assert Round.objects.filter(proposal=in_review).count() == 1


def test_no_seat_is_added_beyond_the_frozen_board(cast: Cast, in_review: Proposal) -> None:
    opened = Round.objects.get(proposal=in_review)  # a board of two: Marcus and Ama
    with pytest.raises(IntegrityError, match="beyond the board"), transaction.atomic():
        Seat.objects.create(round=opened, user=cast.dee)
    assert Seat.objects.filter(round=opened).count() == 2


@pytest.mark.parametrize("final", ["adopted", "rejected", "failed", "withdrawn"])
def test_a_final_proposal_never_moves_again(cast: Cast, in_review: Proposal, final: str) -> None:
    _decide(cast, in_review, "endorse")
    Proposal.objects.filter(pk=in_review.pk).update(state=final)
    for state in ("voting", "awaiting_vote", "advisory_review"):
        with pytest.raises(IntegrityError, match="final state"), transaction.atomic():
            Proposal.objects.filter(pk=in_review.pk).update(state=state)
    assert Proposal.objects.get(pk=in_review.pk).state == final


# --- The quorum without recusals and with the rulebook's minimum (migration 0008) ---


def _raw_close(round: Round, outcome: str, *, after_deadline: bool = True) -> None:
    moment = round.deadline_at + timedelta(minutes=1) if after_deadline else timezone.now()
    _raw(
        "UPDATE advisory_round SET closed_at = %s, outcome = %s WHERE id = %s",
        [moment, outcome, round.pk],
    )


def _submitted_with_board(cast: Cast, draft: Proposal, extra: int, **rules: int) -> Round:
    """Marcus and ``extra`` more on the board; ``rules`` a new rulebook version first."""
    for _ in range(extra):
        MembershipFactory(space=cast.space, user=UserFactory(), role="board")
    if rules:
        Rulebook.objects.create(space=cast.space, version=2, **rules)
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    return Round.objects.get(proposal=draft)


def _forged_review(round: Round, user: User, verdict: str = "endorse") -> None:
    Review.objects.create(round=round, user=user, verdict=verdict, rationale="Forged")


@pytest.mark.parametrize("outcome", [Round.Outcome.PASSED, Round.Outcome.NOT_PASSED])
def test_a_raw_close_with_fewer_reviews_than_the_rulebooks_minimum_is_refused(
    cast: Cast, draft: Proposal, outcome: str
) -> None:
    # A board of two that both answered: every seat, and half of the board, but the
    # rulebook frozen onto the round asks for three reviews.
    opened = _submitted_with_board(cast, draft, 1, minimum_reviews=3)
    verdict = "endorse" if outcome == Round.Outcome.PASSED else "oppose"
    for seat in Seat.objects.filter(round=opened):
        _forged_review(opened, seat.user, verdict)
    with pytest.raises(IntegrityError, match="its own arithmetic"):
        _raw_close(opened, outcome)
    with pytest.raises(IntegrityError, match="its own arithmetic"):
        _raw_close(opened, outcome, after_deadline=False)
    assert Round.objects.get(pk=opened.pk).is_open


def test_a_raw_close_counts_recusals_out_of_the_quorums_denominator(
    cast: Cast, draft: Proposal
) -> None:
    # A board of five, two recused: half of the three seats left is two answers (half of
    # five would have been three), and two is the minimum.
    opened = _submitted_with_board(cast, draft, 4)
    seats = list(Seat.objects.filter(round=opened).order_by("pk"))
    for seat in seats[3:]:
        recusal_declare(actor=actor(seat.user), round=opened)
    _forged_review(opened, seats[0].user)
    with pytest.raises(IntegrityError, match="its own arithmetic"):
        _raw_close(opened, Round.Outcome.PASSED)
    _forged_review(opened, seats[1].user)
    _raw_close(opened, Round.Outcome.PASSED)
    assert Round.objects.get(pk=opened.pk).outcome == Round.Outcome.PASSED


def test_a_raw_close_of_a_round_that_can_never_reach_its_quorum_is_refused(
    cast: Cast, draft: Proposal
) -> None:
    # A board of two, one recused: one seat left, never the minimum of two reviews,
    # though its one answer is every seat left (half of the board of two, before).
    opened = _submitted_with_board(cast, draft, 1)
    seats = list(Seat.objects.filter(round=opened).order_by("pk"))
    for seat in seats[1:]:
        recusal_declare(actor=actor(seat.user), round=opened)
    _forged_review(opened, seats[0].user)
    for outcome in (Round.Outcome.PASSED, Round.Outcome.NOT_PASSED):
        with pytest.raises(IntegrityError, match="its own arithmetic"):
            _raw_close(opened, outcome)
    assert Round.objects.get(pk=opened.pk).is_open
