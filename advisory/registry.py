"""What a higher app plugs into the advisory app (``voting``, from its ``ready()``).

A published response schedules the vote on the round's version, in the response's own
transaction and locks: the advisory app declares what it needs here (``vote_scheduler``)
and never imports the voting app.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Protocol

from core.registry import Slot

if TYPE_CHECKING:
    from advisory.models import Round


class ScheduledVote(Protocol):
    """The vote a response scheduled, as the response's message tells it."""

    @property
    def opens_at(self) -> datetime.datetime: ...


class VoteScheduler(Protocol):
    def __call__(
        self, *, round: Round, response_published_at: datetime.datetime
    ) -> ScheduledVote: ...


vote_scheduler: Slot[VoteScheduler] = Slot("What schedules the vote after a response")
