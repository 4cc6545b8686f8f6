"""The three finalised votes, in the order they closed three weeks ago: adopted,
rejected under dual majority, and failed for want of a quorum."""

from __future__ import annotations

from advisory.models import Answer
from demo.cast import Demo, V
from demo.proposals import DemoProposal
from demo.voting.steps import Story, open_and_count, respond, seven_reviews
from voting.services import vote_bring_forward

ADOPTED = DemoProposal(
    "Sharps bins in six Northside parks and stairwells",
    "voted on three weeks ago: adopted",
)
REJECTED = DemoProposal(
    "A weekend drop-in at the Northside library, with a sign-in sheet",
    "voted on three weeks ago: rejected, because the advisory board's members voted "
    "against it (dual majority), though most of the electorate approved",
)
FAILED = DemoProposal(
    "Evening hours at the hepatitis C clinic",
    "its vote was brought forward by a facilitator and failed: too few people voted for "
    "the turnout quorum",
)


def adopted_story(demo: Demo) -> Story:
    """Six weeks ago: sharps bins, passed by the board, adopted by the vote three weeks
    ago with a clear majority of everyone and of the advisory bloc."""
    yield demo.ago(40.5)
    bins = demo.submit_new(
        ADOPTED.title,
        summary=(
            "Sturdy bins for used needles and syringes in six places where people inject "
            "outdoors, emptied every day by our outreach team."
        ),
        body=(
            "## Why\n\n"
            "People who inject outdoors have nowhere safe to leave used equipment, and "
            "neighbours find it in the parks and stairwells. A bin close by is safer for "
            "everyone.\n\n"
            "## What we would do\n\n"
            "- six steel bins: Riverside Park, Canal Street steps, the Mill Lane "
            "stairwells and three places the outreach team already visits\n"
            "- emptied daily by outreach workers, who carry naloxone and sterile supplies\n"
            "- a small sign with our phone number, and no cameras"
        ),
        people_served=(
            "People who inject drugs outdoors in Northside, and the neighbours who share "
            "those places."
        ),
        spectrum_tags=["safer_use", "community"],
        wellbeing_outcomes=[
            {
                "outcome": "Fewer used needles left in public places",
                "measure": "Needles found by the council's street cleaners each month, "
                "compared with last year",
            },
            {
                "outcome": "People who inject outdoors meet outreach workers more often",
                "measure": "Conversations logged by the team at the six bins",
            },
        ],
        risks_and_harms=(
            "A bin can draw police attention to a place: the council has agreed in "
            "writing that the bins are not watched or filmed. Bins can be forced open: "
            "they are steel and bolted down."
        ),
        cost="7200.00",
        review_date=demo.review_date(320),
    )
    yield from seven_reviews(
        demo,
        bins,
        40.2,
        [
            (
                "board1",
                V.ENDORSE,
                "Simple and overdue. People want to get rid of their equipment safely; "
                "give them somewhere to do it.",
                [],
            ),
            (
                "board2",
                V.ENDORSE_WITH_CONDITIONS,
                "I endorse this. A bin should never become a place where people are "
                "stopped and searched.",
                [
                    "The council confirms in writing, before the bins go in, that nobody "
                    "near a bin is stopped or searched because of it."
                ],
            ),
            ("board3", V.ENDORSE, "Yes. The Canal Street steps need this most.", []),
            (
                "demo-board4",
                V.ENDORSE,
                "Daily emptying by the outreach team, not a contractor, is the right call.",
                [],
            ),
            (
                "demo-board5",
                V.ENDORSE,
                "Good for the people who inject outdoors and for the neighbours alike.",
                [],
            ),
            (
                "demo-board6",
                V.ABSTAIN,
                "I live next to one of the sites and would rather not weigh in.",
                [],
            ),
            ("demo-board7", V.ENDORSE, "Cheap, practical and kind. I endorse it.", []),
        ],
    )
    yield demo.ago(38.3)
    vote = respond(
        demo,
        bins,
        "Thank you to the board. We accept the condition, and will not put in a single "
        "bin before the council's letter is public.",
        [
            {
                "decision": Answer.Decision.ACCEPTED,
                "text": "The council has confirmed it in writing. The bins go in only "
                "once that letter is public.",
            }
        ],
    )
    yield from open_and_count(vote, {"board": (5, 0, 1), "electorate": (19, 4, 2), "offset": 0})


