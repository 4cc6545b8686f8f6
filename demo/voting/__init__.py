"""The demo's votes in Northside, made only through ``voting.services`` (and, for the
proposals and advisory rounds before them, ``proposals.services`` and
``advisory.services``).

One vote in each stage a visitor should be able to see, each on its own proposal that
went through its advisory round and got its authors' response:

- scheduled: "Peer workers in Northside's supported housing" (``demo.advisory``): its
  response, published yesterday, scheduled the vote, which opens in about six days;
- open: "Overdose response training for families and friends", closing in under three
  days: ``voter1`` (Dee) and ``board1`` (Marcus) are in its electorate and have not
  voted, so a visitor can cast a ballot; ``voter2`` (Ahmed) has voted; one person
  changed their ballot with their receipt (``open_vote``);
- counting: "A warm room with naloxone at the Mill Lane hall this winter" closed about an
  hour before the demo was loaded. The demo does not finalise it: the minute sweep does,
  and the demo has no Celery beat, so it shows "counting" until someone runs
  ``manage.py sweep`` (which then publishes its result) (``counting``);
- finalised (``finalised``): adopted, "Sharps bins in six Northside parks and
  stairwells"; rejected, "A weekend drop-in at the Northside library, with a sign-in
  sheet": the electorate approved it, but the advisory bloc did not (dual majority)
  after the authors declined the board's condition; failed, "Evening hours at the
  hepatitis C clinic": brought forward by a facilitator, it drew too few ballots for the
  turnout quorum.

Votes run for weeks, beside the rounds of ``demo.advisory``, and the history must read
forward in time. So each vote's story is a generator that yields the moment of its next
step, and ``vote_timeline`` runs the steps in time order: the ones that fall before a
moment another loader's ``demo_clock`` moves to run first (``BEFORE_MOMENT``), and those
left over run when the other loaders are done.
"""

from __future__ import annotations

from demo.voting.counting import COUNTING
from demo.voting.finalised import ADOPTED, FAILED, REJECTED
from demo.voting.open_vote import OPEN, OPEN_VOTE_LOGINS, OPEN_VOTE_VOTED_LOGIN
from demo.voting.timeline import vote_timeline

__all__ = [
    "ADOPTED",
    "COUNTING",
    "FAILED",
    "OPEN",
    "OPEN_VOTE_LOGINS",
    "OPEN_VOTE_VOTED_LOGIN",
    "REJECTED",
    "VOTING_PROPOSALS",
    "vote_timeline",
]

VOTING_PROPOSALS = (OPEN, COUNTING, ADOPTED, REJECTED, FAILED)
