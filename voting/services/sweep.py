"""The minute sweep's share for votes: open what is due, remind the electorate 24 hours
before a close, finalise what has closed. One failing vote does not stop the others."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.moments import format_moment
from notifications.services import notify_many
from proposals.models import Proposal
from voting.models import Elector, Participation, Vote
from voting.services import base
from voting.services.closing import vote_finalise_if_due
from voting.services.opening import vote_open_if_due

logger = logging.getLogger("voting.services")

REMINDER_BEFORE_CLOSE = datetime.timedelta(hours=24)


def _each_due(step: Callable[..., bool], due: QuerySet[Vote]) -> int:
    """Run ``step`` on each due vote; one failing vote is logged and does not stop the
    others (the next sweep tries it again). Returns how many it changed."""
    changed = 0
    for vote in due.order_by("pk"):
        try:
            if step(vote=vote):
                changed += 1
        except Exception:
            logger.exception("The sweep could not handle vote %s.", vote.public_id)
    return changed


def votes_open_due() -> int:
    """The minute sweep's share for scheduled votes: open every one whose time has come."""
    # A withdrawn proposal's vote never opens: the sweep leaves it alone.
    return _each_due(
        vote_open_if_due,
        Vote.objects.filter(
            opened_at__isnull=True,
            opens_at__lte=base.db_now(),
            proposal__state=Proposal.State.AWAITING_VOTE,
        ),
    )


@transaction.atomic
def vote_remind_if_due(*, vote: Vote) -> bool:
    """Once, 24 hours before the close: remind each person in the snapshot who has not
    voted, each by a notification of their own (nobody learns who else was reminded)."""
    locked = base.lock_vote(vote)
    if locked.close_at is None or locked.finalised_at is not None or locked.reminder_sent_at:
        return False
    now = base.db_now()
    if not locked.close_at - REMINDER_BEFORE_CLOSE <= now < locked.close_at:
        return False
    if not Vote.objects.filter(pk=locked.pk, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now
    ):
        return False
    voted = Participation.objects.filter(vote=locked).values("user_id")
    close_at = locked.close_at
    notify_many(
        recipients=[
            elector.user
            for elector in Elector.objects.filter(vote=locked)
            .exclude(user_id__in=voted)
            .select_related("user")
        ],
        kind="vote.closing_soon",
        body=lambda: (
            _(
                "A vote you can take part in closes in less than a day, at %(close)s. "
                "Read the proposal and vote here: %(path)s"
            )
            % {
                "close": format_moment(close_at),
                "path": base.proposal_path(locked.proposal),
            }
        ),
    )
    return True


@dataclass(frozen=True)
class Sweep:
    """What one sweep of votes did."""

    opened: int
    reminded: int
    finalised: int


def votes_sweep() -> Sweep:
    """The minute sweep's share for votes: open what is due, remind 24 hours before a
    close, finalise what has closed."""
    opened = votes_open_due()
    now = base.db_now()
    reminded = _each_due(
        vote_remind_if_due,
        Vote.objects.filter(
            finalised_at__isnull=True,
            reminder_sent_at__isnull=True,
            close_at__gt=now,
            close_at__lte=now + REMINDER_BEFORE_CLOSE,
        ),
    )
    finalised = _each_due(
        vote_finalise_if_due, Vote.objects.filter(finalised_at__isnull=True, close_at__lte=now)
    )
    return Sweep(opened=opened, reminded=reminded, finalised=finalised)
