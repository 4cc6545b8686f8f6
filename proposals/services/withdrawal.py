"""Withdrawing a proposal, and ending what was under way for it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.authority import Actor
from core.errors import Invalid, NotPermitted
from core.guards import refuse_if
from core.text import NOTE_MAX_LENGTH, require_fits
from history.services import append
from proposals import registry
from proposals.models import Proposal
from proposals.outcomes import Withdrawal
from proposals.rules import withdraw_refusal
from proposals.services.base import author_role, is_private, lock
from proposals.services.content import clean_text


@transaction.atomic
def proposal_withdraw(*, actor: Actor, proposal: Proposal, reason: str) -> Withdrawal:
    """Withdraw a proposal (authors only, with a public reason) from any state before a
    final one. Withdrawn is final; its submitted versions stay public. Reports what the
    withdrawal ended: an open round, an open vote (counted now), a scheduled vote."""
    locked = lock(proposal)
    refusal = withdraw_refusal(actor=actor, proposal=locked)
    # Who may withdraw is told first, then what is wrong with the reason, then the state.
    refuse_if(refusal if isinstance(refusal, NotPermitted) else None)
    reason = clean_text(reason)
    if not reason:
        raise Invalid({"reason": [_("Give a reason for withdrawing the proposal.")]})
    require_fits(reason=(reason, NOTE_MAX_LENGTH))
    refuse_if(refusal)
    previous = locked.state
    locked.state = Proposal.State.WITHDRAWN
    locked.save(update_fields=["state"])
    # A private draft had nothing under way to end.
    round_ended = vote_counted = vote_cancelled = False
    if not is_private(locked):
        append(
            kind="proposal.withdrawn",
            actor=actor.user,
            actor_role=author_role(locked),
            subject=locked,
            data={"from_state": previous, "reason": reason},
        )
        # The round, then the vote (proposals.registry.on_withdrawn), in this transaction.
        ended = [end(proposal=locked) for end in registry.on_withdrawn.entries()]
        round_ended = any(part.round_ended for part in ended)
        vote_counted = any(part.vote_counted for part in ended)
        vote_cancelled = any(part.vote_cancelled for part in ended)
    proposal.refresh_from_db()
    return Withdrawal(
        proposal=locked,
        round_ended=round_ended,
        vote_counted=vote_counted,
        vote_cancelled=vote_cancelled,
    )
