"""The gate holds in the database itself: without a passed round for its current version a
proposal cannot be awaiting a vote or any later state, whatever writes the row; a round
keeps what it froze and never changes once closed. Runs on SQLite and, in the second CI
pass, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from advisory.models import Round, Seat
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


def test_a_round_that_did_not_pass_opens_no_gate(in_review: Proposal) -> None:
    Round.objects.filter(proposal=in_review).update(
        closed_at=timezone.now(), outcome=Round.Outcome.NOT_PASSED
    )
    with pytest.raises(IntegrityError, match="advisory gate"), transaction.atomic():
        Proposal.objects.filter(pk=in_review.pk).update(state="awaiting_vote")


def test_a_passed_round_lets_its_version_through_and_no_other(
    cast: Cast, in_review: Proposal
) -> None:
    first = in_review.current_version
    Round.objects.filter(proposal=in_review).update(
        closed_at=timezone.now(), outcome=Round.Outcome.PASSED
    )
    Proposal.objects.filter(pk=in_review.pk).update(state="awaiting_vote")

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


def test_a_closed_round_never_changes_and_no_round_is_deleted(in_review: Proposal) -> None:
    Round.objects.filter(proposal=in_review).update(
        closed_at=timezone.now(), outcome=Round.Outcome.NOT_PASSED
    )
    with pytest.raises(IntegrityError, match="never changes once closed"), transaction.atomic():
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
