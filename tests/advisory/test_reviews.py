"""Giving a review: only a member of the round's frozen board, not stepped aside, still
on the board and not on leave; one review each, changeable until the round closes; sealed
meanwhile (no history event); refused with a clear message and nothing changed otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from advisory import services
from advisory.models import Review, Round
from core.errors import Conflict, DomainError, NotPermitted
from history.models import Event
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces.models import LeaveOfAbsence, Membership
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.conftest import Cast, actor


def test_a_board_member_reviews_and_may_change_it_until_the_close(
    cast: Cast, open_round: Round
) -> None:
    events = Event.objects.count()
    review(cast.marcus, open_round)
    changed = review(
        cast.marcus,
        open_round,
        verdict="endorse_with_conditions",
        conditions=["Kits are checked weekly", " "],
        shown_as_advisory_member=True,
    )

    assert Review.objects.filter(round=open_round).count() == 1
    assert changed.verdict == "endorse_with_conditions"
    assert changed.conditions == ["Kits are checked weekly"]
    assert changed.shown_as_advisory_member
    # Sealed until the close: nothing public yet.
    assert Event.objects.count() == events


def test_the_database_allows_one_review_per_member_per_round(cast: Cast, open_round: Round) -> None:
    review(cast.marcus, open_round)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(round=open_round, user=cast.marcus, verdict="oppose", rationale="x")


def _refused(who: User, in_round: Round, error: type[DomainError], message: str) -> None:
    with pytest.raises(error, match=message):
        review(who, in_round)
    assert not Review.objects.filter(round=in_round, user=who).exists()


def test_someone_not_on_the_frozen_board_cannotreview(cast: Cast, open_round: Round) -> None:
    _refused(cast.dee, open_round, NotPermitted, "members of the advisory board when")
    late = MembershipFactory(space=cast.space, user=UserFactory(), role="board").user
    _refused(late, open_round, NotPermitted, "members of the advisory board when")


def test_a_member_on_leave_at_opening_has_no_seat(cast: Cast, draft: Proposal) -> None:
    away = MembershipFactory(space=cast.space, user=UserFactory(), role="board")
    LeaveOfAbsence.objects.create(membership=away, started_at=timezone.now())
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    _refused(away.user, Round.objects.get(proposal=draft), NotPermitted, "not on leave then")


def test_a_member_now_on_leave_or_removed_cannotreview(cast: Cast, open_round: Round) -> None:
    membership = Membership.objects.get(user=cast.marcus, role="board")
    leave = LeaveOfAbsence.objects.create(membership=membership, started_at=timezone.now())
    _refused(cast.marcus, open_round, Conflict, "on leave")
    LeaveOfAbsence.objects.filter(pk=leave.pk).update(ended_at=timezone.now())
    Membership.objects.filter(pk=membership.pk).update(left_at=timezone.now())
    _refused(cast.marcus, open_round, NotPermitted, "no longer on this space")


def test_a_member_who_stepped_aside_cannotreview(cast: Cast) -> None:
    community = proposal_services.proposal_create_draft(
        actor=actor(cast.marcus), space=cast.space, title="A peer-run line"
    )
    from tests.proposals.conftest import COMPLETE

    proposal_services.proposal_update_draft(
        actor=actor(cast.marcus), proposal=community, **COMPLETE
    )
    proposal_services.proposal_submit(actor=actor(cast.marcus), proposal=community)
    _refused(cast.marcus, Round.objects.get(proposal=community), Conflict, "stepped aside")


def test_a_review_of_an_earlier_version_or_a_closed_round_is_refused(
    cast: Cast, draft: Proposal, open_round: Round
) -> None:
    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="New")
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    _refused(cast.marcus, open_round, Conflict, "closed")


def test_the_database_refuses_a_review_written_after_the_close(
    cast: Cast, board: Board, open_round: Round
) -> None:
    given = review(board.marcus, open_round)
    review(board.ama, open_round, verdict="oppose")
    review(board.ben, open_round, verdict="oppose")  # the board is complete: closed
    assert Round.objects.get(pk=open_round.pk).outcome == Round.Outcome.NOT_PASSED

    with pytest.raises(IntegrityError, match="only while its round is open"), transaction.atomic():
        Review.objects.filter(pk=given.pk).update(verdict="oppose")
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=given.pk).delete()
    assert Review.objects.get(pk=given.pk).verdict == "endorse"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"verdict": "maybe"}, "verdict"),
        ({"rationale": "  "}, "rationale"),
        ({"rationale": "Fine\x00"}, "rationale"),
        ({"verdict": "endorse_with_conditions", "conditions": ["Weekly\x00"]}, "conditions"),
        ({"verdict": "endorse_with_conditions", "conditions": []}, "conditions"),
        ({"verdict": "oppose", "conditions": ["Only if"]}, "conditions"),
    ],
)
def test_an_incomplete_review_is_refused_on_its_field(
    cast: Cast, open_round: Round, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(services.ReviewInvalid) as refused:
        review(cast.marcus, open_round, **changes)
    assert field in refused.value.fields
    assert not Review.objects.exists()
