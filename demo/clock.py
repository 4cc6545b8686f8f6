"""The demo's clock: the loaders run each step of the demo's history under
``demo_clock``, at the moment it happened, so that the history reads forward in time.

A round freezes its deadline when it opens, so an overdue round can only be shown by
opening it in the past; the demo's history runs from the space's set-up six weeks ago to
a few hours ago.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from core.clock import clock_set

# How long before the demo is loaded the space was set up, and the first five proposals
# were drafted (``demo.proposals``).
SPACE_SET_UP = datetime.timedelta(days=42)
FIRST_PROPOSALS = datetime.timedelta(hours=22)

# Called with each moment before the clock moves to it, so that steps other loaders put
# on the same timeline (demo.voting's votes, which run for weeks beside the advisory
# rounds) run first when they fall earlier: the history then reads forward in time.
BEFORE_MOMENT: list[Callable[[datetime.datetime], None]] = []


@contextmanager
def demo_clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as if it were ``moment`` (a past moment), the clock ticking on.

    The services read two clocks. The database clock (``core.clock.db_now``: a round's
    opening, deadline and close; a vote's opening, close and finalisation; memberships'
    start and end; each event's time) is set with ``clock_set``, which the triggers read
    too. ``timezone.now()`` stamps proposals.services' versions and submissions, reviews
    and messages, and is the default of fields such as ``Proposal.created_at``; a field
    default holds the function itself, out of ``mock``'s reach, so time-machine moves
    the wall clock that ``timezone.now()`` reads. Demo only: nothing on a server sets
    the clock back, and the site's runtime role cannot.
    """
    import time_machine  # a development dependency, like everything the demo needs

    for catch_up in list(BEFORE_MOMENT):
        catch_up(moment)
    # The wall clock first: on SQLite the database clock follows it.
    with time_machine.travel(moment, tick=True), clock_set(moment, tick=True):
        yield
