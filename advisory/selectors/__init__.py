"""What the pages and the API read about rounds. Nothing here writes.

One module per read: ``reviews`` (the counted reviews, their tally and decision, what the
response answers), ``rounds`` (one round as a page shows it) and ``waiting`` (the lists
of rounds). Callers import every selector from here. Selectors never import the
services; the services read through them.
"""

from __future__ import annotations

from advisory.selectors.reviews import (
    VERDICT_ORDER,
    ToAnswer,
    board_reviews,
    decision_of,
    items_to_answer,
    published_reviews,
    response_published,
    tally_of,
)
from advisory.selectors.rounds import (
    DISSENTING,
    VERDICTS,
    AnswerShown,
    ResponseShown,
    RoundView,
    current_round,
    response_shown,
    round_view,
    rounds_of,
)
from advisory.selectors.waiting import (
    WaitingReview,
    answerable_seats,
    latest_closed_rounds,
    overdue_rounds_in,
    responses_owed_by,
    reviews_waiting_for,
)

__all__ = [
    "DISSENTING",
    "VERDICTS",
    "VERDICT_ORDER",
    "AnswerShown",
    "ResponseShown",
    "RoundView",
    "ToAnswer",
    "WaitingReview",
    "answerable_seats",
    "board_reviews",
    "current_round",
    "decision_of",
    "items_to_answer",
    "latest_closed_rounds",
    "overdue_rounds_in",
    "published_reviews",
    "response_published",
    "response_shown",
    "responses_owed_by",
    "reviews_waiting_for",
    "round_view",
    "rounds_of",
    "tally_of",
]
