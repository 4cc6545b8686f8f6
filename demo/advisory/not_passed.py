"""The pharmacies' round, five weeks ago: the board sent it back, most of it asking for
changes, so the proposal is in revision."""

from __future__ import annotations

from demo import words
from demo.cast import Demo, V
from demo.proposals import DemoProposal

NOT_PASSED = DemoProposal(
    "Naloxone at every Northside pharmacy",
    "its advisory round did not pass (requests for changes and oppositions): back with "
    "its authors for revision",
)


def load_not_passed_round(demo: Demo) -> None:
    """Five weeks ago: a proposal the board sent back, most of it asking for changes."""
    with demo.days_ago(35):
        pharmacies = demo.submit_new(
            NOT_PASSED.title, **words.proposal("pharmacies"), review_date=demo.review_date(330)
        )
    with demo.days_ago(34.8):
        demo.post(
            pharmacies,
            "board2",
            "Thank you for getting twelve pharmacies on board; that is a real achievement. "
            "I have to be honest about the registration, though. Many of the people I work "
            "with will not give a name and a date of birth at a counter with a queue "
            "behind them. They will go without. Is it something the funder insists on?",
        )
    with demo.days_ago(34.5):
        demo.post(
            pharmacies,
            "editor",
            "It is what the funder asked for: they want to know the kits reach many "
            "different people, not the same few again and again. We are open to another "
            "way of showing that, if the board has one.",
        )
    with demo.days_ago(34.2):
        demo.post(
            pharmacies,
            "demo-board4",
            "Other cities ask one anonymous question when someone picks up a kit: is this "
            "your first one? That shows reach without a list of people.",
        )
    with demo.days_ago(33.9):
        demo.review(
            pharmacies,
            "board1",
            V.REQUEST_CHANGES,
            "Naloxone at every pharmacy is a good idea; the registration is not. Most "
            "people I know who use opioids will not give their name at a pharmacy "
            "counter. Take the registration out and count kits instead, and I will "
            "endorse it.",
        )
    with demo.days_ago(33.5):
        demo.review(
            pharmacies,
            "demo-board4",
            V.ENDORSE_WITH_CONDITIONS,
            "More naloxone in the neighbourhood saves lives, and the pharmacies are "
            "willing. I endorse it on one condition.",
            conditions=[
                "No name, date of birth or ID is asked for: reach is counted by kits and by "
                "one optional, anonymous question at the counter."
            ],
        )
    with demo.days_ago(33):
        demo.review(
            pharmacies,
            "board2",
            V.OPPOSE,
            "As written, this would keep naloxone from the people most likely to need it. "
            "People who have been through an arrest or a child protection case have good "
            "reasons not to put their name on a list, however carefully it is kept. I "
            "cannot support a register of people who use opioids.",
        )
    with demo.days_ago(32.6):
        demo.review(
            pharmacies,
            "demo-board7",
            V.ENDORSE,
            "Any new way to get naloxone into people's pockets is worth having, and the "
            "outreach van stays there for anyone who will not register. I endorse it, and "
            "I hope the authors listen to the rest of the board about the registration.",
        )
    with demo.days_ago(32.2):
        demo.review(
            pharmacies,
            "board3",
            V.REQUEST_CHANGES,
            "Please drop the name and the date of birth. Also ask the pharmacies to put "
            "kits where people can take one without having to ask for it.",
        )
    with demo.days_ago(31.7):
        demo.review(
            pharmacies,
            "demo-board6",
            V.REQUEST_CHANGES,
            "The how-to is a good idea if it stays optional. The registration is the "
            "problem: please find another way to show the funder the kits reach people.",
        )
    with demo.days_ago(31.3):
        # The last seat answers: every member has, so the round closes, not passed.
        demo.review(
            pharmacies,
            "demo-board5",
            V.OPPOSE,
            "I was once turned away at a pharmacy counter and did not go back for years. "
            "A registration would bring that feeling back for a lot of people. I oppose "
            "this version, and would be glad to see it again without the registration.",
            anonymous=True,
        )
    with demo.days_ago(30.9):
        demo.post(
            pharmacies,
            "editor",
            "Thank you, all of you. We will take the anonymous question back to the funder "
            "and submit a new version without any registration.",
        )
