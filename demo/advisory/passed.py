"""The supported housing's round: every seat answered last week and it passed; yesterday
the authors published their response, which scheduled its vote (``demo.voting``)."""

from __future__ import annotations

from advisory.models import Answer
from advisory.selectors import items_to_answer
from advisory.services import response_publish
from demo import words
from demo.cast import Demo, V
from demo.proposals import DemoProposal

PASSED = DemoProposal(
    "Peer workers in Northside's supported housing",
    "its advisory round passed (all seven answered) and Outreach Collective published "
    "its response: awaiting a vote",
)


def load_passed_round(demo: Demo) -> None:
    """Last week: every seat answered and the round passed; yesterday the authors
    published their response, so a vote can be scheduled."""
    with demo.days_ago(6.3):
        housing = demo.submit_new(
            PASSED.title, **words.proposal("housing"), review_date=demo.review_date(360)
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
