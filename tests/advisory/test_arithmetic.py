"""The round's arithmetic as a table (advisory.arithmetic.decide), then a few of its rows
again through the services and the database: the board frozen at opening (minus those on
leave) sets the quorum, and the rulebook frozen at opening decides, whatever changes
after."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from accounts.authority import Actor
from advisory import services
from advisory.arithmetic import CloseReason, Decision, Tally, decide
from advisory.models import Round
from core.clock import clock_set
from history.verification import verify
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces.models import LeaveOfAbsence, Membership, Rulebook
from spaces.rulebook import Fraction
from spaces.services import rulebook_change
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.conftest import Cast, actor

HALF = Fraction(1, 2)
THIRD = Fraction(1, 3)
TWO_THIRDS = Fraction(2, 3)
MORE_THAN_HALF = Fraction(1, 2, strict=True)

DEADLINE = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=datetime.UTC)
BEFORE = DEADLINE - datetime.timedelta(seconds=1)
AFTER = DEADLINE + datetime.timedelta(days=3)


@dataclass(frozen=True)
class Row:
    tally: Tally
    expected: Decision
    quorum: Fraction = HALF
    consent: Fraction = TWO_THIRDS
    now: datetime.datetime = AFTER
    # The rulebook's floor; rows about the minimum set it.
    minimum: int = 2
    overdue_before: bool = False


OPEN = Decision(closes=False)
OVERDUE = Decision(closes=False, overdue=True)
OPEN_UNREACHABLE = Decision(closes=False, unreachable=True)
OVERDUE_UNREACHABLE = Decision(closes=False, overdue=True, unreachable=True)
PASSED_AT_DEADLINE = Decision(closes=True, passed=True, reason=CloseReason.DEADLINE)
NOT_PASSED_AT_DEADLINE = Decision(closes=True, passed=False, reason=CloseReason.DEADLINE)
PASSED_EARLY = Decision(closes=True, passed=True, reason=CloseReason.ALL_ANSWERED)
NOT_PASSED_EARLY = Decision(closes=True, passed=False, reason=CloseReason.ALL_ANSWERED)
PASSED_LATE = Decision(closes=True, passed=True, reason=CloseReason.QUORUM_AFTER_DEADLINE)

TABLE = {
    # --- quorum: answers other than recusals ≥ quorum x (frozen board - recusals) ---
    "quorum 1/2 of 7: 4 answers meet it": Row(Tally(7, endorse=4), PASSED_AT_DEADLINE),
    "quorum 1/2 of 7: 3 answers miss it": Row(Tally(7, endorse=3), OVERDUE),
    "quorum 1/2 of 8: 4 answers meet it exactly": Row(Tally(8, endorse=4), PASSED_AT_DEADLINE),
    "quorum 1/3 of 7: 3 answers meet it": Row(Tally(7, endorse=3), PASSED_AT_DEADLINE, THIRD),
    "quorum 1/3 of 7: 2 answers miss it": Row(Tally(7, endorse=2), OVERDUE, THIRD),
    "quorum 1/3 of 6: 2 answers meet it exactly": Row(
        Tally(6, endorse=2), PASSED_AT_DEADLINE, THIRD
    ),
    "recusals are not answers: 1 answer of the 3 seats left misses it": Row(
        Tally(7, endorse=1, recused=4), OVERDUE
    ),
    "recusals leave the denominator: 1/2 of 10 with 4 recused is 3 of 6": Row(
        Tally(10, endorse=3, recused=4), PASSED_AT_DEADLINE
    ),
    "recusals leave the denominator: 2 answers of the 6 seats left miss it": Row(
        Tally(10, endorse=2, recused=4), OVERDUE
    ),
    "recusals leave the denominator: 3 of 7 with 4 recused is every seat left": Row(
        Tally(7, endorse=3, recused=4), PASSED_EARLY
    ),
    "abstentions count toward the quorum": Row(
        Tally(7, endorse=2, oppose=1, abstain=1), PASSED_AT_DEADLINE
    ),
    # --- the rulebook's minimum number of reviews, whatever the share ---
    "minimum 3: half of a board of 4 is 2, too few reviews": Row(
        Tally(4, endorse=2), OVERDUE, minimum=3
    ),
    "minimum 3: 3 answers of 4 meet it": Row(Tally(4, endorse=3), PASSED_AT_DEADLINE, minimum=3),
    "minimum 3: every member of a board of 2 answered, never enough": Row(
        Tally(2, endorse=2), OPEN_UNREACHABLE, now=BEFORE, minimum=3
    ),
    "minimum 3: recusals leave 2 seats, it can never be reached": Row(
        Tally(5, endorse=1, recused=3), OVERDUE_UNREACHABLE, minimum=3
    ),
    "minimum 3: recusals leave exactly 3 seats, still reachable": Row(
        Tally(5, endorse=1, recused=2), OVERDUE, minimum=3
    ),
    "minimum 4 with 5 seats left: 3 answers are one short past the deadline": Row(
        Tally(7, endorse=1, request_changes=1, abstain=1, recused=2), OVERDUE, minimum=4
    ),
    "minimum 4 with 5 seats left: the fourth answer after the deadline closes it": Row(
        Tally(7, endorse=2, request_changes=1, abstain=1, recused=2),
        PASSED_LATE,
        minimum=4,
        overdue_before=True,
    ),
    # --- consent "at least": share = in favour ÷ (in favour + request changes + oppose) ---
    "2/3 at least: 2 of 3 passes": Row(Tally(3, endorse=2, oppose=1), PASSED_EARLY),
    "2/3 at least: 5 of 8 fails": Row(
        Tally(8, endorse=3, endorse_with_conditions=2, request_changes=2, oppose=1),
        NOT_PASSED_EARLY,
    ),
    "2/3 at least: 4 of 6 passes": Row(Tally(6, endorse=4, request_changes=2), PASSED_EARLY),
    "endorse with conditions counts in favour": Row(
        Tally(3, endorse_with_conditions=2, request_changes=1), PASSED_EARLY
    ),
    "abstentions are left out of the share": Row(
        Tally(5, endorse=2, oppose=1, abstain=2), PASSED_EARLY
    ),
    # --- consent "more than" ---
    "1/2 more than: 1 of 2 fails": Row(
        Tally(2, endorse=1, oppose=1), NOT_PASSED_EARLY, consent=MORE_THAN_HALF
    ),
    "1/2 more than: 3 of 5 passes": Row(
        Tally(5, endorse=3, oppose=2), PASSED_EARLY, consent=MORE_THAN_HALF
    ),
    "1/2 more than: 2 of 4 fails": Row(
        Tally(4, endorse=2, request_changes=2), NOT_PASSED_EARLY, consent=MORE_THAN_HALF
    ),
    # --- nothing out of nothing, no one at all ---
    "all abstain: quorum met, consent 0/0 does not pass": Row(
        Tally(3, abstain=3), NOT_PASSED_EARLY
    ),
    "all abstain at the deadline: does not pass": Row(Tally(4, abstain=2), NOT_PASSED_AT_DEADLINE),
    "all recuse: no seat left, it can never reach a quorum": Row(
        Tally(3, recused=3), OVERDUE_UNREACHABLE
    ),
    "all recuse before the deadline: open, not overdue, never reachable": Row(
        Tally(3, recused=3), OPEN_UNREACHABLE, now=BEFORE
    ),
    "a board of 1 that endorses never has the minimum of 2 reviews": Row(
        Tally(1, endorse=1), OPEN_UNREACHABLE, now=BEFORE
    ),
    "a board of 1 that opposes never has the minimum either": Row(
        Tally(1, oppose=1), OVERDUE_UNREACHABLE
    ),
    "a board of 1 that recuses never has a quorum": Row(Tally(1, recused=1), OVERDUE_UNREACHABLE),
    "a board of 0 never has a quorum": Row(Tally(0), OVERDUE_UNREACHABLE),
    "a board of 0 before the deadline is open and never reachable": Row(
        Tally(0), OPEN_UNREACHABLE, now=BEFORE
    ),
    # --- the deadline ---
    "quorum before the deadline, not all answered: stays open": Row(
        Tally(3, endorse=2), OPEN, now=BEFORE
    ),
    "quorum at the deadline itself: closes": Row(
        Tally(3, endorse=2), PASSED_AT_DEADLINE, now=DEADLINE
    ),
    "quorum after the deadline: closes": Row(Tally(3, endorse=2), PASSED_AT_DEADLINE),
    "quorum reached by an answer while overdue: closes for the late quorum": Row(
        Tally(7, endorse=4), PASSED_LATE, overdue_before=True
    ),
    "the last seat answered while overdue: closes because all answered": Row(
        Tally(3, endorse=2, oppose=1), PASSED_EARLY, overdue_before=True
    ),
    "no quorum at the deadline itself: overdue": Row(Tally(3, endorse=1), OVERDUE, now=DEADLINE),
    "no quorum just before the deadline: not yet overdue": Row(
        Tally(3, endorse=1), OPEN, now=BEFORE
    ),
    # --- early close: every member answered AND quorum met ---
    "every member answered, quorum met: closes early": Row(
        Tally(3, endorse=1, oppose=1, recused=1), NOT_PASSED_EARLY, now=BEFORE
    ),
    "every member answered but mostly recused: too few seats, never reachable": Row(
        Tally(3, endorse=1, recused=2), OPEN_UNREACHABLE, now=BEFORE
    ),
    "every member answered but mostly recused, past the deadline: overdue": Row(
        Tally(3, endorse=1, recused=2), OVERDUE_UNREACHABLE
    ),
    "all but one answered: waits for the deadline": Row(Tally(4, endorse=3), OPEN, now=BEFORE),
}


@pytest.mark.parametrize("row", list(TABLE.values()), ids=list(TABLE))
def test_the_round_arithmetic(row: Row) -> None:
    decision = decide(
        row.tally,
        quorum=row.quorum,
        minimum_reviews=row.minimum,
        consent=row.consent,
        now=row.now,
        deadline=DEADLINE,
        overdue_before=row.overdue_before,
    )
    assert decision == row.expected


@pytest.mark.parametrize(
    ("tally", "quorum", "minimum", "needed", "reachable"),
    [
        (Tally(7), HALF, 2, 4, True),
        (Tally(7, recused=2), HALF, 2, 3, True),
        (Tally(7, recused=2), HALF, 4, 4, True),
        (Tally(7, recused=3), HALF, 4, 4, True),
        (Tally(7, recused=4), HALF, 4, 4, False),
        (Tally(9, recused=3), TWO_THIRDS, 2, 4, True),
        (Tally(2), THIRD, 3, 3, False),
        (Tally(0), HALF, 2, 2, False),
    ],
    ids=[
        "half of 7 is 4",
        "half of the 5 seats left after 2 recusals is 3",
        "the minimum of 4 is more than half of 5",
        "4 seats left can still give the minimum of 4",
        "3 seats left can never give 4",
        "two thirds of the 6 seats left is 4",
        "a board of 2 never gives 3",
        "an empty board never gives any",
    ],
)
def test_the_answers_a_quorum_needs(
    tally: Tally, quorum: Fraction, minimum: int, needed: int, reachable: bool
) -> None:
    assert tally.quorum_needed(quorum, minimum) == needed
    assert tally.quorum_reachable(quorum, minimum) is reachable


@pytest.mark.parametrize(
    ("tally", "answers", "answered", "in_favour", "taking_a_side"),
    [
        (Tally(9, 1, 2, 3, 1, 1, 1), 8, 9, 3, 7),
        (Tally(2, abstain=1, recused=1), 1, 2, 0, 0),
    ],
    ids=["every kind once or more", "abstain and recuse only"],
)
def test_the_tally_counts(
    tally: Tally, answers: int, answered: int, in_favour: int, taking_a_side: int
) -> None:
    assert (tally.answers, tally.answered, tally.in_favour, tally.taking_a_side) == (
        answers,
        answered,
        in_favour,
        taking_a_side,
    )


# --- The same rows through the services, on the database ---


def _at(moment: datetime.datetime) -> Any:
    """Move the services' database clock to ``moment`` (the deadline itself is frozen by a
    trigger, so the clock moves instead)."""
    return clock_set(moment)


def _after_deadline(in_round: Round) -> datetime.datetime:
    return in_round.deadline_at + datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("ben_on_leave", "board_size", "outcome"),
    [(False, 5, ""), (True, 4, Round.Outcome.PASSED)],
    ids=[
        "board of 5: two answers miss the quorum of 3",
        "Ben on leave, board of 4: two answers meet it",
    ],
)
def test_a_leave_at_opening_shrinks_the_frozen_board_and_so_the_quorum(
    cast: Cast, board: Board, draft: Proposal, ben_on_leave: bool, board_size: int, outcome: str
) -> None:
    for name in ("cleo", "dan"):
        MembershipFactory(space=cast.space, user=UserFactory(username=name), role="board")
    if ben_on_leave:
        LeaveOfAbsence.objects.create(
            membership=Membership.objects.get(user=board.ben, role="board"),
            started_at=timezone.now(),
        )
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    opened = Round.objects.get(proposal=draft)
    assert opened.board_size == board_size

    review(board.marcus, opened)
    review(board.ama, opened)
    with _at(_after_deadline(opened)):
        services.rounds_sweep()

    opened.refresh_from_db()
    assert opened.outcome == outcome
    draft.refresh_from_db()
    assert draft.state == ("awaiting_vote" if outcome else "advisory_review")
    assert verify().ok


def test_a_leave_taken_after_opening_does_not_change_the_quorum(
    cast: Cast, board: Board, open_round: Round
) -> None:
    LeaveOfAbsence.objects.create(
        membership=Membership.objects.get(user=board.ben, role="board"),
        started_at=timezone.now(),
    )
    review(board.marcus, open_round)
    with _at(_after_deadline(open_round)):
        services.rounds_sweep()

    open_round.refresh_from_db()
    assert open_round.board_size == 3
    assert open_round.is_open
    assert verify().ok


@pytest.fixture
def facilitator(cast: Cast) -> Actor:
    person = MembershipFactory.create(
        space=cast.space, user=UserFactory.create(), role="facilitator"
    ).user
    return Actor(user=person, mfa=True, recently_authenticated=True)


def test_a_higher_quorum_and_minimum_adopted_during_a_round_do_not_apply_to_it(
    cast: Cast, board: Board, open_round: Round, facilitator: Actor
) -> None:
    frozen = open_round.rulebook
    newer = rulebook_change(
        actor=facilitator,
        space=cast.space,
        advisory_quorum_num=1,
        advisory_quorum_den=1,
        minimum_reviews=3,
    )
    assert newer.version == frozen.version + 1

    # Two answers of three meet the 1/2 and the minimum of 2 the round opened with, not
    # the whole board and the 3 reviews adopted since.
    review(board.marcus, open_round)
    review(board.ama, open_round)
    with _at(_after_deadline(open_round)):
        services.rounds_sweep()

    open_round.refresh_from_db()
    assert open_round.rulebook == frozen
    assert open_round.outcome == Round.Outcome.PASSED
    assert verify().ok


def test_unanimity_adopted_during_a_round_does_not_apply_to_it(
    cast: Cast, board: Board, open_round: Round
) -> None:
    # A new version written directly, as a change of rules always is: a new row.
    Rulebook.objects.create(
        space=cast.space, version=open_round.rulebook.version + 1, consent_num=1, consent_den=1
    )
    review(board.marcus, open_round)
    review(board.ama, open_round)
    review(board.ben, open_round, verdict="oppose")

    open_round.refresh_from_db()
    # 2 of 3 reaches the 2/3 frozen at opening; unanimity would have failed it.
    assert open_round.outcome == Round.Outcome.PASSED
    assert open_round.rulebook.consent_threshold == TWO_THIRDS
    assert verify().ok


def test_a_round_opened_after_a_rulebook_change_uses_the_new_rules(
    cast: Cast, board: Board, draft: Proposal, facilitator: Actor
) -> None:
    newer = rulebook_change(actor=facilitator, space=cast.space, minimum_reviews=3)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    opened = Round.objects.get(proposal=draft)
    assert opened.rulebook == newer

    # Half of three is met by two answers, the new minimum of three reviews is not.
    review(board.marcus, opened)
    review(board.ama, opened)
    with _at(_after_deadline(opened)):
        services.rounds_sweep()

    opened.refresh_from_db()
    assert opened.is_open
    review(board.ben, opened)
    opened.refresh_from_db()
    assert opened.outcome == Round.Outcome.PASSED
    assert verify().ok
