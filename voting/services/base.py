"""What the voting services share: the lock on a vote (taken as the advisory services
take theirs), the proposal page's address for e-mails (the advisory services' own), and
who decides a vote, for its events. The database clock is read here too
(``db_now``: ``core.clock``, which the tests and the demo set with ``clock_set``).
"""

from __future__ import annotations

import datetime

from advisory.services.base import lock_after_proposal
from advisory.services.base import proposal_path as proposal_path
from core.clock import db_now as db_now
from history.models import ActorRole
from history.services import append
from voting import arithmetic
from voting.models import Vote


def lock_vote(vote: Vote) -> Vote:
    """Lock the vote's proposal, then the vote, and return the vote fresh."""
    # Only the vote's row is locked: its rulebook is empty until opening (an outer join).
    return lock_after_proposal(
        Vote.objects.select_related("proposal__space", "version", "rulebook"),
        pk=vote.pk,
        proposal_id=vote.proposal_id,
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
