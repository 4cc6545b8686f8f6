"""The vote that closed an hour before the demo was loaded, left for the minute sweep to
count."""

from __future__ import annotations

import datetime

from demo.cast import Demo
from demo.proposals import DemoProposal
from demo.voting.steps import Story, ballots, opened, reminded, to_the_vote

COUNTING = DemoProposal(
    "A warm room with naloxone at the Mill Lane hall this winter",
    "its vote closed an hour before the demo was loaded and shows as counting until the "
    "minute sweep, which the demo runs while it serves, counts it in its first minute",
)


def counting_story(demo: Demo) -> Story:
    """The Mill Lane warm room: its vote opened ten days ago and closed an hour before
    the demo was loaded. Not finalised here: the minute sweep would finalise it the
    first time it runs (the demo has none), so its page shows "counting" meanwhile."""
    # The response just over a week before the vote opens, so that the vote (ten days,
    # the rulebook's window) closes about an hour before the demo is loaded.
    vote = yield from to_the_vote(
        demo,
        "hall",
        COUNTING.title,
        submitted=20.2,
        reviewed_from=20.0,
        responded=demo.start - datetime.timedelta(days=17, minutes=62),
        review_in_days=120,
    )
    yield from opened(vote)
    yield demo.ago(6)
    ballots(vote, board=(4, 0, 1), electorate=(12, 2, 1), offset=5)
    yield from reminded(vote)
