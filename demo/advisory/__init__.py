"""The demo's advisory review rounds in Northside, made only through ``advisory.services``
(and ``proposals.services`` for the two proposals added here).

One round for each situation a visitor should be able to see:

- open: "Naloxone kits on the night buses" has two sealed reviews (``board1`` sees their
  own), a recusal with a reason (for facilitators' eyes) and a thread between the board
  and the authors (``open_round``);
- overdue: "A peer-run line for people who use alone" is past its deadline one answer
  short of a quorum; ``board1`` has not answered, so their review closes it
  (``overdue``);
- passed: "Peer workers in Northside's supported housing", every seat answered, and the
  response Outreach Collective published (a condition accepted, one declined, a request
  for changes answered) (``passed``);
- not passed: "Naloxone at every Northside pharmacy", back in revision (``not_passed``);
- superseded and ended by withdrawal: the vending machines' first version and the van
  (``demo.proposals``).

Each step runs under ``demo.clock.demo_clock`` at the moment it happened, from the
space's set-up six weeks ago to a few hours ago, in the order the steps happened, so the
decision history reads forward in time.
"""

from __future__ import annotations

import datetime

from demo.advisory.not_passed import NOT_PASSED, load_not_passed_round
from demo.advisory.open_round import (
    OWN_SEALED_REVIEW_LOGIN,
    RECUSAL_REASON_LOGIN,
    load_open_round,
)
from demo.advisory.overdue import load_overdue_round
from demo.advisory.passed import PASSED, load_passed_round
from demo.cast import Demo

__all__ = [
    "ADVISORY_PROPOSALS",
    "NOT_PASSED",
    "OWN_SEALED_REVIEW_LOGIN",
    "PASSED",
    "RECUSAL_REASON_LOGIN",
    "load_closed_and_overdue_rounds",
    "load_open_round",
]

ADVISORY_PROPOSALS = (PASSED, NOT_PASSED)


def load_closed_and_overdue_rounds(*, start: datetime.datetime) -> None:
    """The rounds that began before the first five proposals (``start`` is the real
    moment the demo is loaded): one not passed five weeks ago, one overdue since a week
    ago, one passed with its response yesterday."""
    demo = Demo(start)
    load_not_passed_round(demo)
    load_overdue_round(demo)
    load_passed_round(demo)
