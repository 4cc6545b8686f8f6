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
  changed their ballot with their receipt;
- counting: "A warm room with naloxone at the Mill Lane hall this winter" closed about an
  hour before the demo was loaded. The demo does not finalise it: the minute sweep does,
  and the demo has no Celery beat, so it shows "counting" until someone runs
  ``manage.py sweep`` (which then publishes its result);
- adopted: "Sharps bins in six Northside parks and stairwells";
- rejected: "A weekend drop-in at the Northside library, with a sign-in sheet": the
  electorate approved it, but the advisory bloc did not (dual majority) after the
  authors declined the board's condition;
- failed: "Evening hours at the hepatitis C clinic": brought forward by a facilitator,
  it drew too few ballots for the turnout quorum.

Votes run for weeks, beside the rounds of ``demo.advisory``, and the history must read
forward in time. So each vote's story is a generator that yields the moment of its next
step, and ``vote_timeline`` runs the steps in time order: the ones that fall before a
moment another loader's ``demo_clock`` moves to run first (``BEFORE_MOMENT``), and those
left over run when the other loaders are done.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from accounts.authority import Actor
from advisory.models import Answer, Round
from advisory.services import items_to_answer, response_publish
from demo.cast import Demo, V
from demo.clock import BEFORE_MOMENT, demo_clock
from demo.proposals import DemoProposal
from voting.models import Choice, Elector, Vote
from voting.services import (
    vote_bring_forward,
    vote_cast,
    vote_change,
    vote_finalise_if_due,
    vote_open_if_due,
    vote_remind_if_due,
)

OPEN = DemoProposal(
    "Overdose response training for families and friends",
    "its vote is open, closing in under three days: sign in as 'voter1' (or 'board1', "
    "for the advisory bloc) to vote; 'voter2' has voted",
)
COUNTING = DemoProposal(
    "A warm room with naloxone at the Mill Lane hall this winter",
    "its vote closed an hour before the demo was loaded and shows as counting until the "
    "minute sweep, which the demo runs while it serves, counts it in its first minute",
)
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
VOTING_PROPOSALS = (OPEN, COUNTING, ADOPTED, REJECTED, FAILED)
# Demo logins in the open vote's electorate who have not voted, and one who has.
OPEN_VOTE_LOGINS = ("voter1", "board1")
OPEN_VOTE_VOTED_LOGIN = "voter2"

# How long after a vote is due the demo's stand-in for the minute sweep opens, reminds
# or finalises it.
SWEEP = datetime.timedelta(minutes=1)

Story = Iterator[datetime.datetime]  # yields the moment of its next step


@contextmanager
def vote_timeline(*, start: datetime.datetime) -> Iterator[None]:
    """Put the demo's votes on the timeline while the other loaders run inside this
    block, then run what is left up to ``start`` (the moment the demo is loaded).
    Expects the people and the Northside space."""
    demo = Demo(start)
    due: list[tuple[datetime.datetime, int, Story]] = []
    order = itertools.count()

    def add(story: Story) -> None:
        moment = next(story, None)
        if moment is not None:
            heapq.heappush(due, (moment, next(order), story))

    finished = demo.start - datetime.timedelta(days=365)

    def run_until(moment: datetime.datetime) -> None:
        nonlocal finished
        while due and due[0][0] < moment:
            at, _order, story = heapq.heappop(due)
            # Two steps due at once run one after the other, never back in time.
            with demo_clock(max(at, finished)):
                following = next(story, None)  # runs the step, up to its next moment
                finished = timezone.now()
            if following is not None:
                heapq.heappush(due, (following, next(order), story))

    for story in (_adopted(demo), _rejected(demo), _failed(demo), _counting(demo), _open(demo)):
        add(story)
    BEFORE_MOMENT.append(run_until)
    try:
        yield
    finally:
        BEFORE_MOMENT.remove(run_until)
    run_until(start)


# --- The helpers the stories share -------------------------------------------------


