"""The demo's advisory review rounds in Northside, made only through ``advisory.services``
(and ``proposals.services`` for the two proposals added here).

One round for each situation a visitor should be able to see:

- open: "Naloxone kits on the night buses" has two sealed reviews (``board1`` sees their
  own), a recusal with a reason (for facilitators' eyes) and a thread between the board
  and the authors;
- overdue: "A peer-run line for people who use alone" is past its deadline one answer
  short of a quorum; ``board1`` has not answered, so their review closes it;
- passed: "Peer workers in Northside's supported housing", every seat answered, and the
  response Outreach Collective published (a condition accepted, one declined, a request
  for changes answered);
- not passed: "Naloxone at every Northside pharmacy", back in revision;
- superseded and ended by withdrawal: the vending machines' first version and the van
  (``demo.proposals``).

A round freezes its deadline when it opens, so an overdue round can only be shown by
opening it in the past: the demo runs its history on a timeline, each step under
``demo_clock``, from the space's set-up six weeks ago to a few hours ago, in the order
the steps happened, so the decision history reads forward in time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from unittest import mock

from django.utils import timezone

from accounts.authority import Actor
from accounts.models import User
from advisory.models import Answer, Review, Round
from advisory.services import (
    items_to_answer,
    message_post,
    recusal_declare,
    response_publish,
    review_give,
    round_remind_if_due,
)
from demo.proposals import DemoProposal, load_community_proposal
from organisations.models import Organisation
from proposals.models import Proposal
from proposals.services import proposal_create_draft, proposal_submit, proposal_update_draft
from spaces.models import DecisionSpace

PASSED = DemoProposal(
    "Peer workers in Northside's supported housing",
    "its advisory round passed (all seven answered) and Outreach Collective published "
    "its response: awaiting a vote",
)
NOT_PASSED = DemoProposal(
    "Naloxone at every Northside pharmacy",
    "its advisory round did not pass (requests for changes and oppositions): back with "
    "its authors for revision",
)
ADVISORY_PROPOSALS = (PASSED, NOT_PASSED)
# Who to sign in as to see what the sealed rounds keep from everyone else.
OWN_SEALED_REVIEW_LOGIN = "board1"
RECUSAL_REASON_LOGIN = "facilitator"

SPACE_SET_UP = datetime.timedelta(days=42)
FIRST_PROPOSALS = datetime.timedelta(hours=22)

V = Review.Verdict

# Called with each moment before the clock moves to it, so that steps other loaders put
# on the same timeline (demo.voting's votes, which run for weeks beside these rounds)
# run first when they fall earlier: the history then reads forward in time.
BEFORE_MOMENT: list[Callable[[datetime.datetime], None]] = []


@contextmanager
def demo_clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as if it were ``moment`` (a past moment), the clock ticking on.

    The services read two clocks. ``db_now()`` (advisory.services for a round's opening,
    deadline and close; voting.services for a vote's opening, close and finalisation;
    spaces.services and organisations.services for memberships' start and end;
    history.services for each event's time; voting.selectors, which only reads) asks
    PostgreSQL for its time, so it is patched with ``unittest.mock`` here.
    ``timezone.now()`` stamps proposals.services' versions and submissions, reviews and
    messages, and is the default of fields such as ``Proposal.created_at``; a field
    default holds the function itself, out of ``mock``'s reach, so time-machine moves
    the wall clock that ``timezone.now()`` reads. Demo only: nothing on a server sets
    the clock back.
    """
    import time_machine  # a development dependency, like everything the demo needs

    for catch_up in list(BEFORE_MOMENT):
        catch_up(moment)
    with (
        time_machine.travel(moment, tick=True),
        mock.patch("advisory.services.db_now", timezone.now),
        mock.patch("history.services.db_now", timezone.now),
        mock.patch("organisations.services.db_now", timezone.now),
        mock.patch("spaces.services.base.db_now", timezone.now),
        mock.patch("voting.services.db_now", timezone.now),
        mock.patch("voting.selectors.db_now", timezone.now),
    ):
        yield


