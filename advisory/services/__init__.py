"""Advisory review rounds: opening, reviews and recusals, closing by the arithmetic, the
public thread and the authors' response. Each service runs inside the caller's
transaction or its own, locks the proposal and then the round (always in that order, as
``proposal_submit`` does, so two services never wait on each other), and appends its
history event in that transaction; reviews are sealed, so theirs come at the close.

One module per thing changed: ``rounds`` (opening, ending and closing a round),
``reviews`` (reviews and recusals), ``thread``, ``response`` and ``sweep`` (what the
minute sweep closes and reminds); what they share, the database clock included, is in
``base``. Callers import every service from here; reads are in ``advisory.selectors``.
"""

from __future__ import annotations

from advisory.services.base import (
    DEADLINE_REMINDER_BEFORE,
    MAX_ANSWER,
    MAX_CONDITIONS,
    MAX_MESSAGE,
    OVERDUE_REMINDER_EVERY,
    ReviewInvalid,
)
from advisory.services.response import response_publish
from advisory.services.reviews import recusal_declare, review_give
from advisory.services.rounds import round_end_for_withdrawal, round_open
from advisory.services.sweep import (
    SweepReport,
    round_close_if_due,
    round_remind_if_due,
    rounds_sweep,
)
from advisory.services.thread import message_post

__all__ = [
    "DEADLINE_REMINDER_BEFORE",
    "MAX_ANSWER",
    "MAX_CONDITIONS",
    "MAX_MESSAGE",
    "OVERDUE_REMINDER_EVERY",
    "ReviewInvalid",
    "SweepReport",
    "message_post",
    "recusal_declare",
    "response_publish",
    "review_give",
    "round_close_if_due",
    "round_end_for_withdrawal",
    "round_open",
    "round_remind_if_due",
    "rounds_sweep",
]
