"""Who may cast or change a ballot, now: one guard per action (``core.guards``). The
service raises what the guard returns under the vote's row lock; the selector offers
the action only where the guard returns None; the page and the API show its message.

The guards read nothing from the database: the caller passes what it has read (the
vote, the moment on the database clock, whether the person is in the snapshot and has
voted), the service under its locks, the selector for the page.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from accounts.authority import Actor
from core.errors import Conflict, DomainError, NotPermitted
from core.guards import guard
from proposals.models import Proposal
from voting.models import Vote


def _takes_no_ballots(proposal: Proposal) -> Conflict:
    return Conflict(
        _("This proposal is %(state)s; its vote takes no ballots.")
        % {"state": proposal.get_shown_state_display()}
    )


def voted_already() -> Conflict:
    """A second cast: refused by the guard, or by the database's constraint when two
    casts race."""
    return Conflict(_("You have voted in this vote. To change your ballot, use your receipt."))


def ballots_refused(*, vote: Vote, now: datetime.datetime) -> DomainError | None:
    """Why ``vote`` takes no ballots at ``now``, from anyone: it has not opened, or has
    closed, or its proposal is no longer being voted on."""
    if vote.opened_at is None or vote.close_at is None:
        return Conflict(_("This vote has not opened yet."))
    if vote.proposal.state == Proposal.State.WITHDRAWN:
        return _takes_no_ballots(vote.proposal)
    # The service reads ``now`` after the lock was granted: a cast counts only if it is
    # accepted before the close, and the finalisation, which waits for this lock, then
    # counts it.
    if vote.finalised_at is not None or now >= vote.close_at:
        return Conflict(_("This vote has closed."))
    if vote.proposal.state != Proposal.State.VOTING:
        return _takes_no_ballots(vote.proposal)
    return None


def _ballot_refusal(
    *, actor: Actor, vote: Vote, now: datetime.datetime, in_electorate: bool
) -> DomainError | None:
    """What casting and changing share: the person is signed in, the vote takes ballots
    at ``now``, and the person is in the snapshot taken at opening."""
    if actor.user is None:
        return NotPermitted(_("Sign in to vote."))
    refusal = ballots_refused(vote=vote, now=now)
    if refusal is not None:
        return refusal
    if not in_electorate:
        return NotPermitted(
            _(
                "Only the people in the electorate when this vote opened vote in it; you "
                "joined later or are not in it."
            )
        )
    return None


@guard("voting.cast")
def cast_refusal(
    *, actor: Actor, vote: Vote, now: datetime.datetime, in_electorate: bool, has_voted: bool
) -> DomainError | None:
    """Why ``actor`` may not cast a ballot in ``vote`` at ``now``: the vote takes
    ballots, they are in its snapshot, and they have not voted yet."""
    refusal = _ballot_refusal(actor=actor, vote=vote, now=now, in_electorate=in_electorate)
    if refusal is not None:
        return refusal
    if has_voted:
        return voted_already()
    return None


@guard("voting.change")
def change_refusal(
    *, actor: Actor, vote: Vote, now: datetime.datetime, in_electorate: bool, has_voted: bool
) -> DomainError | None:
    """Why ``actor`` may not change their ballot in ``vote`` at ``now``: the vote takes
    ballots, they are in its snapshot, and they have voted. The receipt is checked by
    the service, which alone sees it."""
    refusal = _ballot_refusal(actor=actor, vote=vote, now=now, in_electorate=in_electorate)
    if refusal is not None:
        return refusal
    if not has_voted:
        return Conflict(_("You have not voted in this vote yet."))
    return None
