"""The community line's round: open three weeks, past its deadline a week ago one answer
short of a quorum."""

from __future__ import annotations

from advisory.services import round_remind_if_due
from demo.cast import Demo, V, current_round
from demo.proposals import load_community_proposal


def load_overdue_round(demo: Demo) -> None:
    """Three weeks ago: the community line's round opened; its deadline passed a week ago
    with three answers of the four a quorum needs (the rulebook's minimum of four reviews;
    half of the five seats left after its two authors' recusals would be three), so it
    stays open, overdue."""
    with demo.days_ago(21):
        line = current_round(load_community_proposal())
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
