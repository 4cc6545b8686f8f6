"""The round's arithmetic, in integers and without the database, so it can be read and
tested as a table.

- quorum is met when answers other than recusals ≥ quorum x (frozen board size -
  recusals) and ≥ the rulebook's minimum number of reviews (no answers never make a
  quorum, so an empty board never has one);
- a round whose remaining seats (frozen board size - recusals) are fewer than that
  minimum can never reach its quorum: it says so, and never passes with fewer reviews;
- consent share = (endorse + endorse with conditions) ÷ (endorse + endorse with
  conditions + request changes + oppose); abstentions count toward quorum only, and
  nothing out of nothing never passes;
- the round closes at its deadline if quorum is met, or early once every member of the
  frozen board has answered and quorum is met; without quorum it stays open (overdue
  past its deadline) and closes the moment quorum is reached. Lack of quorum never
  advances a proposal and never sends it back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from spaces.rulebook import Fraction


@dataclass(frozen=True)
class Tally:
    board_size: int
    endorse: int = 0
    endorse_with_conditions: int = 0
    request_changes: int = 0
    oppose: int = 0
    abstain: int = 0
    recused: int = 0

    @property
    def answers(self) -> int:
        """Answers other than recusals: what the quorum counts."""
        return (
            self.endorse
            + self.endorse_with_conditions
            + self.request_changes
            + self.oppose
            + self.abstain
        )

    @property
    def answered(self) -> int:
        """Members who have answered, recusals included."""
        return self.answers + self.recused

    @property
    def in_favour(self) -> int:
        return self.endorse + self.endorse_with_conditions

    @property
    def taking_a_side(self) -> int:
        """The consent share's denominator: every answer but abstentions and recusals."""
        return self.in_favour + self.request_changes + self.oppose

    @property
    def seats_remaining(self) -> int:
        """The quorum's denominator: the frozen board without its recusals."""
        return max(0, self.board_size - self.recused)

    def quorum_needed(self, quorum: Fraction, minimum_reviews: int) -> int:
        """The fewest answers (recusals aside) that meet the quorum."""
        share = -(-quorum.num * self.seats_remaining // quorum.den)
        return max(1, minimum_reviews, share)

    def quorum_met(self, quorum: Fraction, minimum_reviews: int) -> bool:
        return self.answers >= minimum_reviews and quorum.passes(self.answers, self.seats_remaining)

    def quorum_reachable(self, quorum: Fraction, minimum_reviews: int) -> bool:
        """Whether every remaining seat answering would meet the quorum: recusals only
        grow and a frozen board never gains a seat, so once False it stays False."""
        return self.seats_remaining >= self.quorum_needed(quorum, minimum_reviews)

    def consent_given(self, threshold: Fraction) -> bool:
        return threshold.passes(self.in_favour, self.taking_a_side)


class CloseReason:
    # At or after the deadline, with the quorum met on time.
    DEADLINE = "deadline"
    # Every member of the frozen board answered (recusals included), with the quorum.
    ALL_ANSWERED = "all_answered"
    # Past the deadline without a quorum, until an answer brought one.
    QUORUM_AFTER_DEADLINE = "quorum_after_deadline"


@dataclass(frozen=True)
class Decision:
    closes: bool
    passed: bool = False
    reason: str = ""
    overdue: bool = False
    # Open, and too few seats remain to ever meet the quorum.
    unreachable: bool = False


def decide(
    tally: Tally,
    *,
    quorum: Fraction,
    minimum_reviews: int,
    consent: Fraction,
    now: datetime.datetime,
    deadline: datetime.datetime,
    overdue_before: bool = False,
) -> Decision:
    """Whether a round with this tally closes at ``now``, and how.

    ``overdue_before`` says the round was already past its deadline without a quorum
    before the answer being counted (the caller knows, this module does not): a close
    then comes from the quorum reached late, not from the deadline."""
    past_deadline = now >= deadline
    if not tally.quorum_met(quorum, minimum_reviews):
        return Decision(
            closes=False,
            overdue=past_deadline,
            unreachable=not tally.quorum_reachable(quorum, minimum_reviews),
        )
    if tally.answered >= tally.board_size:
        reason = CloseReason.ALL_ANSWERED
    elif past_deadline:
        reason = CloseReason.QUORUM_AFTER_DEADLINE if overdue_before else CloseReason.DEADLINE
    else:
        return Decision(closes=False)
    return Decision(closes=True, passed=tally.consent_given(consent), reason=reason)
