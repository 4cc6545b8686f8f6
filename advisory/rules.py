"""Who may act in an advisory round. The services, the pages and the API read these."""

from __future__ import annotations

from accounts.authority import Actor
from advisory.models import Round
from proposals.rules import is_author
from spaces.models import Membership


def may_post_in_thread(actor: Actor, round: Round) -> bool:
    """The thread is between the board and the authors: current board members of the
    space and the proposal's current authors and co-signers may post."""
    if actor.user is None:
        return False
    proposal = round.proposal
    return (
        is_author(actor, proposal)
        or proposal.cosigners.filter(user=actor.user).exists()
        or Membership.objects.board().filter(space_id=proposal.space_id, user=actor.user).exists()
    )
