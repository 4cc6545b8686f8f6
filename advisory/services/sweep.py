"""What the minute sweep does to open rounds: close those due, send due reminders."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.models import User
from advisory.models import Review, Round, Seat
from advisory.selectors import decision_of
from advisory.services import base
from advisory.services.base import (
    DEADLINE_REMINDER_BEFORE,
    OVERDUE_REMINDER_EVERY,
    facilitators,
    lock_round,
    proposal_path,
)
from advisory.services.rounds import close_if_due, tell_if_unreachable
from core.moments import format_moment
from notifications.services import notify_many

logger = logging.getLogger(__name__)


@transaction.atomic
def round_close_if_due(*, round: Round) -> bool:
    """Close one round if its deadline or its answers say so (the sweep calls this)."""
    return close_if_due(lock_round(round)).closed_now


def _seated_without_answer(locked: Round) -> list[User]:
    return [
        seat.user
        for seat in Seat.objects.filter(round=locked, recused_at__isnull=True)
        .exclude(Exists(Review.objects.filter(round=locked, user=OuterRef("user"))))
        .select_related("user")
    ]


@transaction.atomic
def round_remind_if_due(*, round: Round) -> str:
    """Send a round's reminder if one is due: 48 hours before the deadline, to the seated
    members who have not answered; once overdue (past the deadline without quorum), to
    the whole board of the round and the space's facilitators, and again every week while
    it stays overdue; a round that can never reach its quorum instead tells the
    facilitators once that the board needs members. Returns the reminder sent
    ("deadline", "overdue", "unreachable") or "". Each is
    marked sent by a guarded update, so two sweeps never send the same one twice."""
    locked = lock_round(round)
    if locked.closed_at is not None:
        return ""
    now = base.db_now()
    path = proposal_path(locked.proposal)
    decision = decision_of(locked, now=now)
    if decision.unreachable:
        # No answer can bring a quorum, so no "each answer counts": the facilitators are
        # told once that the board needs members (also for a round opened before the
        # minimum number of reviews was a rule).
        return "unreachable" if tell_if_unreachable(locked, decision) else ""
    if now >= locked.deadline_at:
        if not decision.overdue:
            # Past the deadline with a quorum: closing, not overdue.
            return ""
        last = locked.overdue_reminder_sent_at
        if last is not None and now < last + OVERDUE_REMINDER_EVERY:
            return ""
        if not Round.objects.filter(pk=locked.pk, overdue_reminder_sent_at=last).update(
            overdue_reminder_sent_at=now
        ):
            return ""
        seated = [
            seat.user
            for seat in Seat.objects.filter(round=locked, recused_at__isnull=True).select_related(
                "user"
            )
        ]
        notify_many(
            recipients=seated + facilitators(locked.proposal.space_id),
            kind="advisory.round_overdue",
            body=lambda: (
                _(
                    "An advisory review is past its deadline without a quorum, so it stays open "
                    "and the proposal cannot move on. Each answer counts: %(path)s"
                )
                % {"path": path}
            ),
        )
        return "overdue"
    if now < locked.deadline_at - DEADLINE_REMINDER_BEFORE or locked.deadline_reminder_sent_at:
        return ""
    if not Round.objects.filter(pk=locked.pk, deadline_reminder_sent_at__isnull=True).update(
        deadline_reminder_sent_at=now
    ):
        return ""
    notify_many(
        recipients=_seated_without_answer(locked),
        kind="advisory.deadline_near",
        body=lambda: (
            _(
                "A review you were asked for closes in less than two days, at %(deadline)s. "
                "You can review, abstain or step aside here: %(path)s"
            )
            % {"deadline": format_moment(locked.deadline_at), "path": path}
        ),
    )
    return "deadline"


@dataclass
class SweepReport:
    closed: int = 0
    reminded: int = 0
    failed: int = 0


def rounds_sweep() -> SweepReport:
    """The minute sweep: close every open round that is due, then send due reminders.
    Each round is handled in its own transaction, so one failure stops no other."""
    report = SweepReport()
    now = base.db_now()
    # Only rounds within a reminder's reach of their deadline, or past it, have work due.
    due = Round.objects.filter(
        closed_at__isnull=True, deadline_at__lte=now + DEADLINE_REMINDER_BEFORE
    )
    for open_round in due.order_by("deadline_at"):
        try:
            if open_round.deadline_at <= now and round_close_if_due(round=open_round):
                report.closed += 1
                continue
            if round_remind_if_due(round=open_round):
                report.reminded += 1
        except Exception:
            # Its transaction rolled back; the next sweep tries again.
            logger.exception("The sweep could not handle advisory round %s.", open_round.pk)
            report.failed += 1
    return report