class _Demo:
    """The cast and the clock shared by the loaders."""

    def __init__(self, start: datetime.datetime) -> None:
        self.start = start
        self.people = {person.username: person for person in User.objects.all()}
        self.usernames = {person.pk: username for username, person in self.people.items()}
        self.space = DecisionSpace.objects.get(slug="northside")
        self.outreach = Organisation.objects.get(name="Outreach Collective")

    def as_(self, username: str) -> Actor:
        # A signed-in session: reviewing, posting and responding need no second factor.
        return Actor(user=self.people[username])

    def days_ago(self, days: float) -> AbstractContextManager[None]:
        return demo_clock(self.start - datetime.timedelta(days=days))

    def review(
        self,
        round: Round,
        username: str,
        verdict: str,
        rationale: str,
        *,
        conditions: list[str] | None = None,
        anonymous: bool = False,
    ) -> Review:
        return review_give(
            actor=self.as_(username),
            round=round,
            verdict=verdict,
            rationale=rationale,
            conditions=conditions,
            shown_as_advisory_member=anonymous,
        ).review

    def post(self, round: Round, username: str, body: str, *, anonymous: bool = False) -> None:
        message_post(
            actor=self.as_(username), round=round, body=body, shown_as_advisory_member=anonymous
        )

    def submit_new(self, title: str, **content: Any) -> Round:
        editor = self.as_("editor")
        proposal = proposal_create_draft(
            actor=editor, space=self.space, organisation=self.outreach, title=title
        )
        proposal_update_draft(actor=editor, proposal=proposal, **content)
        proposal_submit(actor=editor, proposal=proposal)
        return _current_round(proposal)


def _current_round(proposal: Proposal) -> Round:
    proposal.refresh_from_db()
    return Round.objects.get(proposal=proposal, version_id=proposal.current_version_id)


def _review_date(start: datetime.datetime, days: int) -> str:
    return (timezone.localdate(start) + datetime.timedelta(days=days)).isoformat()


def load_closed_and_overdue_rounds(*, start: datetime.datetime) -> None:
    """The rounds that began before the first five proposals (``start`` is the real
    moment the demo is loaded): one not passed five weeks ago, one overdue since a week
    ago, one passed with its response yesterday."""
    demo = _Demo(start)
    _not_passed(demo)
    _overdue(demo)
    _passed(demo)


def load_open_round(*, start: datetime.datetime) -> None:
    """Reviews, a recusal and a thread in the night buses' open round, from the hours
    after ``demo.proposals`` submitted it (run that 22 hours before ``start``)."""
    demo = _Demo(start)
    buses = _current_round(Proposal.objects.get(draft__title="Naloxone kits on the night buses"))
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


