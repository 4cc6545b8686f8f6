"""The steps the demo's votes share: the board's reviews, the authors' response that
schedules a vote, the ballots, and the sweep's opening, reminder and close."""

from __future__ import annotations

import datetime
from collections.abc import Generator, Iterator
from typing import Any

from accounts.authority import Actor
from advisory.models import Round
from advisory.selectors import items_to_answer
from advisory.services import response_publish
from demo import words
from demo.cast import Demo
from voting.models import Choice, Elector, Vote
from voting.services import (
    vote_cast,
    vote_finalise_if_due,
    vote_open_if_due,
    vote_remind_if_due,
)

# How long after a vote is due the demo's stand-in for the minute sweep opens, reminds
# or finalises it.
SWEEP = datetime.timedelta(minutes=1)

Story = Iterator[datetime.datetime]  # yields the moment of its next step


def respond(demo: Demo, round: Round, statement: str, answers: list[dict[str, str]]) -> Vote:
    """The authors' response, its answers in the order ``items_to_answer`` lists the
    items; publishing it schedules the vote, which is returned."""
    round.refresh_from_db()
    items = items_to_answer(round)
    assert len(items) == len(answers), (round, len(items))
    response_publish(
        actor=demo.as_("editor"),
        round=round,
        statement=statement,
        answers={item.key: answer for item, answer in zip(items, answers, strict=True)},
    )
    return Vote.objects.get(round=round)


def ballots(
    vote: Vote,
    *,
    board: tuple[int, int, int],
    electorate: tuple[int, int, int],
    offset: int = 0,
    first: tuple[str, ...] = (),
    not_voting: tuple[str, ...] = (),
) -> dict[str, tuple[str, str]]:
    """Cast ballots in ``vote``: (approve, reject, abstain) counts for the advisory bloc
    and for the rest of the electorate, by people of its snapshot taken in a fixed order
    (rotated by ``offset``, so that different people vote in different votes; ``first``
    first; never ``not_voting``). Returns each voter's choice and receipt by username:
    only the demo, which casts for them all, could ever know both."""
    electors = list(Elector.objects.filter(vote=vote).select_related("user").order_by("user_id"))
    receipts: dict[str, tuple[str, str]] = {}
    for on_board, counts in ((True, board), (False, electorate)):
        group = [e.user for e in electors if e.on_board == on_board]
        group = group[offset % len(group) :] + group[: offset % len(group)]
        group.sort(key=lambda person: person.username not in first)  # stable
        voters = [person for person in group if person.username not in not_voting]
        choices = [Choice.APPROVE] * counts[0] + [Choice.REJECT] * counts[1]
        choices += [Choice.ABSTAIN] * counts[2]
        assert len(choices) <= len(voters)
        for person, choice in zip(voters, choices, strict=False):
            cast = vote_cast(actor=Actor(user=person), vote=vote, choice=choice)
            receipts[person.username] = (choice, cast.receipt)
    return receipts


def opened(vote: Vote) -> Story:
    """The sweep opens the scheduled vote when it is due; ``vote`` is read again after."""
    vote.refresh_from_db()
    yield vote.opens_at + SWEEP
    assert vote_open_if_due(vote=vote)
    vote.refresh_from_db()


def reminded(vote: Vote) -> Story:
    """The sweep reminds those who have not voted a day before the close of ``vote``
    (read since it opened)."""
    assert vote.close_at is not None
    yield vote.close_at - datetime.timedelta(hours=23)
    assert vote_remind_if_due(vote=vote)


def open_and_count(vote: Vote, cast: dict[str, Any]) -> Story:
    """The vote's life after scheduling: the sweep opens it, people vote half-way
    through, the sweep reminds those who have not a day before the close, and
    finalises it at the close."""
    yield from opened(vote)
    assert vote.opened_at is not None
    assert vote.close_at is not None
    yield vote.opened_at + (vote.close_at - vote.opened_at) / 2
    ballots(vote, **cast)
    yield from reminded(vote)
    yield vote.close_at + SWEEP
    assert vote_finalise_if_due(vote=vote)


def to_the_vote(
    demo: Demo,
    name: str,
    title: str,
    *,
    submitted: float,
    reviewed_from: float,
    responded: datetime.datetime,
    review_in_days: int,
) -> Generator[datetime.datetime, None, Vote]:
    """A proposal's way to its vote, in the demo's words for ``name``: submitted
    ``submitted`` days ago, the board's seven reviews from ``reviewed_from`` days ago, and
    the authors' response at ``responded``, which schedules the vote it returns."""
    yield demo.ago(submitted)
    round = demo.submit_new(
        title, **words.proposal(name), review_date=demo.review_date(review_in_days)
    )
    yield from seven_reviews(demo, round, reviewed_from, words.reviews(name))
    yield responded
    return respond(demo, round, *words.response(name))


def seven_reviews(
    demo: Demo, round: Round, first_day: float, reviews: list[tuple[str, str, str, list[str]]]
) -> Story:
    """Each board member's review, one every few hours from ``first_day`` ago; the last
    closes the round, every seat having answered."""
    for number, (username, verdict, rationale, conditions) in enumerate(reviews):
        yield demo.ago(first_day - 0.25 * number)
        demo.review(round, username, verdict, rationale, conditions=conditions or None)
