"""Ending a vote because its proposal is withdrawn."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import Conflict
from proposals.models import Proposal
from voting.models import Vote
from voting.services import base
from voting.services.closing import finalise


def vote_end_for_withdrawal(*, proposal: Proposal) -> tuple[bool, bool]:
    """End the open vote of a proposal being withdrawn (``proposal_withdraw`` calls this
    in its transaction, holding the proposal's row lock): it closes now and its count is
    published, marked withdrawn. A vote not yet open simply never opens. Once the close
    has come, the withdrawal is refused (and the caller's transaction undone): the vote
    is no longer under way and its result is fixed; the sweep publishes it.

    Returns (an open vote was closed and its count published, a scheduled vote will
    not open), for the message after the withdrawal."""
    counted = False
    for open_vote in Vote.objects.filter(
        proposal=proposal, opened_at__isnull=False, finalised_at__isnull=True
    ):
        locked = base.lock_vote(open_vote)
        now = base.db_now()
        assert locked.close_at is not None
        if now >= locked.close_at:
            raise Conflict(
                _(
                    "The vote has closed and is being counted; its result is published "
                    "within minutes, and the proposal can no longer be withdrawn."
                )
            )
        Vote.objects.filter(pk=locked.pk).update(close_at=now)
        locked.close_at = now
        finalise(locked, now=now, withdrawn=True)
        counted = True
    cancelled = Vote.objects.filter(proposal=proposal, opened_at__isnull=True).exists()
    return counted, cancelled
