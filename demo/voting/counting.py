"""The vote that closed an hour before the demo was loaded, left for the minute sweep to
count."""

from __future__ import annotations

import datetime

from demo import words
from demo.cast import Demo
from demo.proposals import DemoProposal
from demo.voting.steps import Story, ballots, opened, reminded, respond, seven_reviews

COUNTING = DemoProposal(
    "A warm room with naloxone at the Mill Lane hall this winter",
    "its vote closed an hour before the demo was loaded and shows as counting until the "
    "minute sweep, which the demo runs while it serves, counts it in its first minute",
)


def counting_story(demo: Demo) -> Story:
    """The Mill Lane warm room: its vote opened ten days ago and closed an hour before
    the demo was loaded. Not finalised here: the minute sweep would finalise it the
    first time it runs (the demo has none), so its page shows "counting" meanwhile."""
    yield demo.ago(20.2)
    hall = demo.submit_new(
        COUNTING.title, **words.proposal("hall"), review_date=demo.review_date(120)
    )
    yield from seven_reviews(demo, hall, 20.0, words.reviews("hall"))
    # The response just over a week before the vote opens, so that the vote (ten days,
    # the rulebook's window) closes about an hour before the demo is loaded.
    yield demo.start - datetime.timedelta(days=17, minutes=62)
    vote = respond(demo, hall, *words.response("hall"))
    yield from opened(vote)
    yield demo.ago(6)
    ballots(vote, board=(4, 0, 1), electorate=(12, 2, 1), offset=5)
    yield from reminded(vote)
