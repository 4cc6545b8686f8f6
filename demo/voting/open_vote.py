"""The open vote, closing in under three days, in which a visitor can cast a ballot."""

from __future__ import annotations

from demo.cast import Demo, V
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
        OPEN.title,
        summary=(
            "Monthly evening sessions, led by peers, where families, friends and "
            "neighbours of people who use drugs learn to recognise an overdose and "
            "respond; everyone leaves with a naloxone kit."
        ),
        body=(
            "## Why\n\n"
            "When someone overdoses at home, the first person there is usually family "
            "or a friend. Many of them have told us they would not know what to do.\n\n"
            "## What we would do\n\n"
            "- a 90-minute session every month at the health centre, in English and "
            "Spanish\n"
            "- led by peers who have reversed overdoses themselves\n"
            "- a naloxone kit for everyone, and a card with the five steps\n"
            "- a quiet half hour at the end for families who want to talk"
        ),
        people_served=(
            "Families, friends and neighbours of people who use drugs in Northside, "
            "and through them, people who use drugs at home."
        ),
        spectrum_tags=["safer_use", "community", "health"],
        wellbeing_outcomes=[
            {
                "outcome": "Families can respond to an overdose",
                "measure": "Confidence asked before and after each session",
            },
            {
                "outcome": "Overdoses at home are reversed",
                "measure": "Reversals reported when a used kit is replaced",
            },
        ],
        risks_and_harms=(
            "Sessions can bring up grief: a peer stays for the quiet half hour. Families "
            "may see drug use only as a danger: the peers talk about respect and about "
            "keeping the person who uses drugs in the conversation."
        ),
        cost="9800.00",
        review_date=demo.review_date(340),
    )
    yield from seven_reviews(
        demo,
        families,
        17.2,
        [
            ("board1", V.ENDORSE, "My mother saved my life with naloxone. Yes.", []),
            ("board2", V.ENDORSE, "Peers leading it makes all the difference.", []),
            (
                "board3",
                V.ENDORSE,
                "Families are often the first there. Give them the tools.",
                [],
            ),
            (
                "demo-board4",
                V.REQUEST_CHANGES,
                "Please make sure the sessions never turn into advice on how to make "
                "someone stop using: that is not what they are for.",
                [],
            ),
            ("demo-board5", V.ENDORSE, "Good plan, fair cost.", []),
            ("demo-board6", V.ENDORSE, "The quiet half hour is a kind touch.", []),
            ("demo-board7", V.ENDORSE, "Spanish sessions too: thank you.", []),
        ],
    )
    yield demo.ago(14.2)
    vote = respond(
        demo,
        families,
        "Thank you for letting this through. We answer the request below.",
        [
            {
                "text": "Agreed: the sessions are about keeping people alive. The peers "
                "will say at the start that nobody is there to make anyone stop, and "
                "point families to other help only if they ask.",
            }
        ],
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