def _not_passed(demo: _Demo) -> None:
    """Five weeks ago: a proposal the board sent back, most of it asking for changes."""
    with demo.days_ago(35):
        pharmacies = demo.submit_new(
            NOT_PASSED.title,
            summary=(
                "Free nasal naloxone at all twelve pharmacies in Northside, handed out to "
                "anyone who asks after a short registration at the counter."
            ),
            body=(
                "## Why\n\n"
                "Most overdoses in Northside happen at home, a few streets from a pharmacy "
                "that is open late. Our van reaches people four evenings a week; "
                "pharmacies are open every day.\n\n"
                "## What we would do\n\n"
                "- a kit with two doses of nasal naloxone, free, at every pharmacy counter\n"
                "- a ten-minute how-to from the pharmacist, offered and never required\n"
                "- a registration with name and date of birth, so that the funder can see "
                "how many different people were reached\n\n"
                "The pharmacists' association has agreed to take part. We, not the "
                "pharmacies, would keep the registrations, for one year."
            ),
            people_served=(
                "People who use opioids in Northside, and their friends, families and neighbours."
            ),
            spectrum_tags=["safer_use", "health", "community"],
            wellbeing_outcomes=[
                {
                    "outcome": "More people carry naloxone",
                    "measure": "Kits handed out each month, and how many different people "
                    "received one",
                },
                {
                    "outcome": "Overdoses at home are reversed before the ambulance arrives",
                    "measure": "Reversals reported when a used kit is replaced",
                },
            ],
            risks_and_harms=(
                "Some people may not want to register: the how-to is optional and the "
                "registrations are kept for one year only. Pharmacies may run out: we "
                "restock them every week."
            ),
            cost="9600.00",
            review_date=_review_date(demo.start, 330),
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


def _overdue(demo: _Demo) -> None:
    """Three weeks ago: the community line's round opened; its deadline passed a week ago
    with three answers of the four a quorum needs (the rulebook's minimum of four reviews;
    half of the five seats left after its two authors' recusals would be three), so it
    stays open, overdue."""
    with demo.days_ago(21):
        line = _current_round(load_community_proposal())
    with demo.days_ago(20.6):
        demo.post(
            line,
            "demo-board6",
            "Thank you for writing this, Ines. One question: if the ambulance service says "
            "it must bring the police to some addresses anyway, will the peer tell the "
            "caller before they hang up? People need to know what to expect.",
        )
    with demo.days_ago(20.3):
        demo.post(
            line,
            "board2",
            "Yes, always. At the start of every call the peer says what can happen if they "
            "have to send help, and that the caller can hang up at any time. We have asked "
            "the ambulance service for its written policy and will post it here as soon as "
            "we have it.",
        )
    with demo.days_ago(19.4):
        demo.review(
            line,
            "demo-board4",
            V.ENDORSE,
            "This is what many of us have asked for for years. An ambulance and not the "
            "police is exactly right, and deleting the address after a safe call will make "
            "people trust the line.",
        )
    with demo.days_ago(16.2):
        demo.review(
            line,
            "demo-board5",
            V.REQUEST_CHANGES,
            "I want this line to exist. Before I can endorse it, please add two things: "
            "how callers who do not speak English will be served, and what the peer does "
            "when no ambulance can come quickly (a neighbour with naloxone, or a second "
            "contact the caller chooses).",
        )
    with demo.days_ago(12.5):
        demo.review(
            line,
            "demo-board6",
            V.ABSTAIN,
            "I volunteered on a line like this in another city, and I am still weighing "
            "what I learned there about how tiring the work is for peers. I abstain, and "
            "my answer still counts towards the quorum.",
        )
    with demo.days_ago(6.8):
        # The minute sweep's reminder to the whole board and the facilitators.
        round_remind_if_due(round=line)
    with demo.days_ago(6.6):
        # T. co-signs the proposal, so they post as one of its authors.
        demo.post(
            line,
            "board3",
            "The review has passed its deadline one answer short of a quorum, so the "
            "proposal cannot move either way. If you are on the board and have not looked "
            "at it yet, any answer helps, an abstention too. Thank you to those who have.",
        )


def _passed(demo: _Demo) -> None:
    """Last week: every seat answered and the round passed; yesterday the authors
    published their response, so a vote can be scheduled."""
    with demo.days_ago(6.3):
        housing = demo.submit_new(
            PASSED.title,
            summary=(
                "Two paid peer workers for the Canal Street and Mill Lane supported "
                "housing, who check in with residents in the evenings, keep naloxone on "
                "every floor and help people keep their homes."
            ),
            body=(
                "## Why\n\n"
                "Four of the eleven people who died of an overdose in Northside last year "
                "died in supported housing, most of them in the evening, behind a closed "
                "door. Residents tell us they would rather talk to someone who has been "
                "where they are than to a manager.\n\n"
                "## What the peer workers do\n\n"
                "- evening check-ins with residents, especially people known to use alone\n"
                "- naloxone in a marked box on every floor, refilled weekly, and training "
                "for any resident who wants it\n"
                "- help with rent arrears, benefits and the landlord, so that nobody loses "
                "their home over a bad month\n\n"
                "## Who they are\n\n"
                "Two posts of 30 hours a week for people with lived experience of drug "
                "use, paid on the same scale as the support staff, with supervision every "
                "two weeks and paid time off after a hard night."
            ),
            people_served=(
                "Residents of the Canal Street and Mill Lane supported housing, about 90 people."
            ),
            spectrum_tags=["housing", "safer_use", "community"],
            wellbeing_outcomes=[
                {
                    "outcome": "Overdoses in the two buildings are reversed in time",
                    "measure": "Naloxone uses and their outcomes, from the peer workers' log",
                },
                {
                    "outcome": "Residents keep their homes",
                    "measure": "Tenancies ended by the landlords, compared with the year before",
                },
            ],
            risks_and_harms=(
                "Residents may feel watched: the peer workers explain what they are there "
                "for and never report anyone's drug use to the landlords. The work is hard: "
                "the peer workers have supervision and paid time off after a hard night."
            ),
            cost="78000.00",
            review_date=_review_date(demo.start, 360),
        )
    with demo.days_ago(5.9):
        demo.post(
            housing,
            "board1",
            "Will the two posts go to people with their own experience of drug use, and "
            "will they be paid the same as the other staff? Peer work is too often asked "
            "for as a favour.",
        )
    with demo.days_ago(5.6):
        demo.post(
            housing,
            "editor",
            "Yes to both. Both posts are for people with lived experience of drug use, on "
            "the same pay scale as the support staff, with supervision every two weeks.",
        )
    with demo.days_ago(5.2):
        demo.review(
            housing,
            "board1",
            V.ENDORSE,
            "Peer workers saved my life more than once, and supported housing is where "
            "people use alone most. Naloxone on every floor should have come years ago. I "
            "endorse this.",
        )
    with demo.days_ago(4.8):
        demo.review(
            housing,
            "board2",
            V.ENDORSE_WITH_CONDITIONS,
            "I support this and would like to see it in more buildings. I add two "
            "conditions, because housing is where people have the most to lose.",
            conditions=[
                "No resident is evicted or warned for an overdose, or for having naloxone "
                "or injecting and smoking supplies in their room; both landlords agree to "
                "this in writing before the posts start.",
                "At least one of the two posts goes to a current or former resident of the "
                "two buildings.",
            ],
        )
    with demo.days_ago(4.1):
        demo.review(
            housing,
            "demo-board4",
            V.REQUEST_CHANGES,
            "I support peer workers in housing. But checking in on 'people known to use "
            "alone' means someone keeps a list of who uses, and even with kind intentions "
            "that feels like being watched. Please make check-ins something residents "
            "ask for, and say what is written down about them.",
        )
    with demo.days_ago(3.7):
        demo.review(
            housing,
            "board3",
            V.ENDORSE,
            "I lived at Mill Lane for two years. The staff there mean well but do not know "
            "what to do when someone overdoses. Peers on site will make people safer and "
            "less afraid to ask for help.",
            anonymous=True,
        )
    with demo.days_ago(3.2):
        demo.review(
            housing,
            "demo-board5",
            V.ENDORSE,
            "A clear plan with a fair budget, and outcomes the residents themselves would "
            "notice. Pay the peer workers properly and look after them after hard nights; "
            "the proposal does both.",
        )
    with demo.days_ago(2.6):
        demo.review(
            housing,
            "demo-board6",
            V.ABSTAIN,
            "I have not been able to visit either building or talk with residents there, "
            "so I do not feel I can judge this one. I abstain.",
        )
    with demo.days_ago(2.1):
        # The last seat answers: every member has, so the round closes, and it passed.
        demo.review(
            housing,
            "demo-board7",
            V.ENDORSE,
            "Yes. Please make sure the naloxone boxes are where residents can reach them "
            "at night without asking staff.",
        )
    with demo.days_ago(1.2):
        answers: dict[str, dict[str, str]] = {}
        for item in items_to_answer(housing):
            reviewer = demo.usernames[item.review.user_id]
            answers[item.key] = RESPONSE[(reviewer, item.condition_index)]
        response_publish(
            actor=demo.as_("editor"),
            round=housing,
            statement=(
                "Thank you to everyone on the board for your time and your honesty. We "
                "accept the first condition as a commitment, decline the second with our "
                "reasons, and answer the request for changes below. What we promise here "
                "is part of what Northside will vote on."
            ),
            answers=answers,
        )


# The response to the passed round: (reviewer, condition index or None for a request for
# changes) -> the answer.
RESPONSE: dict[tuple[str, int | None], dict[str, str]] = {
    ("board2", 0): {
        "decision": Answer.Decision.ACCEPTED,
        "text": "Both landlords have agreed. The signed letters will be posted in this "
        "thread before either post starts, and the peer workers will carry copies to show "
        "residents.",
    },
    ("board2", 1): {
        "decision": Answer.Decision.DECLINED,
        "text": "We will invite residents to apply first, interview every resident who "
        "does and put two residents on the hiring panel. But we will not reserve a post: "
        "working where you live can mean being on call for your neighbours day and night, "
        "and residents told us they would not want that for anyone.",
    },
    ("demo-board4", None): {
        "text": "You are right, and we commit to it here. Check-ins will be only for "
        "residents who ask for them, in the way they choose (a knock, a text message or a "
        "note under the door), and they can stop them at any time. No list of who uses "
        "drugs will be kept: the peer workers' log records only that a check-in happened "
        "and whether naloxone was used.",
    },
}
