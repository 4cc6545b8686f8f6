"""The night buses' open round: two sealed reviews, a recusal with its reason and a
thread between the board and the authors."""

from __future__ import annotations

import datetime

from advisory.services import recusal_declare
from demo.cast import Demo, V, current_round
from proposals.models import Proposal

# Who to sign in as to see what the sealed rounds keep from everyone else.
OWN_SEALED_REVIEW_LOGIN = "board1"
RECUSAL_REASON_LOGIN = "facilitator"


def load_open_round(*, start: datetime.datetime) -> None:
    """Reviews, a recusal and a thread in the night buses' open round, from the hours
    after ``demo.proposals`` submitted it (run that 22 hours before ``start``)."""
    demo = Demo(start)
    buses = current_round(Proposal.objects.get(draft__title="Naloxone kits on the night buses"))
    with demo.days_ago(0.85):
        demo.post(
            buses,
            "board1",
            "Thanks for bringing this. Two questions. Will the card say that naloxone can't "
            "hurt someone who hasn't taken opioids? People hesitate when they aren't sure. "
            "And after giving a dose, what are drivers told to do?",
        )
    with demo.days_ago(0.75):
        demo.post(
            buses,
            "editor",
            "Good questions. Yes: the card will say that naloxone is safe to give whenever "
            "you think someone might be overdosing. Drivers are trained to stop the bus, "
            "call an ambulance, give a dose and stay with the person until the crew "
            "arrives; control holds the route and sends another bus for the other "
            "passengers.",
        )
    with demo.days_ago(0.6):
        # Sealed until the round closes: only Marcus (board1) sees it meanwhile.
        demo.review(
            buses,
            "board1",
            V.ENDORSE_WITH_CONDITIONS,
            "Night buses are where a lot of us end up after a long night, and the driver "
            "is often the only other adult there. I once watched a driver stand by, "
            "wanting to help and not knowing how. I endorse this, with two conditions "
            "that keep the bus safe to ride for the people it is meant for.",
            conditions=[
                "The card says plainly that naloxone cannot harm someone who has not taken "
                "opioids, so nobody hesitates to give it.",
                "Drivers never record a passenger's name and call only the ambulance, never "
                "the police, after giving naloxone.",
            ],
        )
    with demo.days_ago(0.5):
        # A recusal is public; its reason is for the space's facilitators only.
        recusal_declare(
            actor=demo.as_("demo-board5"),
            round=buses,
            reason=(
                "My brother manages the depot that would store and check the kits, so I "
                "am stepping aside from this one."
            ),
        )
    with demo.days_ago(0.4):
        demo.post(
            buses,
            "board3",
            "Will drivers have to write down names, or call the police? If people think "
            "they will, they will walk home alone instead of taking the bus, and that is "
            "more dangerous.",
            anonymous=True,
        )
    with demo.days_ago(0.3):
        # Ines co-signs the proposal, so she answers as one of its authors.
        demo.post(
            buses,
            "board2",
            "No names and no police. The transit company and the union agreed that "
            "drivers record only the time, the stop and whether naloxone was given. I was "
            "on the calls where this was agreed, and I will make sure it holds.",
        )
    with demo.days_ago(0.15):
        demo.review(
            buses,
            "demo-board4",
            V.ENDORSE,
            "I ride the night bus home most nights. Naloxone behind the driver's seat and a "
            "driver who knows what to do could be the difference between a bad night and "
            "a death. Drivers asked for this themselves, and that matters.",
        )
