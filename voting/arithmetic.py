"""The vote's tally, in integers and without the database, so it can be read and tested
as a table.

- turnout = approve + reject + abstain; the turnout quorum is met when turnout ≥ quorum
  times the electorate snapshot ("at least"), i.e. turnout ≥ ceil(quorum * electorate);
  no ballots never make a quorum, so an empty electorate never has one;
- approval share = approve ÷ (approve + reject); abstentions count toward turnout only,
  and nothing out of nothing never passes (everyone abstaining is rejected, not adopted);
- with dual majority, the advisory bloc (ballots of the board members not on leave at the
  opening; ``Tally.board_size`` is their number) must also pass the approval threshold,
  and its turnout must reach the bloc floor
  max(ceil(advisory quorum * bloc size), minimum group size), never below one;
  with dual majority off, the bloc's ballots count like everyone's and nothing more;
- a bloc smaller than the minimum group size at the opening is never counted apart
  (``bloc_counted_apart``): a separate count of fewer people would show how they voted,
  and such a bloc could never reach its floor anyway. The vote is then decided by the
  whole electorate, as without dual majority (``Result.whole_electorate``); the board's
  review already gated the proposal.

Precedence, first unmet rule decides (``Result.rule``):

1. turnout quorum missed → failed, ``no_quorum``;
2. dual majority (its bloc counted apart), bloc turnout below the bloc floor → failed,
   ``no_advisory_quorum``;
3. the electorate's share does not pass the threshold → rejected, ``threshold``;
4. dual majority, the bloc's share does not pass it → rejected, ``advisory_bloc_threshold``;
5. otherwise adopted, ``passed``.

Failures come before rejections: without enough participation the vote is no decision
at all (the lifecycle's "failed (no quorum)"), so a vote that is both under quorum and
losing is reported as failed, never as a verdict. The electorate's quorum comes before
the bloc's because it is the broader precondition. The bloc floor is checked before any
share because a share over fewer ballots than the minimum group size is not a verdict
the site will stand behind (nor one whose counts it may publish). The electorate's
share comes before the bloc's because the community decides and the bloc is a second
lock: when both fail, the community's "no" is the reason given.

Counts by group (the bloc and everyone else) are published only when each group has at
least the minimum group size of ballots (``publication``); otherwise only the overall
counts, since with the overall counts out, one group's counts give away the other's.
"""

from __future__ import annotations

from dataclasses import dataclass

from spaces.rulebook import Fraction


