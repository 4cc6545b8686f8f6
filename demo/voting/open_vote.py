"""The open vote, closing in under three days, in which a visitor can cast a ballot."""

from __future__ import annotations

from demo import words
from demo.cast import Demo
from demo.proposals import DemoProposal
from demo.voting.steps import Story, ballots, opened, respond, seven_reviews
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
    yield demo.ago(17.4)
    families = demo.submit_new(
        OPEN.title, **words.proposal("families"), review_date=demo.review_date(340)
    )
    yield from seven_reviews(demo, families, 17.2, words.reviews("families"))
    yield demo.ago(14.2)
    vote = respond(demo, families, *words.response("families"))
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
