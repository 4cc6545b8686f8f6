"""The gate holds in the database itself: without a passed round for its current version a
proposal cannot be awaiting a vote or any later state, whatever writes the row; a round
keeps what it froze and never changes once closed. Runs on SQLite and, in the second CI
pass, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from advisory.models import Review, Round, Seat
from advisory.services import review_give
from proposals import services
from proposals.models import Proposal
from tests.proposals.conftest import Cast, actor

GATED = ["awaiting_vote", "voting", "adopted", "rejected", "failed"]


@pytest.fixture
def in_review(cast: Cast, draft: Proposal) -> Proposal:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    draft.refresh_from_db()
    return draft


def _raw(sql: str, params: list[object]) -> None:
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
    """Marcus, the whole board in this cast, gives his review: the round closes."""
    review_give(
        actor=actor(cast.marcus),
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
    assert Seat.objects.filter(round=opened).count() == 1


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
    opened = Round.objects.get(proposal=in_review)  # a board of one: Marcus
    with pytest.raises(IntegrityError, match="beyond the board"), transaction.atomic():
        Seat.objects.create(round=opened, user=cast.dee)
    assert Seat.objects.filter(round=opened).count() == 1


@pytest.mark.parametrize("final", ["adopted", "rejected", "failed", "withdrawn"])
def test_a_final_proposal_never_moves_again(cast: Cast, in_review: Proposal, final: str) -> None:
    _decide(cast, in_review, "endorse")
    Proposal.objects.filter(pk=in_review.pk).update(state=final)
    for state in ("voting", "awaiting_vote", "advisory_review"):
        with pytest.raises(IntegrityError, match="final state"), transaction.atomic():
            Proposal.objects.filter(pk=in_review.pk).update(state=state)
    assert Proposal.objects.get(pk=in_review.pk).state == final
