"""The open vote, closing in under three days, in which a visitor can cast a ballot."""

from __future__ import annotations

from demo.cast import Demo
from demo.proposals import DemoProposal
from demo.voting.steps import Story, ballots, opened, to_the_vote
from voting.models import Choice
from voting.services import vote_change

OPEN = DemoProposal(
    "Overdose response training for families and friends",
    "its vote is open, closing in under three days: sign in as 'voter1' (or 'board1', "
    "for the advisory bloc) to vote; 'voter2' has voted",
)
# Demo logins in the open vote's electorate who have not voted, and one who has.
OPEN_VOTE_LOGINS = ("voter1", "board1")
OPEN_VOTE_VOTED_LOGIN = "voter2"


def open_story(demo: Demo) -> Story:
    """Family training: its vote opened a week ago and closes in under three days.
    ``voter1`` and ``board1`` have not voted; ``voter2`` has; one person changed their
    ballot with their receipt."""
    vote = yield from to_the_vote(
        demo,
        "families",
        OPEN.title,
        submitted=17.4,
        reviewed_from=17.2,
        responded=demo.ago(14.2),
        review_in_days=340,
    )
    yield from opened(vote)
    yield demo.ago(4)
    receipts = ballots(
        vote,
        board=(2, 0, 1),
        electorate=(8, 1, 2),
        offset=17,
        first=(OPEN_VOTE_VOTED_LOGIN,),
        not_voting=OPEN_VOTE_LOGINS,
    )
    yield demo.ago(2)
    # Someone who abstained changes their mind: their sign-in and their receipt.
    changer, (_choice, receipt) = next(
        (name, cast)
        for name, cast in receipts.items()
        if name.startswith("demo-voter") and cast[0] == Choice.ABSTAIN
    )
    vote_change(actor=demo.as_(changer), vote=vote, receipt=receipt, choice=Choice.APPROVE)
