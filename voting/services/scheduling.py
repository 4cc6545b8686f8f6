"""Scheduling a vote once the response to a passed round is published, and a
facilitator's earlier opening."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.authority import Actor
from core.errors import Conflict, DomainError, NotPermitted
from core.moments import format_moment
from history.models import ActorRole
from history.services import append
from proposals.models import Proposal
from spaces.rules import facilitates
from spaces.services import rulebook_current
from voting.models import OPENING_FLOOR, Vote
from voting.services import base

if TYPE_CHECKING:
    from advisory.models import Round


def vote_schedule(*, round: Round, response_published_at: datetime.datetime) -> Vote:
    """Schedule the vote on a passed round's version once its response is published
    (called by ``advisory.services.response_publish``, inside its transaction and
    locks). It opens the space's rulebook delay after the response; a facilitator may
    bring that earlier, never later."""
    proposal = round.proposal
    rulebook = rulebook_current(space=proposal.space)
    opens_at = response_published_at + datetime.timedelta(days=rulebook.vote_delay_days)
    vote = Vote.objects.create(
        proposal=proposal, round=round, version=round.version, opens_at=opens_at
    )
    base.vote_event("vote.scheduled", vote, {"opens_at": opens_at.isoformat()})
    return vote


@transaction.atomic
def vote_bring_forward(*, actor: Actor, vote: Vote, opens_at: datetime.datetime) -> Vote:
    """Set an earlier opening (facilitators of the space, with their powers). Never
    later than scheduled, never in the past, never less than the rulebook's floor for
    the delay after the response was published (``Vote.earliest_opening``), and only before the
    vote opened. A refusal changes nothing."""
    if not facilitates(actor, vote.proposal):
        raise NotPermitted(_("Only the space's facilitators set an earlier opening."))
    locked = base.lock_vote(vote)
    if locked.opened_at is not None:
        raise Conflict(_("This vote has opened already."))
    if locked.proposal.state != Proposal.State.AWAITING_VOTE:
        raise Conflict(
            _("This proposal is %(state)s; its vote will not open.")
            % {"state": locked.proposal.get_shown_state_display()}
        )
    now = base.db_now()
    if opens_at >= locked.opens_at:
        raise DomainError(_("A vote can open earlier than scheduled, never later."))
    if opens_at < now:
        raise DomainError(_("Choose a moment from now on."))
    earliest = locked.earliest_opening()
    if opens_at < earliest:
        raise DomainError(
            ngettext(
                "A vote opens at least %(days)s day after the response was published, so "
                "the electorate has time to read it: choose %(earliest)s or later.",
                "A vote opens at least %(days)s days after the response was published, so "
                "the electorate has time to read it: choose %(earliest)s or later.",
                OPENING_FLOOR.days,
            )
            % {"days": OPENING_FLOOR.days, "earliest": format_moment(earliest)}
        )
    previous = locked.opens_at
    locked.opens_at = opens_at
    locked.save(update_fields=["opens_at"])
    append(
        kind="vote.brought_forward",
        actor=actor.user,
        actor_role=ActorRole.FACILITATOR,
        subject=locked.proposal,
        data={
            "vote": str(locked.public_id),
            "from": previous.isoformat(),
            "to": opens_at.isoformat(),
        },
    )
    return locked
