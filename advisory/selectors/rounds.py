"""One round as the pages and the API show it (``round_view``), and the authors'
response as shown. A round past its deadline with a quorum shows as closing until the
sweep closes it.

Sealing: until a round closes, nobody sees anyone's review but their own; everyone sees
how many have answered, the deadline and whether it is overdue. A recusal is public (who
stepped aside), its reason only for the space's facilitators.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from accounts.authority import Actor
from advisory.arithmetic import Decision, Tally
from advisory.models import Answer, Message, Response, Review, Round, Seat
from advisory.rules import (
    message_refusal,
    recusal_refusal,
    response_refusal,
    review_refusal,
)
from advisory.selectors.reviews import (
    ToAnswer,
    decision_of,
    items_to_answer,
    published_reviews,
    tally_of,
)
from core.errors import DomainError
from core.guards import Offered
from proposals.models import Proposal
from proposals.rules import is_author
from spaces.rules import facilitates

DISSENTING = (Review.Verdict.REQUEST_CHANGES, Review.Verdict.OPPOSE)
VERDICTS = (Round.Outcome.PASSED, Round.Outcome.NOT_PASSED)


def current_round(proposal: Proposal) -> Round | None:
    """The round of the proposal's current version, if it was ever submitted."""
    if proposal.current_version_id is None:
        return None
    return (
        Round.objects.select_related("rulebook", "version", "proposal__space")
        .filter(proposal=proposal, version_id=proposal.current_version_id)
        .first()
    )


def rounds_of(proposal: Proposal) -> QuerySet[Round]:
    return Round.objects.filter(proposal=proposal).select_related("version").order_by("opened_at")


@dataclass(frozen=True)
class AnswerShown:
    """One published answer of the authors' response, with what it answers."""

    answer: Answer
    review: Review
    # The review's number in the round's published order.
    number: int
    # The condition answered, or the request for changes' rationale.
    asked: str
    is_condition: bool

    @property
    def key(self) -> str:
        """The item's key, as the response was given: "2-c0", "2-request"."""
        index = self.answer.condition_index
        return f"{self.number}-{'request' if index is None else f'c{index}'}"

    @property
    def kind(self) -> str:
        return "condition" if self.is_condition else "request"

    @property
    def condition(self) -> str | None:
        return self.asked if self.is_condition else None

    @property
    def request(self) -> str | None:
        return None if self.is_condition else self.review.rationale


@dataclass(frozen=True)
class ResponseShown:
    """The authors' response with its answers, in the order they were given."""

    response: Response
    answers: list[AnswerShown]

    @classmethod
    def of(cls, response: Response, answers: list[Answer], reviews: list[Review]) -> ResponseShown:
        """``answers`` with their reviews loaded; ``reviews`` the round's published ones."""
        numbers = {review.pk: review.number for review in reviews if review.number is not None}
        shown = []
        for answer in answers:
            review = answer.review
            index = answer.condition_index
            conditions = review.conditions or []
            in_range = index is not None and 0 <= index < len(conditions)
            asked = str(conditions[index]) if in_range and index is not None else ""
            shown.append(
                AnswerShown(
                    answer=answer,
                    review=review,
                    number=numbers[answer.review_id],
                    asked=asked or review.rationale,
                    is_condition=index is not None,
                )
            )
        return cls(response=response, answers=shown)


def response_shown(response: Response) -> ResponseShown:
    """A published response as its own address shows it, outside the round's view."""
    answers = list(response.answers.select_related("review__user").order_by("pk"))
    return ResponseShown.of(response, answers, published_reviews(response.round))