def least_passing(share: Fraction, total: int) -> int:
    """The fewest ``count`` with ``share.passes(count, total)``: ceil(share * total) "at least",
    floor(share * total) + 1 "more than"; never below one (nothing never passes)."""
    if share.strict:
        needed = share.num * total // share.den + 1
    else:
        needed = -(-share.num * total // share.den)
    return max(needed, 1)


@dataclass(frozen=True)
class Share:
    """A share as it is published, unreduced: ``num`` out of ``den``."""

    num: int
    den: int

    def __str__(self) -> str:
        return f"{self.num}/{self.den}"


@dataclass(frozen=True)
class Counts:
    """Ballots of one group: approve, reject, abstain."""

    approve: int = 0
    reject: int = 0
    abstain: int = 0

    def __post_init__(self) -> None:
        if min(self.approve, self.reject, self.abstain) < 0:
            raise ValueError("Ballot counts cannot be negative.")

    @property
    def ballots(self) -> int:
        """Every ballot, abstentions included: what turnout counts."""
        return self.approve + self.reject + self.abstain

    @property
    def taking_a_side(self) -> int:
        """The approval share's denominator: every ballot but abstentions."""
        return self.approve + self.reject

    @property
    def approval(self) -> Share:
        return Share(self.approve, self.taking_a_side)

    def passes(self, threshold: Fraction) -> bool:
        return threshold.passes(self.approve, self.taking_a_side)

    def __sub__(self, other: Counts) -> Counts:
        """The counts of everyone in this group but ``other`` (a part of it)."""
        return Counts(
            self.approve - other.approve,
            self.reject - other.reject,
            self.abstain - other.abstain,
        )


@dataclass(frozen=True)
class Rules:
    """The voting rules frozen onto the vote when it opened."""

    turnout_quorum: Fraction
    approval: Fraction
    dual_majority: bool
    advisory_quorum: Fraction
    min_group_size: int

    def __post_init__(self) -> None:
        if self.min_group_size < 0:
            raise ValueError("The minimum group size cannot be negative.")


@dataclass(frozen=True)
class Tally:
    """The ballots at finalisation, against the electorate snapshot and frozen board.

    ``bloc`` is the part of ``everyone`` cast by board members; everyone votes once, so
    the bloc cannot exceed everyone and turnout cannot exceed the electorate.
    """

    everyone: Counts
    bloc: Counts
    electorate: int
    board_size: int

    def __post_init__(self) -> None:
        if self.electorate < 0 or self.board_size < 0:
            raise ValueError("The electorate and the board cannot be negative in size.")
        if (
            self.bloc.approve > self.everyone.approve
            or self.bloc.reject > self.everyone.reject
            or self.bloc.abstain > self.everyone.abstain
        ):
            raise ValueError("The advisory bloc's ballots are a part of everyone's.")
        if self.everyone.ballots > self.electorate:
            raise ValueError("More ballots than people in the electorate snapshot.")


class Outcome:
    ADOPTED = "adopted"
    REJECTED = "rejected"
    FAILED = "failed"


class Rule:
    """The rule that decided the outcome (the first unmet one, or ``PASSED``)."""

    PASSED = "passed"
    NO_QUORUM = "no_quorum"
    NO_ADVISORY_QUORUM = "no_advisory_quorum"
    THRESHOLD = "threshold"
    ADVISORY_BLOC_THRESHOLD = "advisory_bloc_threshold"


@dataclass(frozen=True)
class Result:
    """The outcome, the rule that decided it, and the figures a result page shows.

    ``bloc_turnout_needed`` is ``None`` when no bloc floor applies: dual majority off, or
    on with a bloc too small to be counted apart, when ``whole_electorate`` says the
    whole electorate decided instead.
    """

    outcome: str
    rule: str
    turnout: int
    turnout_needed: int
    approval: Share
    bloc_turnout: int
    bloc_turnout_needed: int | None
    whole_electorate: bool = False

    @property
    def adopted(self) -> bool:
        return self.outcome == Outcome.ADOPTED


def bloc_floor(rules: Rules, board_size: int) -> int:
    """The bloc turnout dual majority needs: max(ceil(advisory quorum * board), group size)."""
    return max(least_passing(rules.advisory_quorum, board_size), rules.min_group_size)


def bloc_keeps_secrets(rules: Rules, board_size: int) -> bool:
    """Whether a bloc of ``board_size`` is large enough to be counted apart without its
    counts showing how its members voted: at least the minimum group size. A smaller
    bloc's ballots are never even marked as the bloc's."""
    return board_size >= rules.min_group_size


def bloc_counted_apart(rules: Rules, board_size: int) -> bool:
    """Whether the dual majority counts the advisory bloc apart: on, with a bloc of at
    least the minimum group size at the opening. Otherwise a dual-majority vote is
    decided by the whole electorate (and its bloc's ballots are never marked)."""
    return rules.dual_majority and bloc_keeps_secrets(rules, board_size)


def decide(tally: Tally, rules: Rules) -> Result:
    """The vote's outcome under ``rules``; see the module docstring for the precedence."""
    everyone, bloc = tally.everyone, tally.bloc
    turnout_needed = least_passing(rules.turnout_quorum, tally.electorate)
    dual = bloc_counted_apart(rules, tally.board_size)
    bloc_needed = bloc_floor(rules, tally.board_size) if dual else None

    if everyone.ballots < turnout_needed:
        outcome, rule = Outcome.FAILED, Rule.NO_QUORUM
    elif bloc_needed is not None and bloc.ballots < bloc_needed:
        outcome, rule = Outcome.FAILED, Rule.NO_ADVISORY_QUORUM
    elif not everyone.passes(rules.approval):
        outcome, rule = Outcome.REJECTED, Rule.THRESHOLD
    elif dual and not bloc.passes(rules.approval):
        outcome, rule = Outcome.REJECTED, Rule.ADVISORY_BLOC_THRESHOLD
    else:
        outcome, rule = Outcome.ADOPTED, Rule.PASSED

    return Result(
        outcome=outcome,
        rule=rule,
        turnout=everyone.ballots,
        turnout_needed=turnout_needed,
        approval=everyone.approval,
        bloc_turnout=bloc.ballots,
        bloc_turnout_needed=bloc_needed,
        whole_electorate=rules.dual_majority and not dual,
    )


@dataclass(frozen=True)
class Publication:
    """The counts that may be published: always the overall ones; the breakdown (the bloc
    and everyone else) only when each group has at least the minimum group size of
    ballots, otherwise neither group's counts."""

    overall: Counts
    bloc: Counts | None = None
    everyone_else: Counts | None = None

    @property
    def by_group(self) -> bool:
        return self.bloc is not None


def publication(everyone: Counts, bloc: Counts, *, min_group_size: int) -> Publication:
    """Which counts a result page may show, given everyone's and the bloc's."""
    everyone_else = everyone - bloc
    if min(bloc.ballots, everyone_else.ballots) < min_group_size:
        return Publication(overall=everyone)
    return Publication(overall=everyone, bloc=bloc, everyone_else=everyone_else)
