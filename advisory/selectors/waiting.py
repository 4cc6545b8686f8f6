"""The lists of rounds: those waiting for a board member's answer, those owing a
response, the overdue and the latest decided."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet

from accounts.models import User
from advisory.models import Review, Round, Seat
from core.clock import db_now
from proposals.models import Proposal
from proposals.visibility import authored_by
from spaces.models import DecisionSpace, LeaveOfAbsence, Membership, Role

# Who may still answer in a round they hold a seat in: the rule is
# ``advisory.rules.answer_refusal`` (under the guards of reviewing and stepping aside, so
# what the pages, the API and the services enforce): the round open and for the
# proposal's current version, the seat not stepped aside, and the person still on the
# space's board and not on leave. ``answerable_seats`` says the same for a list of seats,
# so the reviews listed as waiting are those the services accept;
# tests/advisory/test_waiting_agrees_with_the_service.py checks that they agree. (A round
# past its deadline with a quorum is "closing": the rule refuses it, the list keeps it
# until the minute sweep closes it, since telling it needs the round's tally.)


def answerable_seats(seats: QuerySet[Seat]) -> QuerySet[Seat]:
    """``seats`` in which their holder may still answer (see the rule above), in one
    query with them."""
    on_board = Membership.objects.board().filter(
        space_id=OuterRef("round__proposal__space_id"), user_id=OuterRef("user_id")
    )
    on_leave = LeaveOfAbsence.objects.filter(
        membership__space_id=OuterRef("round__proposal__space_id"),
        membership__user_id=OuterRef("user_id"),
        membership__role=Role.BOARD,
        membership__left_at__isnull=True,
        ended_at__isnull=True,
    )
    return seats.filter(
        Exists(on_board),
        ~Exists(on_leave),
        recused_at__isnull=True,
        round__closed_at__isnull=True,
        round__proposal__current_version=F("round__version"),
    )


@dataclass
class WaitingReview:
    round: Round
    proposal: Proposal
    deadline_at: datetime.datetime
    reviewed: bool


def reviews_waiting_for(user: User) -> list[WaitingReview]:
    """Open rounds where ``user`` may still answer (``answerable_seats``: a seat not
    stepped aside, still on the board and not on leave), soonest deadline first, with
    whether they have reviewed already (changeable until the close)."""
    seats = (
        answerable_seats(Seat.objects.filter(user=user))
        .select_related("round__proposal__space", "round__version")
        .order_by("round__deadline_at", "round__pk")
    )
    reviewed = set(
        Review.objects.filter(user=user, round__closed_at__isnull=True).values_list(
            "round_id", flat=True
        )
    )
    return [
        WaitingReview(
            round=seat.round,
            proposal=seat.round.proposal,
            deadline_at=seat.round.deadline_at,
            reviewed=seat.round_id in reviewed,
        )
        for seat in seats
    ]


def responses_owed_by(user: User) -> QuerySet[Round]:
    """Passed rounds whose authors have not published their response yet, on proposals
    ``user`` authors: the vote cannot be scheduled until they do. Oldest close first."""
    return (
        Round.objects.filter(
            outcome=Round.Outcome.PASSED,
            response__isnull=True,
            proposal__state=Proposal.State.AWAITING_VOTE,
            proposal__current_version=F("version"),
        )
        .filter(authored_by(user, prefix="proposal__"))
        .select_related("proposal__space", "version")
        .order_by("closed_at", "pk")
    )


def overdue_rounds_in(
    spaces: QuerySet[DecisionSpace], *, now: datetime.datetime | None = None
) -> QuerySet[Round]:
    """Rounds of ``spaces`` still open past their deadline (short of a quorum: one that
    has it closes at the next sweep), the longest overdue first."""
    return (
        Round.objects.filter(
            proposal__space__in=spaces, closed_at__isnull=True, deadline_at__lt=now or db_now()
        )
        .select_related("proposal__space", "version")
        .order_by("deadline_at", "pk")
    )


def latest_closed_rounds(limit: int) -> QuerySet[Round]:
    """The advisory decisions most recently taken (passed or not), newest first."""
    return (
        Round.objects.filter(outcome__in=(Round.Outcome.PASSED, Round.Outcome.NOT_PASSED))
        .select_related("proposal__space", "version")
        .order_by("-closed_at", "-pk")[:limit]
    )
