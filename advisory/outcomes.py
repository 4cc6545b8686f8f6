"""What an answer in a round did, as the services report it, and the words that say so.

``review_give`` and ``recusal_declare`` return one of these results; pages and the API
word their success message from it (``answer_message``), so a message never guesses why a
round closed or whether it did: closed because every member answered, closed because the
quorum came after the deadline, or still open with N of M answered (and, when too few
seats remain, that it can never reach its quorum).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advisory.arithmetic import CloseReason, Decision, Tally
from core.moments import format_moment

if TYPE_CHECKING:
    from advisory.models import Response, Review, Round, Seat
    from advisory.registry import ScheduledVote


@dataclass(frozen=True)
class RoundState:
    """A round just after an answer: closed by it (and why), or open and how far along."""

    closed_now: bool
    # A ``CloseReason`` when ``closed_now``, else "".
    close_reason: str
    passed: bool
    # Members of the frozen board who answered, recusals included, and the board's size.
    answered: int
    board_size: int
    # Open and too few seats remain for the quorum ever to be met.
    unreachable: bool
    quorum_needed: int
    decision: Decision

    @classmethod
    def of(cls, round: Round, tally: Tally, decision: Decision, *, closed_now: bool) -> RoundState:
        rulebook = round.rulebook
        return cls(
            closed_now=closed_now,
            close_reason=decision.reason if closed_now else "",
            passed=closed_now and decision.passed,
            answered=tally.answered,
            board_size=tally.board_size,
            unreachable=not closed_now and decision.unreachable,
            quorum_needed=tally.quorum_needed(rulebook.advisory_quorum, rulebook.minimum_reviews),
            decision=decision,
        )


@dataclass(frozen=True)
class ReviewGiven:
    review: Review
    # False when an earlier review was changed.
    created: bool
    round: RoundState


@dataclass(frozen=True)
class RecusalDeclared:
    seat: Seat
    round: RoundState


@dataclass(frozen=True)
class ResponsePublished:
    """The authors' response, and the vote its publication scheduled."""

    response: Response
    vote: ScheduledVote


def response_message(result: ResponsePublished) -> str:
    """After the response: the board is told, and when the vote it scheduled opens."""
    return _(
        "Your response is published and the board is told. The vote is scheduled: it "
        "opens on %(opens)s."
    ) % {"opens": format_moment(result.vote.opens_at)}


def round_state_sentence(state: RoundState) -> str:
    """The round's state after an answer, in one or two sentences."""
    if state.closed_now:
        if state.close_reason == CloseReason.ALL_ANSWERED:
            why = _(
                "With it every member of the board has answered, so the round is closed and "
                "every review is now published."
            )
        elif state.close_reason == CloseReason.QUORUM_AFTER_DEADLINE:
            why = _(
                "The round was past its deadline without a quorum; with this answer it has "
                "one, so the round is closed and every review is now published."
            )
        else:
            why = _(
                "The deadline has passed with a quorum, so the round is closed and every "
                "review is now published."
            )
        then = (
            _("The proposal goes on: its authors respond to the board before a vote.")
            if state.passed
            else _("The proposal goes back to its authors for revision.")
        )
        return f"{why} {then}"
    progress = ngettext(
        "The round is still open: %(answered)d of %(board)d member has answered.",
        "The round is still open: %(answered)d of %(board)d members have answered.",
        state.board_size,
    ) % {"answered": state.answered, "board": state.board_size}
    if state.unreachable:
        return f"{progress} " + _(
            "Too few members of its board can still answer for it ever to reach its "
            "quorum, so it will not pass; the facilitators are told the board needs "
            "members."
        )
    return progress


def review_message(result: ReviewGiven) -> str:
    if result.round.closed_now:
        saved = _("Your review is saved.")
    elif result.created:
        saved = _(
            "Your review is saved. It stays sealed until the round closes; you can change it "
            "until then."
        )
    else:
        saved = _("Your review is changed. It stays sealed until the round closes.")
    return f"{saved} {round_state_sentence(result.round)}"


def recusal_message(result: RecusalDeclared) -> str:
    stepped = _("You stepped aside from this round. Thank you for saying so openly.")
    return f"{stepped} {round_state_sentence(result.round)}"


def submission_message(round: Round) -> str:
    """After a submission: what its round is, from the round itself (who can review it,
    until when), and, if too few seats remain for its quorum, that it cannot pass."""
    from advisory.selectors import decision_of, tally_of

    tally = tally_of(round)
    rulebook = round.rulebook
    submitted = _("Version %(number)s is submitted and public.") % {"number": round.version.number}
    if decision_of(round, now=round.opened_at).unreachable:
        return f"{submitted} " + _(
            "Too few members of the advisory board can answer for its review ever to reach "
            "its quorum, so it cannot pass as things stand; the facilitators are told the "
            "board needs members."
        )
    seats = tally.seats_remaining
    return f"{submitted} " + ngettext(
        "%(seats)d member of the advisory board reviews it until %(deadline)s; at least "
        "%(needed)d must answer.",
        "%(seats)d members of the advisory board review it until %(deadline)s; at least "
        "%(needed)d must answer.",
        seats,
    ) % {
        "seats": seats,
        "deadline": format_moment(round.deadline_at),
        "needed": tally.quorum_needed(rulebook.advisory_quorum, rulebook.minimum_reviews),
    }