@dataclass
class RoundView:
    round: Round
    tally: Tally
    decision: Decision
    # Published only once closed with a verdict (empty before), in the published order.
    reviews: list[Review]
    # The viewer's own review while sealed (or after), if they gave one.
    own_review: Review | None
    # Seats that stepped aside by choice (public; to facilitators also the automatic
    # ones); reasons are blanked unless the viewer facilitates.
    recusals: list[Seat]
    # Authors and co-signers on the board, recused at opening: a number for the public.
    automatic_recusals: int
    show_recusal_reasons: bool
    messages: list[Message]
    response: Response | None
    answers: list[Answer]
    # Why the viewer may not do each action now (its guard in advisory/rules.py), or
    # None: the page offers an action only without a refusal, and shows its message.
    review_refusal: DomainError | None
    recusal_refusal: DomainError | None
    post_refusal: DomainError | None
    response_refusal: DomainError | None
    items_to_answer: list[ToAnswer] = field(default_factory=list)
    may_post_anonymously: bool = False

    may_review = Offered("review_refusal")
    may_recuse = Offered("recusal_refusal")
    may_post = Offered("post_refusal")
    may_respond = Offered("response_refusal")

    @property
    def is_open(self) -> bool:
        return self.round.closed_at is None

    @property
    def published(self) -> bool:
        """Closed with a verdict: the reviews and the counts by verdict are public."""
        return self.round.outcome in VERDICTS

    @property
    def overdue(self) -> bool:
        return self.is_open and self.decision.overdue

    @property
    def closing(self) -> bool:
        """Past its deadline with a quorum, or complete: the sweep is about to close it."""
        return self.is_open and self.decision.closes

    @property
    def response_shown(self) -> ResponseShown | None:
        if self.response is None:
            return None
        return ResponseShown.of(self.response, self.answers, self.reviews)

    @property
    def minority_report(self) -> list[Review]:
        return [review for review in self.reviews if review.verdict in DISSENTING]

    @property
    def quorum_needed(self) -> int:
        """The smallest number of answers (recusals aside) that meets the quorum: the
        quorum's share of the board without its recusals, and never fewer than the
        rulebook's minimum number of reviews."""
        rulebook = self.round.rulebook
        return self.tally.quorum_needed(rulebook.advisory_quorum, rulebook.minimum_reviews)

    @property
    def quorum_met(self) -> bool:
        rulebook = self.round.rulebook
        return self.tally.quorum_met(rulebook.advisory_quorum, rulebook.minimum_reviews)

    @property
    def unreachable(self) -> bool:
        """Open, and too few seats remain for the quorum ever to be met: it never passes
        with fewer reviews, and the facilitators are told the board needs members."""
        return self.is_open and self.decision.unreachable


def round_view(actor: Actor, round: Round, *, now: datetime.datetime | None = None) -> RoundView:
    """Everything shown about one round to ``actor``; ``round`` must be visible to them
    (its proposal was submitted, so it is public)."""
    now = now or timezone.now()
    tally = tally_of(round)
    decision = decision_of(round, now=now, tally=tally)
    user = actor.user
    # Published only when the round closed with a verdict; a round superseded or ended by
    # a withdrawal keeps its reviews sealed (docs/decisions.md).
    published = round.outcome in VERDICTS
    reviews = published_reviews(round) if published else []
    own = None
    if user is not None:
        own = (
            next((r for r in reviews if r.user_id == user.pk), None)
            if published
            else Review.objects.filter(round=round, user=user).first()
        )
    show_reasons = bool(user is not None and facilitates(actor, round.proposal))
    recused = Seat.objects.filter(round=round, recused_at__isnull=False)
    # Members who stepped aside by choice are named; the authors and co-signers recused
    # automatically only counted, except to facilitators: naming them would tell the
    # public that an organisation's editor sits on the board.
    recusals = list(
        (recused if show_reasons else recused.filter(recused_automatically=False))
        .select_related("user")
        .order_by("recused_at", "pk")
    )
    automatic_recusals = recused.filter(recused_automatically=True).count()
    if not show_reasons:
        for seat_aside in recusals:
            seat_aside.recusal_reason = ""
    response = Response.objects.filter(round=round).first()
    answers = (
        list(response.answers.select_related("review__user").order_by("pk")) if response else []
    )
    proposal = round.proposal
    author = bool(user is not None and is_author(actor, proposal))
    post_refused = message_refusal(actor=actor, round=round)
    response_refused = response_refusal(actor=actor, round=round)
    return RoundView(
        round=round,
        tally=tally,
        decision=decision,
        reviews=reviews,
        own_review=own,
        recusals=recusals,
        automatic_recusals=automatic_recusals,
        show_recusal_reasons=show_reasons,
        messages=list(
            Message.objects.filter(round=round).select_related("author").order_by("posted_at", "pk")
        ),
        response=response,
        answers=answers,
        review_refusal=review_refusal(actor=actor, round=round, decision=decision),
        recusal_refusal=recusal_refusal(actor=actor, round=round, decision=decision),
        post_refusal=post_refused,
        response_refusal=response_refused,
        items_to_answer=items_to_answer(round) if (response_refused is None or response) else [],
        may_post_anonymously=post_refused is None
        and not author
        and not proposal.cosigners.filter(user=user).exists(),
    )
