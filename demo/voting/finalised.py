"""The three finalised votes, in the order they closed three weeks ago: adopted,
rejected under dual majority, and failed for want of a quorum."""

from __future__ import annotations

from demo.cast import Demo
from demo.proposals import DemoProposal
from demo.voting.steps import Story, open_and_count, to_the_vote
from voting.services import vote_bring_forward

ADOPTED = DemoProposal(
    "Sharps bins in six Northside parks and stairwells",
    "voted on three weeks ago: adopted",
)
REJECTED = DemoProposal(
    "A weekend drop-in at the Northside library, with a sign-in sheet",
    "voted on three weeks ago: rejected, because the advisory board's members voted "
    "against it (dual majority), though most of the electorate approved",
)
FAILED = DemoProposal(
    "Evening hours at the hepatitis C clinic",
    "its vote was brought forward by a facilitator and failed: too few people voted for "
    "the turnout quorum",
)


def adopted_story(demo: Demo) -> Story:
    """Six weeks ago: sharps bins, passed by the board, adopted by the vote three weeks
    ago with a clear majority of everyone and of the advisory bloc."""
    vote = yield from to_the_vote(
        demo,
        "bins",
        ADOPTED.title,
        submitted=40.5,
        reviewed_from=40.2,
        responded=demo.ago(38.3),
        review_in_days=320,
    )
    yield from open_and_count(vote, {"board": (5, 0, 1), "electorate": (19, 4, 2), "offset": 0})


def rejected_story(demo: Demo) -> Story:
    """The board passed the library drop-in with a condition the authors declined;
    in the vote most of the electorate approved, the advisory bloc did not, and under
    dual majority it was rejected."""
    vote = yield from to_the_vote(
        demo,
        "library",
        REJECTED.title,
        submitted=39.9,
        reviewed_from=39.65,
        responded=demo.ago(37.4),
        review_in_days=330,
    )
    yield from open_and_count(vote, {"board": (2, 4, 0), "electorate": (16, 4, 2), "offset": 11})


def failed_story(demo: Demo) -> Story:
    """The clinic's evening hours passed the board; a facilitator brought its vote
    forward to meet a funding deadline, and in a holiday week too few people voted."""
    vote = yield from to_the_vote(
        demo,
        "clinic",
        FAILED.title,
        submitted=39.4,
        reviewed_from=39.1,
        responded=demo.ago(37.5),
        review_in_days=300,
    )
    yield demo.ago(37.3)
    # The funder needed a decision before the end of the month; the rulebook lets a
    # facilitator bring a vote forward, never put it back.
    vote_bring_forward(
        actor=demo.strong("facilitator"),
        vote=vote,
        opens_at=demo.ago(34.4),
    )
    yield from open_and_count(vote, {"board": (2, 0, 1), "electorate": (5, 1, 0), "offset": 23})