def _ago(demo: Demo, days: float) -> datetime.datetime:
    return demo.start - datetime.timedelta(days=days)


def _review_date(demo: Demo, days: int) -> str:
    return (timezone.localdate(demo.start) + datetime.timedelta(days=days)).isoformat()


def _strong(demo: Demo, username: str) -> Actor:
    # A facilitator's session with the second factor: bringing a vote forward needs it.
    return Actor(user=demo.people[username], mfa=True, recently_authenticated=True)


def _respond(demo: Demo, round: Round, statement: str, answers: list[dict[str, str]]) -> Vote:
    """The authors' response, its answers in the order ``items_to_answer`` lists the
    items; publishing it schedules the vote, which is returned."""
    round.refresh_from_db()
    items = items_to_answer(round)
    assert len(items) == len(answers), (round, len(items))
    response_publish(
        actor=demo.as_("editor"),
        round=round,
        statement=statement,
        answers={item.key: answer for item, answer in zip(items, answers, strict=True)},
    )
    return Vote.objects.get(round=round)


def _ballots(
    vote: Vote,
    *,
    board: tuple[int, int, int],
    electorate: tuple[int, int, int],
    offset: int = 0,
    first: tuple[str, ...] = (),
    not_voting: tuple[str, ...] = (),
) -> dict[str, tuple[str, str]]:
    """Cast ballots in ``vote``: (approve, reject, abstain) counts for the advisory bloc
    and for the rest of the electorate, by people of its snapshot taken in a fixed order
    (rotated by ``offset``, so that different people vote in different votes; ``first``
    first; never ``not_voting``). Returns each voter's choice and receipt by username:
    only the demo, which casts for them all, could ever know both."""
    electors = list(Elector.objects.filter(vote=vote).select_related("user").order_by("user_id"))
    receipts: dict[str, tuple[str, str]] = {}
    for on_board, counts in ((True, board), (False, electorate)):
        group = [e.user for e in electors if e.on_board == on_board]
        group = group[offset % len(group) :] + group[: offset % len(group)]
        group.sort(key=lambda person: person.username not in first)  # stable
        voters = [person for person in group if person.username not in not_voting]
        choices = [Choice.APPROVE] * counts[0] + [Choice.REJECT] * counts[1]
        choices += [Choice.ABSTAIN] * counts[2]
        assert len(choices) <= len(voters)
        for person, choice in zip(voters, choices, strict=False):
            cast = vote_cast(actor=Actor(user=person), vote=vote, choice=choice)
            receipts[person.username] = (choice, cast.receipt)
    return receipts


def _open_and_count(vote: Vote, cast: dict[str, Any]) -> Story:
    """The vote's life after scheduling: the sweep opens it, people vote half-way
    through, the sweep reminds those who have not a day before the close, and
    finalises it at the close."""
    vote.refresh_from_db()
    yield vote.opens_at + SWEEP
    assert vote_open_if_due(vote=vote)
    vote.refresh_from_db()
    assert vote.opened_at is not None
    assert vote.close_at is not None
    yield vote.opened_at + (vote.close_at - vote.opened_at) / 2
    _ballots(vote, **cast)
    yield vote.close_at - datetime.timedelta(hours=23)
    assert vote_remind_if_due(vote=vote)
    yield vote.close_at + SWEEP
    assert vote_finalise_if_due(vote=vote)


def _seven_reviews(
    demo: Demo, round: Round, first_day: float, reviews: list[tuple[str, str, str, list[str]]]
) -> Story:
    """Each board member's review, one every few hours from ``first_day`` ago; the last
    closes the round, every seat having answered."""
    for number, (username, verdict, rationale, conditions) in enumerate(reviews):
        yield _ago(demo, first_day - 0.25 * number)
        demo.review(round, username, verdict, rationale, conditions=conditions or None)


# --- The stories, in the order their votes close -------------------------------------