def rejected_story(demo: Demo) -> Story:
    """The board passed the library drop-in with a condition the authors declined;
    in the vote most of the electorate approved, the advisory bloc did not, and under
    dual majority it was rejected."""
    yield demo.ago(39.9)
    library = demo.submit_new(
        REJECTED.title,
        summary=(
            "A drop-in on Saturday and Sunday afternoons in the library's community "
            "room: somewhere warm, coffee, naloxone, wound care and a peer worker to talk "
            "to. Visitors write their first name on a sign-in sheet."
        ),
        body=(
            "## Why\n\n"
            "Every service we run is closed at weekends, when people who use drugs have "
            "nowhere to go but the street. The library has offered its community room.\n\n"
            "## What we would do\n\n"
            "- open from 1 pm to 6 pm on Saturdays and Sundays\n"
            "- coffee and food, naloxone kits, sterile supplies, basic wound care\n"
            "- a peer worker and a nurse on every shift\n\n"
            "The library's insurer asks for a sign-in sheet with a first name for every "
            "visitor; the library keeps it for three months."
        ),
        people_served="People who use drugs in Northside, at weekends.",
        spectrum_tags=["safer_use", "health", "community"],
        wellbeing_outcomes=[
            {
                "outcome": "People have a warm, safe place at weekends",
                "measure": "Visits each weekend, counted by the sign-in sheet",
            },
            {
                "outcome": "Wounds are treated before they become serious",
                "measure": "Wound-care visits, and referrals to the health centre",
            },
        ],
        risks_and_harms=(
            "Some people will not write their name down: a first name is enough, and "
            "any name will do. Library users may object: the room has its own entrance."
        ),
        cost="26000.00",
        review_date=demo.review_date(330),
    )
    yield from seven_reviews(
        demo,
        library,
        39.65,
        [
            (
                "board1",
                V.ENDORSE_WITH_CONDITIONS,
                "Weekends are when we have nowhere to go, so I want this. But a list of "
                "names at the door will keep people away.",
                [
                    "No sign-in sheet: visitors are counted with a tally at the door, and "
                    "nobody is asked for a name."
                ],
            ),
            (
                "board2",
                V.ENDORSE,
                "A peer worker and a nurse every weekend is exactly what is missing.",
                [],
            ),
            ("board3", V.ENDORSE, "Warm, open, with coffee: people will come.", []),
            (
                "demo-board4",
                V.REQUEST_CHANGES,
                "Please find another way to satisfy the insurer than a list of visitors. "
                "A library keeps records, and records get asked for.",
                [],
            ),
            (
                "demo-board5",
                V.ENDORSE,
                "The library offering its room is a rare chance. I endorse it.",
                [],
            ),
            (
                "demo-board6",
                V.ENDORSE,
                "Wound care at weekends will save people a trip to the emergency room.",
                [],
            ),
            (
                "demo-board7",
                V.ABSTAIN,
                "I work at the library, so I abstain on this one.",
                [],
            ),
        ],
    )
    yield demo.ago(37.4)
    vote = respond(
        demo,
        library,
        "Thank you for your reviews. We tried hard to drop the sign-in sheet and could "
        "not: we explain why below, and we understand if the board votes against it.",
        [
            {
                "decision": Answer.Decision.DECLINED,
                "text": "The library's insurer will not cover the room without a "
                "sign-in sheet, and no other room is free at weekends. Any name will do, "
                "and the sheet is kept by the library for three months only.",
            },
            {
                "text": "We asked the insurer twice for another way, including a tally "
                "at the door; both times it said no. We will keep asking, and bring a "
                "new version to the board if it changes its mind.",
            },
        ],
    )
    yield from open_and_count(vote, {"board": (2, 4, 0), "electorate": (16, 4, 2), "offset": 11})


def failed_story(demo: Demo) -> Story:
    """The clinic's evening hours passed the board; a facilitator brought its vote
    forward to meet a funding deadline, and in a holiday week too few people voted."""
    yield demo.ago(39.4)
    clinic = demo.submit_new(
        FAILED.title,
        summary=(
            "Open the health centre's hepatitis C clinic on Tuesday and Thursday "
            "evenings, with a peer navigator who helps people through testing and "
            "treatment."
        ),
        body=(
            "## Why\n\n"
            "Hepatitis C can be cured with a few months of tablets, but the clinic is "
            "open only in working hours, and many people who inject miss appointments "
            "they cannot make.\n\n"
            "## What we would do\n\n"
            "- two evening sessions a week, 5 pm to 8 pm, walk-in\n"
            "- a peer navigator who has been through treatment, to explain the tests "
            "and follow up by text message\n"
            "- no one turned away for using drugs during treatment"
        ),
        people_served="People who inject drugs in Northside, and their partners.",
        spectrum_tags=["health", "treatment_access"],
        wellbeing_outcomes=[
            {
                "outcome": "More people are tested and cured",
                "measure": "Tests, treatments started and cures confirmed, by quarter",
            }
        ],
        risks_and_harms=(
            "A positive result is hard news: the peer navigator is there for the "
            "conversation after. Evening staff cost more: the health authority pays for "
            "the first year."
        ),
        cost="21000.00",
        review_date=demo.review_date(300),
    )
    yield from seven_reviews(
        demo,
        clinic,
        39.1,
        [
            ("board1", V.ENDORSE, "I was cured at that clinic. Evenings would help many.", []),
            ("board2", V.ENDORSE, "Walk-in and a peer navigator: yes.", []),
            ("board3", V.ENDORSE, "Good. Please keep the text messages discreet.", []),
            ("demo-board4", V.ENDORSE, "Overdue. I endorse it.", []),
            ("demo-board5", V.ENDORSE, "Nobody turned away for using drugs: thank you.", []),
            (
                "demo-board6",
                V.ABSTAIN,
                "I have not used the clinic and have no view to add.",
                [],
            ),
            ("demo-board7", V.ENDORSE, "A small change that can save lives.", []),
        ],
    )
    yield demo.ago(37.5)
    vote = respond(
        demo,
        clinic,
        "Thank you. No conditions to answer; the text messages will say only the "
        "clinic's first name and a time.",
        [],
    )
    yield demo.ago(37.3)
    # The funder needed a decision before the end of the month; the rulebook lets a
    # facilitator bring a vote forward, never put it back.
    vote_bring_forward(
        actor=demo.strong("facilitator"),
        vote=vote,
        opens_at=demo.ago(34.4),
    )
    yield from open_and_count(vote, {"board": (2, 0, 1), "electorate": (5, 1, 0), "offset": 23})
