"""Votes: scheduling, opening, casting and changing a ballot, the 24-hour reminder, and
finalisation (the tally, the published result and the receipts list). Each service
locks what it changes (the proposal row, then the vote row, as the advisory services
do), writes in one transaction and appends its history event in it; casting appends
none, so the public chain never tells who voted when.

One module per step of a vote: ``scheduling`` (with a facilitator's earlier opening),
``opening``, ``casting`` (and changing a ballot; who may is ``voting.rules``),
``closing`` (finalisation), ``withdrawal`` and ``sweep`` (with the reminder); what they
share, the database clock included, is in ``base``. Callers import every service from
here.
"""

from __future__ import annotations

from voting.services.casting import Cast, receipt_problem, vote_cast, vote_change
from voting.services.closing import vote_finalise_if_due
from voting.services.opening import vote_open_if_due
from voting.services.scheduling import vote_bring_forward, vote_schedule
from voting.services.sweep import (
    REMINDER_BEFORE_CLOSE,
    Sweep,
    vote_remind_if_due,
    votes_open_due,
    votes_sweep,
)
from voting.services.withdrawal import vote_end_for_withdrawal

__all__ = [
    "REMINDER_BEFORE_CLOSE",
    "Cast",
    "Sweep",
    "receipt_problem",
    "vote_bring_forward",
    "vote_cast",
    "vote_change",
    "vote_end_for_withdrawal",
    "vote_finalise_if_due",
    "vote_open_if_due",
    "vote_remind_if_due",
    "vote_schedule",
    "votes_open_due",
    "votes_sweep",
]
