"""What the advisory services share: the lock on a round, the proposal's address for
e-mails, the refusal of invalid input, the limits and reminders' timing, and the space's
facilitators. The database clock is read through here (``base.db_now()``), so a test or
the demo moves it for every advisory service by patching this one name.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from accounts.models import User
from advisory.models import Round
from core.clock import db_now
from core.errors import Invalid
from core.links import absolute_url
from proposals.models import Proposal
from spaces.models import Membership

__all__ = [
    "DEADLINE_REMINDER_BEFORE",
    "MAX_ANSWER",
    "MAX_CONDITIONS",
    "MAX_MESSAGE",
    "OVERDUE_REMINDER_EVERY",
    "ReviewInvalid",
    "db_now",
    "facilitators",
    "lock_round",
    "proposal_path",
]

DEADLINE_REMINDER_BEFORE = datetime.timedelta(hours=48)
OVERDUE_REMINDER_EVERY = datetime.timedelta(days=7)


def proposal_path(proposal: Proposal) -> str:
    """The proposal page's absolute address, for e-mails (core.links)."""
    return absolute_url(
        reverse("proposals:detail", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk})
    )


def lock_round(round: Round) -> Round:
    """Lock the round's proposal, then the round, and return the round fresh."""
    Proposal.objects.select_for_update().filter(pk=round.proposal_id).first()
    return (
        # Only the round's row, not the space, rulebook and version it joins.
        Round.objects.select_for_update(of=("self",))
        .select_related("proposal__space", "rulebook", "version")
        .get(pk=round.pk)
    )


MAX_CONDITIONS = 20
MAX_MESSAGE = 5_000
MAX_ANSWER = 5_000


class ReviewInvalid(Invalid):
    """A review that cannot be saved."""


def facilitators(space_id: int) -> list[User]:
    """The space's facilitators, whom a round's overdue and unreachable notices reach."""
    return [
        membership.user
        for membership in Membership.objects.facilitators()
        .filter(space_id=space_id)
        .select_related("user")
    ]
