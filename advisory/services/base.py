"""What the advisory services share: the lock on a round (in the order the voting
services lock a vote too), the proposal's address for e-mails, the refusal of invalid
input, the limits and reminders' timing, and the space's facilitators. The database
clock is read through here (``base.db_now()``: ``core.clock``, which the tests and the
demo set with ``clock_set``).
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from accounts.models import User
from advisory.models import Round
from core.clock import db_now as db_now
from core.errors import Invalid
from core.links import absolute_url
from proposals.models import Proposal
from spaces.models import Membership

DEADLINE_REMINDER_BEFORE = datetime.timedelta(hours=48)
OVERDUE_REMINDER_EVERY = datetime.timedelta(days=7)


_Row = TypeVar("_Row", bound=Model)


def proposal_path(proposal: Proposal) -> str:
    """The proposal page's absolute address, for e-mails (core.links)."""
    return absolute_url(proposal.get_absolute_url())


def lock_after_proposal(rows: QuerySet[_Row], *, pk: Any, proposal_id: int) -> _Row:
    """Lock the proposal, then the row ``pk`` of ``rows`` (its own row only, not those
    it joins), and return it fresh. Every service of a round or a vote locks in this
    order, as ``proposal_submit`` does, so that two of them never wait on each other."""
    Proposal.objects.select_for_update().filter(pk=proposal_id).first()
    return rows.select_for_update(of=("self",)).get(pk=pk)


def lock_round(round: Round) -> Round:
    """Lock the round's proposal, then the round, and return the round fresh."""
    return lock_after_proposal(
        Round.objects.select_related("proposal__space", "rulebook", "version"),
        pk=round.pk,
        proposal_id=round.proposal_id,
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