def _adopted(demo: Demo) -> Story:
    """Six weeks ago: sharps bins, passed by the board, adopted by the vote three weeks
    ago with a clear majority of everyone and of the advisory bloc."""
    yield _ago(demo, 40.5)
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
        review_date=_review_date(demo, 320),
    )
    yield from _seven_reviews(
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
    yield _ago(demo, 38.3)
    vote = _respond(
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
    yield from _open_and_count(vote, {"board": (5, 0, 1), "electorate": (19, 4, 2), "offset": 0})


def _rejected(demo: Demo) -> Story:
    """The board passed the library drop-in with a condition the authors declined;
    in the vote most of the electorate approved, the advisory bloc did not, and under
    dual majority it was rejected."""
    yield _ago(demo, 39.9)
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
        review_date=_review_date(demo, 330),
    )
    yield from _seven_reviews(
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
    yield _ago(demo, 37.4)
    vote = _respond(
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
    yield from _open_and_count(vote, {"board": (2, 4, 0), "electorate": (16, 4, 2), "offset": 11})


def _failed(demo: Demo) -> Story:
    """The clinic's evening hours passed the board; a facilitator brought its vote
    forward to meet a funding deadline, and in a holiday week too few people voted."""
    yield _ago(demo, 39.4)
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
        review_date=_review_date(demo, 300),
    )
    yield from _seven_reviews(
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
    yield _ago(demo, 37.5)
    vote = _respond(
        demo,
        clinic,
        "Thank you. No conditions to answer; the text messages will say only the "
        "clinic's first name and a time.",
        [],
    )
    yield _ago(demo, 37.3)
    # The funder needed a decision before the end of the month; the rulebook lets a
    # facilitator bring a vote forward, never put it back.
    vote_bring_forward(
        actor=_strong(demo, "facilitator"),
        vote=vote,
        opens_at=_ago(demo, 34.4),
    )
    yield from _open_and_count(vote, {"board": (2, 0, 1), "electorate": (5, 1, 0), "offset": 23})


def _counting(demo: Demo) -> Story:
    """The Mill Lane warm room: its vote opened ten days ago and closed an hour before
    the demo was loaded. Not finalised here: the minute sweep would finalise it the
    first time it runs (the demo has none), so its page shows "counting" meanwhile."""
    yield _ago(demo, 20.2)
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
        review_date=_review_date(demo, 120),
    )
    yield from _seven_reviews(
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
    vote = _respond(
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
    vote.refresh_from_db()
    yield vote.opens_at + SWEEP
    assert vote_open_if_due(vote=vote)
    yield _ago(demo, 6)
    _ballots(vote, board=(4, 0, 1), electorate=(12, 2, 1), offset=5)
    vote.refresh_from_db()
    assert vote.close_at is not None
    yield vote.close_at - datetime.timedelta(hours=23)
    assert vote_remind_if_due(vote=vote)


def _open(demo: Demo) -> Story:
    """Family training: its vote opened a week ago and closes in under three days.
    ``voter1`` and ``board1`` have not voted; ``voter2`` has; one person changed their
    ballot with their receipt."""
    yield _ago(demo, 17.4)
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
        review_date=_review_date(demo, 340),
    )
    yield from _seven_reviews(
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
    yield _ago(demo, 14.2)
    vote = _respond(
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
    vote.refresh_from_db()
    yield vote.opens_at + SWEEP
    assert vote_open_if_due(vote=vote)
    yield _ago(demo, 4)
    receipts = _ballots(
        vote,
        board=(2, 0, 1),
        electorate=(8, 1, 2),
        offset=17,
        first=(OPEN_VOTE_VOTED_LOGIN,),
        not_voting=OPEN_VOTE_LOGINS,
    )
    yield _ago(demo, 2)
    # Someone who abstained changes their mind: their sign-in and their receipt.
    changer, (_choice, receipt) = next(
        (name, cast)
        for name, cast in receipts.items()
        if name.startswith("demo-voter") and cast[0] == Choice.ABSTAIN
    )
    vote_change(actor=demo.as_(changer), vote=vote, receipt=receipt, choice=Choice.APPROVE)
