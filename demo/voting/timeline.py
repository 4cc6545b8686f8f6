"""The timeline the demo's votes run on, step by step in time order beside the other
loaders."""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from demo.cast import Demo
from demo.clock import BEFORE_MOMENT, demo_clock
from demo.voting.counting import counting_story
from demo.voting.finalised import adopted_story, failed_story, rejected_story
from demo.voting.open_vote import open_story
from demo.voting.steps import Story


@contextmanager
def vote_timeline(*, start: datetime.datetime) -> Iterator[None]:
    """Put the demo's votes on the timeline while the other loaders run inside this
    block, then run what is left up to ``start`` (the moment the demo is loaded).
    Expects the people and the Northside space."""
    demo = Demo(start)
    due: list[tuple[datetime.datetime, int, Story]] = []
    order = itertools.count()

    def add(story: Story) -> None:
        moment = next(story, None)
        if moment is not None:
            heapq.heappush(due, (moment, next(order), story))

    finished = demo.start - datetime.timedelta(days=365)

    def run_until(moment: datetime.datetime) -> None:
        nonlocal finished
        while due and due[0][0] < moment:
            at, _order, story = heapq.heappop(due)
            # Two steps due at once run one after the other, never back in time.
            with demo_clock(max(at, finished)):
                following = next(story, None)  # runs the step, up to its next moment
                finished = timezone.now()
            if following is not None:
                heapq.heappush(due, (following, next(order), story))

    # In the order their votes close.
    for begin in (adopted_story, rejected_story, failed_story, counting_story, open_story):
        add(begin(demo))
    BEFORE_MOMENT.append(run_until)
    try:
        yield
    finally:
        BEFORE_MOMENT.remove(run_until)
    run_until(start)
