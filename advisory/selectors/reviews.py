"""The round's counted reviews and what they add up to: the reviews that count, their
published order, the tally and the arithmetic's decision, the items the authors' response
answers and whether it is published. The services read these too."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from hashlib import sha256

from django.db.models import Exists, OuterRef, QuerySet

from advisory.arithmetic import Decision, Tally, decide
from advisory.models import Response, Review, Round, Seat
from proposals.models import Proposal


def board_reviews(round: Round) -> QuerySet[Review]:
    """The round's reviews that count: those of members of its frozen board who did not
    step aside. Only these make the quorum and the consent, are published at the close and
    are answered by the response; a row written past the services for anyone else counts
    for nothing."""
    return Review.objects.filter(round=round).filter(
        Exists(Seat.objects.filter(round=round, user=OuterRef("user"), recused_at__isnull=True))
    )


VERDICT_ORDER = [verdict.value for verdict in Review.Verdict]


def published_reviews(round: Round) -> list[Review]:
    """The round's counted reviews in their published order, each with its ``number``:
    by verdict, then by a hash of the text. Never the order given: everyone saw the count
    of answers grow, and a thread post or a habit could tie a time to a person, and so an
    anonymous review to its author."""

    def place(review: Review) -> tuple[int, str, int]:
        text = "\x00".join([review.rationale, *map(str, review.conditions or [])])
        return (VERDICT_ORDER.index(review.verdict), sha256(text.encode()).hexdigest(), review.pk)

    reviews = sorted(board_reviews(round).select_related("user"), key=place)
    for number, review in enumerate(reviews, start=1):
        review.number = number
    return reviews


def tally_of(round: Round) -> Tally:
    counts = Counter(board_reviews(round).values_list("verdict", flat=True))
    return Tally(
        board_size=round.board_size,
        endorse=counts[Review.Verdict.ENDORSE],
        endorse_with_conditions=counts[Review.Verdict.ENDORSE_WITH_CONDITIONS],
        request_changes=counts[Review.Verdict.REQUEST_CHANGES],
        oppose=counts[Review.Verdict.OPPOSE],
        abstain=counts[Review.Verdict.ABSTAIN],
        recused=Seat.objects.filter(round=round, recused_at__isnull=False).count(),
    )


def decision_of(
    round: Round,
    *,
    now: datetime.datetime,
    tally: Tally | None = None,
    overdue_before: bool = False,
) -> Decision:
    """What the arithmetic says of ``round`` at ``now``: from ``tally`` when the caller
    has read it already, ``overdue_before`` when an answer came while the round was
    overdue (the services, at a close); pages and the API read it too."""
    # The rulebook frozen onto the round at opening decides, never the current one.
    rulebook = round.rulebook
    return decide(
        tally if tally is not None else tally_of(round),
        quorum=rulebook.advisory_quorum,
        minimum_reviews=rulebook.minimum_reviews,
        consent=rulebook.consent_threshold,
        now=now,
        deadline=round.deadline_at,
        overdue_before=overdue_before,
    )


@dataclass(frozen=True)
class ToAnswer:
    """One item the response must answer: a condition (``condition_index`` set) or a
    request for changes (``condition_index`` None)."""

    review: Review
    condition_index: int | None

    @property
    def key(self) -> str:
        suffix = "request" if self.condition_index is None else f"c{self.condition_index}"
        return f"{self.review.number}-{suffix}"

    @property
    def text(self) -> str:
        if self.condition_index is None:
            return self.review.rationale
        return str(self.review.conditions[self.condition_index])


def items_to_answer(round: Round) -> list[ToAnswer]:
    """Every condition of every endorsement with conditions, then every request for
    changes, in the reviews' published order."""
    reviews = published_reviews(round)
    items = [
        ToAnswer(review, index)
        for review in reviews
        if review.verdict == Review.Verdict.ENDORSE_WITH_CONDITIONS
        for index in range(len(review.conditions))
    ]
    items += [
        ToAnswer(review, None)
        for review in reviews
        if review.verdict == Review.Verdict.REQUEST_CHANGES
    ]
    return items


def response_published(proposal: Proposal) -> bool:
    """Whether the round that let the proposal's current version through has its
    response: the condition for scheduling a vote."""
    return Response.objects.filter(
        round__proposal=proposal,
        round__version_id=proposal.current_version_id,
        round__outcome=Round.Outcome.PASSED,
    ).exists()
