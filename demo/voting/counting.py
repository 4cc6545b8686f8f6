"""The vote that closed an hour before the demo was loaded, left for the minute sweep to
count."""

from __future__ import annotations

import datetime

from advisory.models import Answer
from demo.cast import Demo, V
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
        COUNTING.title,
        summary=(
            "From December to February, keep the Mill Lane community hall open every "
            "night as a warm room, with naloxone, a peer worker and hot food."
        ),
        body=(
            "## Why\n\n"
            "Two people died of an overdose outdoors last winter, alone in the cold. "
            "The shelters are full by nine.\n\n"
            "## What we would do\n\n"
            "- open from 9 pm to 7 am, every night from 1 December to 28 February\n"
            "- two staff on every night, one of them a peer worker trained in overdose "
            "response\n"
            "- hot food, blankets, naloxone, and nobody asked to leave for using"
        ),
        people_served="People who sleep outside or use drugs outdoors in Northside in winter.",
        spectrum_tags=["safer_use", "housing", "community"],
        wellbeing_outcomes=[
            {
                "outcome": "Nobody dies outdoors of an overdose or the cold this winter",
                "measure": "Deaths outdoors reported by the coroner, compared with last winter",
            },
            {
                "outcome": "People come in from the cold",
                "measure": "People staying each night",
            },
        ],
        risks_and_harms=(
            "People may use in the hall: staff are trained, carry naloxone and check on "
            "everyone every half hour. The neighbours may complain: we meet them before "
            "opening."
        ),
        cost="36000.00",
        review_date=demo.review_date(120),
    )
    yield from seven_reviews(
        demo,
        hall,
        20.0,
        [
            ("board1", V.ENDORSE, "Last winter was terrible. Please open it.", []),
            ("board2", V.ENDORSE, "A peer worker every night is the key to it.", []),
            (
                "board3",
                V.ENDORSE_WITH_CONDITIONS,
                "Yes, with one thing made plain.",
                [
                    "Nobody is turned away or asked to leave for having used, or for "
                    "carrying supplies."
                ],
            ),
            ("demo-board4", V.ENDORSE, "Warm, fed and safe: I endorse it.", []),
            ("demo-board5", V.ENDORSE, "The shelters are full by nine; this is needed.", []),
            ("demo-board6", V.ENDORSE, "Good, simple, and for the coldest months.", []),
            ("demo-board7", V.ABSTAIN, "I will be away all winter; I abstain.", []),
        ],
    )
    # The response just over a week before the vote opens, so that the vote (ten days,
    # the rulebook's window) closes about an hour before the demo is loaded.
    yield demo.start - datetime.timedelta(days=17, minutes=62)
    vote = respond(
        demo,
        hall,
        "Thank you all. We accept the condition and will post it on the hall's door.",
        [
            {
                "decision": Answer.Decision.ACCEPTED,
                "text": "Accepted: it is in the house rules, and staff are trained on it.",
            }
        ],
    )
    yield from opened(vote)
    yield demo.ago(6)
    ballots(vote, board=(4, 0, 1), electorate=(12, 2, 1), offset=5)
    yield from reminded(vote)
