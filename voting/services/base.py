"""What the voting services share: the locks on a vote, the proposal page's address for
e-mails, and who decides a vote, for its events. The database clock is read here too
(``db_now``), so a test or the demo moves it for every voting service by patching this
one name.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from core.clock import db_now
from core.links import absolute_url
from history.models import ActorRole
from history.services import append
from proposals.models import Proposal
from voting import arithmetic
from voting.models import Vote

__all__ = ["db_now", "deciding_data", "lock_vote", "proposal_address", "vote_event"]


def proposal_address(proposal: Proposal) -> str:
    """The proposal page's absolute address, for e-mails (core.links)."""
    return absolute_url(
        reverse("proposals:detail", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk})
    )


def lock_vote(vote: Vote) -> Vote:
    """Lock the vote's proposal, then the vote, and return the vote fresh."""
    Proposal.objects.select_for_update().filter(pk=vote.proposal_id).first()
    return (
        # Only the vote's row: its rulebook is empty until opening (an outer join).
        Vote.objects.select_for_update(of=("self",))
        .select_related("proposal__space", "version", "rulebook")
        .get(pk=vote.pk)
    )


def vote_event(
    kind: str,
    vote: Vote,
    data: dict[str, object],
    *,
    occurred_at: datetime.datetime | None = None,
) -> None:
    """Append the system's event about ``vote`` to its proposal's history: which vote,
    and the version voted on with its content hash, then ``data``."""
    append(
        kind=kind,
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=vote.proposal,
        data={
            "vote": str(vote.public_id),
            "version": vote.version.number,
            "content_hash": vote.version.content_hash,
            **data,
        },
        occurred_at=occurred_at,
    )


def deciding_data(rules: arithmetic.Rules, board_size: int) -> dict[str, object]:
    """Who decides the vote, for its opening and finalisation events: with dual majority
    on, whether the advisory bloc is counted apart or, being smaller than the minimum
    group size, the whole electorate decides."""
    apart = arithmetic.bloc_counted_apart(rules, board_size)
    return {
        "dual_majority": rules.dual_majority,
        "advisory_bloc_counted_apart": apart,
        "decided_by_whole_electorate": rules.dual_majority and not apart,
        "min_group_size": rules.min_group_size,
    }
