"""The round's arithmetic, in integers and without the database, so it can be read and
tested as a table.

- quorum is met when answers other than recusals ≥ quorum times the frozen board size (no
  answers never make a quorum, so an empty board never has one);
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

    def quorum_met(self, quorum: Fraction) -> bool:
        return quorum.passes(self.answers, self.board_size)

    def consent_given(self, threshold: Fraction) -> bool:
        return threshold.passes(self.in_favour, self.taking_a_side)


class CloseReason:
    DEADLINE = "deadline"
    ALL_ANSWERED = "all_answered"


@dataclass(frozen=True)
class Decision:
    closes: bool
    passed: bool = False
    reason: str = ""
    overdue: bool = False


def decide(
    tally: Tally,
    *,
    quorum: Fraction,
    consent: Fraction,
    now: datetime.datetime,
    deadline: datetime.datetime,
) -> Decision:
    """Whether a round with this tally closes at ``now``, and how."""
    past_deadline = now >= deadline
    if not tally.quorum_met(quorum):
        return Decision(closes=False, overdue=past_deadline)
    if tally.answered >= tally.board_size:
        reason = CloseReason.ALL_ANSWERED
    elif past_deadline:
        reason = CloseReason.DEADLINE
    else:
        return Decision(closes=False)
    return Decision(closes=True, passed=tally.consent_given(consent), reason=reason)
