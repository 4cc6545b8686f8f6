"""The vote's tally as a table (voting.arithmetic.decide), the publication of counts by
group as another (voting.arithmetic.publication), then a few properties checked over
every small tally.

Unless a row says otherwise, the rules are the rulebook's defaults: turnout quorum 1/4,
approval 1/2 (more than), dual majority on, advisory quorum 1/2, minimum group size 5;
electorate 40 (10 ballots make the quorum) and a board of 7 (ceil(1/2 * 7) = 4 is below the
group size, so the bloc needs 5 ballots). ``board_size`` is the advisory bloc at the
opening: the board minus its members on leave (a member on leave votes as an ordinary
elector, so their ballot is in ``everyone`` only). A bloc below the minimum group size is
not counted apart: the whole electorate decides.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest

from spaces.rulebook import DEFAULTS, Fraction
from voting.arithmetic import (
    Counts,
    Outcome,
    Publication,
    Result,
    Rule,
    Rules,
    Share,
    Tally,
    bloc_counted_apart,
    bloc_floor,
    decide,
    least_passing,
    publication,
)


def c(approve: int = 0, reject: int = 0, abstain: int = 0) -> Counts:
    return Counts(approve, reject, abstain)


DEFAULT_RULES = Rules(
    turnout_quorum=Fraction(DEFAULTS["turnout_quorum_num"], DEFAULTS["turnout_quorum_den"]),
    approval=Fraction(
        DEFAULTS["approval_num"], DEFAULTS["approval_den"], DEFAULTS["approval_strict"]
    ),
    dual_majority=DEFAULTS["dual_majority"],
    advisory_quorum=Fraction(DEFAULTS["advisory_quorum_num"], DEFAULTS["advisory_quorum_den"]),
    min_group_size=DEFAULTS["min_group_size"],
)
SINGLE = replace(DEFAULT_RULES, dual_majority=False)


def approval(num: int, den: int, strict: bool, rules: Rules = SINGLE) -> Rules:
    return replace(rules, approval=Fraction(num, den, strict))


# A bloc that meets the floor (5 of a board of 7) and passes any threshold used below.
BLOC_YES = c(5)

ADOPTED = (Outcome.ADOPTED, Rule.PASSED)
NO_QUORUM = (Outcome.FAILED, Rule.NO_QUORUM)
NO_ADVISORY_QUORUM = (Outcome.FAILED, Rule.NO_ADVISORY_QUORUM)
THRESHOLD = (Outcome.REJECTED, Rule.THRESHOLD)
BLOC_THRESHOLD = (Outcome.REJECTED, Rule.ADVISORY_BLOC_THRESHOLD)


@dataclass(frozen=True)
class Row:
    everyone: Counts
    expected: tuple[str, str]
    bloc: Counts = field(default_factory=Counts)
    rules: Rules = SINGLE
    electorate: int = 40
    board_size: int = 7


TABLE = {
    # --- turnout quorum: turnout ≥ ceil(quorum * electorate), abstentions included ---
    "quorum 1/4 of 40: 10 ballots meet it exactly": Row(c(6, 4), ADOPTED),
    "quorum 1/4 of 40: 9 ballots miss it": Row(c(6, 3), NO_QUORUM),
    "quorum 1/4 of 41: 11 ballots meet it": Row(c(6, 4, 1), ADOPTED, electorate=41),
    "quorum 1/4 of 41: 10 ballots miss it": Row(c(6, 4), NO_QUORUM, electorate=41),
    "abstentions count toward the quorum": Row(c(6, 3, 1), ADOPTED),
    "under quorum fails even when every ballot approves": Row(c(9), NO_QUORUM),
    "under quorum fails rather than being rejected": Row(c(0, 9), NO_QUORUM),
    "quorum 1/10 of 45: 5 ballots meet it": Row(
        c(3, 2), ADOPTED, rules=replace(SINGLE, turnout_quorum=Fraction(1, 10)), electorate=45
    ),
    "quorum 1/10 of 45: 4 ballots miss it": Row(
        c(3, 1), NO_QUORUM, rules=replace(SINGLE, turnout_quorum=Fraction(1, 10)), electorate=45
    ),
    "an empty electorate never has a quorum": Row(c(), NO_QUORUM, electorate=0),
    "every ballot cast, all approving": Row(c(40), ADOPTED),
    # --- approval share = approve ÷ (approve + reject); 1/2, more than (the default) ---
    "1/2 more than: a 5-5 tie is rejected": Row(c(5, 5), THRESHOLD),
    "1/2 more than: 6-5 is adopted": Row(c(6, 5), ADOPTED),
    "1/2 more than: 5-6 is rejected": Row(c(5, 6), THRESHOLD),
    "abstentions are left out of the share": Row(c(6, 5, 20), ADOPTED),
    "abstentions do not break a tie": Row(c(5, 5, 20), THRESHOLD),
    "everyone abstains: quorum met, rejected by the threshold": Row(c(0, 0, 10), THRESHOLD),
    "one approval among abstentions is adopted": Row(c(1, 0, 9), ADOPTED),
    # --- 2/3: "at least" passes exactly 2/3, "more than" does not ---
    "2/3 at least: 2-1 is adopted": Row(c(2, 1, 7), ADOPTED, rules=approval(2, 3, False)),
    "2/3 at least: 8-4 (exactly 2/3) is adopted": Row(
        c(8, 4), ADOPTED, rules=approval(2, 3, False)
    ),
    "2/3 at least: 7-4 is rejected": Row(c(7, 4), THRESHOLD, rules=approval(2, 3, False)),
    "2/3 at least: 3-2 is rejected": Row(c(3, 2, 5), THRESHOLD, rules=approval(2, 3, False)),
    "2/3 more than: 8-4 (exactly 2/3) is rejected": Row(
        c(8, 4), THRESHOLD, rules=approval(2, 3, True)
    ),
    "2/3 more than: 9-4 is adopted": Row(c(9, 4), ADOPTED, rules=approval(2, 3, True)),
    "3/5 at least: 6-4 (exactly 3/5) is adopted": Row(
        c(6, 4), ADOPTED, rules=approval(3, 5, False)
    ),
    "3/5 more than: 6-4 (exactly 3/5) is rejected": Row(
        c(6, 4), THRESHOLD, rules=approval(3, 5, True)
    ),
    "2/3 at least: everyone abstains is still rejected": Row(
        c(0, 0, 10), THRESHOLD, rules=approval(2, 3, False)
    ),
    # --- dual majority: the bloc's floor is max(ceil(advisory quorum * board), group size) ---
    "board of 7: ceil(7/2) = 4 is below the group size, so 4 bloc ballots are no quorum": Row(
        c(10, 2), NO_ADVISORY_QUORUM, bloc=c(4), rules=DEFAULT_RULES
    ),
    "board of 7: 5 bloc ballots (the group size) meet the floor": Row(
        c(10, 2), ADOPTED, bloc=c(5), rules=DEFAULT_RULES
    ),
    "board of 13: ceil(13/2) = 7 is above the group size, so 6 bloc ballots are no quorum": Row(
        c(10, 2), NO_ADVISORY_QUORUM, bloc=c(6), rules=DEFAULT_RULES, board_size=13
    ),
    "board of 13: 7 bloc ballots meet the floor": Row(
        c(10, 2), ADOPTED, bloc=c(7), rules=DEFAULT_RULES, board_size=13
    ),
    "board of 12: ceil(12/2) = 6 exactly, so 6 bloc ballots meet the floor": Row(
        c(10, 2), ADOPTED, bloc=c(6), rules=DEFAULT_RULES, board_size=12
    ),
    "group size 8 above ceil(9/2): 7 bloc ballots of a board of 9 are no quorum": Row(
        c(10, 2),
        NO_ADVISORY_QUORUM,
        bloc=c(7),
        rules=replace(DEFAULT_RULES, min_group_size=8),
        board_size=9,
    ),
    # --- the bloc is the board without its members on leave, at the opening ---
    "board of 7, 2 on leave: a bloc of 5 (the group size) needs all 5": Row(
        c(10, 2), NO_ADVISORY_QUORUM, bloc=c(4), rules=DEFAULT_RULES, board_size=5
    ),
    "board of 7, 2 on leave: 5 bloc ballots meet the floor, the 2 vote as electors": Row(
        c(10, 2), ADOPTED, bloc=c(5), rules=DEFAULT_RULES, board_size=5
    ),
    "board of 7, 2 on leave: the bloc of 5 can still reject": Row(
        c(12, 8), BLOC_THRESHOLD, bloc=c(2, 3), rules=DEFAULT_RULES, board_size=5
    ),
    # --- a bloc below the minimum group size: the whole electorate decides ---
    "board of 7, 3 on leave: a bloc of 4, the whole electorate adopts": Row(
        c(10, 2), ADOPTED, bloc=c(), rules=DEFAULT_RULES, board_size=4
    ),
    "a bloc of 4: the whole electorate's tie is rejected by the threshold": Row(
        c(5, 5), THRESHOLD, bloc=c(), rules=DEFAULT_RULES, board_size=4
    ),
    "a bloc of 4: under quorum still fails for no quorum": Row(
        c(6, 3), NO_QUORUM, bloc=c(), rules=DEFAULT_RULES, board_size=4
    ),
    "a board of 3: never 'no advisory quorum' any more": Row(
        c(10, 2), ADOPTED, bloc=c(), rules=DEFAULT_RULES, board_size=3
    ),
    "an empty board: the whole electorate decides": Row(
        c(6, 4), ADOPTED, bloc=c(), rules=DEFAULT_RULES, board_size=0
    ),
    "group size 8 above a board of 7: the whole electorate decides": Row(
        c(10, 2), ADOPTED, bloc=c(), rules=replace(DEFAULT_RULES, min_group_size=8)
    ),
    "bloc abstentions count toward its floor": Row(
        c(10, 2, 1), ADOPTED, bloc=c(3, 1, 1), rules=DEFAULT_RULES
    ),
    "the electorate passes, the bloc does not: rejected by the bloc threshold": Row(
        c(12, 8), BLOC_THRESHOLD, bloc=c(2, 3), rules=DEFAULT_RULES
    ),
    "1/2 more than: a tied bloc is rejected by the bloc threshold": Row(
        c(12, 8), BLOC_THRESHOLD, bloc=c(3, 3), rules=DEFAULT_RULES
    ),
    "the whole bloc abstains: floor met, rejected by the bloc threshold": Row(
        c(10, 0, 5), BLOC_THRESHOLD, bloc=c(0, 0, 5), rules=DEFAULT_RULES
    ),
    "the bloc passes, the electorate does not: rejected by the threshold": Row(
        c(6, 8), THRESHOLD, bloc=c(5), rules=DEFAULT_RULES
    ),
    "both fail the threshold: the electorate's share is the reason": Row(
        c(5, 10), THRESHOLD, bloc=c(1, 4), rules=DEFAULT_RULES
    ),
    # --- precedence: quorum, then the bloc floor, then the shares ---
    "under quorum and under the bloc floor: no quorum decides": Row(
        c(5, 3), NO_QUORUM, bloc=c(1), rules=DEFAULT_RULES
    ),
    "under the bloc floor outranks a losing electorate share": Row(
        c(2, 8), NO_ADVISORY_QUORUM, bloc=c(1, 1), rules=DEFAULT_RULES
    ),
    "under the bloc floor outranks a losing bloc share": Row(
        c(8, 4), NO_ADVISORY_QUORUM, bloc=c(0, 4), rules=DEFAULT_RULES
    ),
    # --- dual majority off: the bloc is counted like everyone, nothing more ---
    "dual majority off: a bloc voting no is ignored": Row(c(12, 8), ADOPTED, bloc=c(0, 5)),
    "dual majority off: no bloc ballots at all is fine": Row(c(6, 4), ADOPTED, bloc=c()),
    "dual majority off: the electorate's tie is still rejected": Row(c(5, 5), THRESHOLD, bloc=c(5)),
}


@pytest.mark.parametrize("row", list(TABLE.values()), ids=list(TABLE))
def test_the_tally(row: Row) -> None:
    tally = Tally(row.everyone, row.bloc, row.electorate, row.board_size)
    result = decide(tally, row.rules)
    assert (result.outcome, result.rule) == row.expected


@pytest.mark.parametrize(
    ("tally", "rules", "expected"),
    [
        pytest.param(
            Tally(c(6, 3), c(), electorate=41, board_size=7),
            SINGLE,
            Result(Outcome.FAILED, Rule.NO_QUORUM, 9, 11, Share(6, 9), 0, None),
            id="under quorum: 9 ballots of 11 needed, no bloc floor with dual majority off",
        ),
        pytest.param(
            Tally(c(12, 8, 3), c(2, 3, 1), electorate=40, board_size=13),
            DEFAULT_RULES,
            Result(Outcome.FAILED, Rule.NO_ADVISORY_QUORUM, 23, 10, Share(12, 20), 6, 7),
            id="no advisory quorum: 6 bloc ballots of 7 needed",
        ),
        pytest.param(
            Tally(c(0, 0, 10), c(0, 0, 5), electorate=40, board_size=7),
            DEFAULT_RULES,
            Result(Outcome.REJECTED, Rule.THRESHOLD, 10, 10, Share(0, 0), 5, 5),
            id="everyone abstains: a share of 0/0, not passed",
        ),
        pytest.param(
            Tally(c(14, 6), c(4, 2), electorate=80, board_size=9),
            DEFAULT_RULES,
            Result(Outcome.ADOPTED, Rule.PASSED, 20, 20, Share(14, 20), 6, 5),
            id="adopted: the share is published unreduced, 14/20",
        ),
        pytest.param(
            Tally(c(14, 6), c(), electorate=80, board_size=4),
            DEFAULT_RULES,
            Result(Outcome.ADOPTED, Rule.PASSED, 20, 20, Share(14, 20), 0, None, True),
            id="a bloc of 4 below the group size: no bloc floor, the whole electorate decided",
        ),
        pytest.param(
            Tally(c(14, 6), c(), electorate=80, board_size=4),
            SINGLE,
            Result(Outcome.ADOPTED, Rule.PASSED, 20, 20, Share(14, 20), 0, None, False),
            id="dual majority off: nothing to say about the bloc's size",
        ),
    ],
)
def test_the_figures_a_result_page_shows(tally: Tally, rules: Rules, expected: Result) -> None:
    assert decide(tally, rules) == expected


@pytest.mark.parametrize(
    ("share", "total", "needed"),
    [
        pytest.param(Fraction(1, 4), 40, 10, id="1/4 of 40 at least: 10"),
        pytest.param(Fraction(1, 4), 41, 11, id="1/4 of 41 at least: 11"),
        pytest.param(Fraction(1, 4), 43, 11, id="1/4 of 43 at least: 11"),
        pytest.param(Fraction(1, 4), 44, 11, id="1/4 of 44 at least: 11"),
        pytest.param(Fraction(1, 2, strict=True), 10, 6, id="1/2 of 10 more than: 6"),
        pytest.param(Fraction(1, 2, strict=True), 11, 6, id="1/2 of 11 more than: 6"),
        pytest.param(Fraction(1, 3), 0, 1, id="nothing never passes: at least one"),
    ],
)
def test_the_fewest_that_pass(share: Fraction, total: int, needed: int) -> None:
    assert least_passing(share, total) == needed


@pytest.mark.parametrize(
    ("advisory_quorum", "min_group_size", "board_size", "floor"),
    [
        pytest.param(Fraction(1, 2), 5, 7, 5, id="ceil(7/2) = 4 below group size 5: 5"),
        pytest.param(Fraction(1, 2), 5, 9, 5, id="ceil(9/2) = 5 equals group size 5: 5"),
        pytest.param(Fraction(1, 2), 5, 11, 6, id="ceil(11/2) = 6 above group size 5: 6"),
        pytest.param(Fraction(1, 3), 5, 20, 7, id="ceil(20/3) = 7 above group size 5: 7"),
        pytest.param(Fraction(1, 3), 10, 20, 10, id="ceil(20/3) = 7 below group size 10: 10"),
        pytest.param(Fraction(1, 2), 5, 0, 5, id="an empty board: the group size"),
        pytest.param(Fraction(1, 2), 0, 0, 1, id="never below one ballot"),
    ],
)
def test_the_bloc_floor(
    advisory_quorum: Fraction, min_group_size: int, board_size: int, floor: int
) -> None:
    rules = replace(DEFAULT_RULES, advisory_quorum=advisory_quorum, min_group_size=min_group_size)
    assert bloc_floor(rules, board_size) == floor


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(lambda: c(-1), "negative", id="a negative count"),
        pytest.param(
            lambda: Tally(c(3, 1), c(4), electorate=40, board_size=7),
            "part of everyone",
            id="more bloc approvals than approvals",
        ),
        pytest.param(
            lambda: Tally(c(30, 11), c(), electorate=40, board_size=7),
            "More ballots",
            id="more ballots than the electorate",
        ),
        pytest.param(
            lambda: Tally(c(), c(), electorate=-1, board_size=7), "negative", id="a negative size"
        ),
        pytest.param(
            lambda: replace(DEFAULT_RULES, min_group_size=-1), "negative", id="a negative group"
        ),
    ],
)
def test_impossible_tallies_are_refused(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


# --- publication: a breakdown by group only when each group has the minimum of ballots ---


@pytest.mark.parametrize(
    ("everyone", "bloc", "min_group_size", "expected"),
    [
        pytest.param(
            c(10, 5),
            c(3, 1),
            5,
            Publication(c(10, 5)),
            id="a bloc of 4 with a minimum of 5: overall only",
        ),
        pytest.param(
            c(6, 4),
            c(3, 2),
            5,
            Publication(c(6, 4), bloc=c(3, 2), everyone_else=c(3, 2)),
            id="a bloc of 5 and 5 others: the breakdown is published",
        ),
        pytest.param(
            c(6, 2, 1),
            c(4, 1, 1),
            5,
            Publication(c(6, 2, 1)),
            id="3 others below the minimum: overall only",
        ),
        pytest.param(
            c(8, 4, 3),
            c(2, 0, 3),
            5,
            Publication(c(8, 4, 3), bloc=c(2, 0, 3), everyone_else=c(6, 4)),
            id="abstentions count as ballots toward the group size",
        ),
        pytest.param(c(10, 5), c(), 5, Publication(c(10, 5)), id="no bloc ballots: overall only"),
        pytest.param(
            c(12, 8),
            c(5, 4),
            10,
            Publication(c(12, 8)),
            id="a minimum of 10: a bloc of 9 is suppressed",
        ),
        pytest.param(
            c(12, 8),
            c(6, 4),
            10,
            Publication(c(12, 8), bloc=c(6, 4), everyone_else=c(6, 4)),
            id="a minimum of 10: 10 and 10 are published",
        ),
    ],
)
def test_counts_by_group(
    everyone: Counts, bloc: Counts, min_group_size: int, expected: Publication
) -> None:
    published = publication(everyone, bloc, min_group_size=min_group_size)
    assert published == expected
    assert published.by_group == (expected.bloc is not None)


# --- properties, checked over every small tally (electorate 40, board of 7) ---

SMALL = range(8)
SMALL_BLOC = range(4)
PROPERTY_RULES = {
    "default rules": DEFAULT_RULES,
    "dual majority off": SINGLE,
    "2/3 at least": approval(2, 3, False, DEFAULT_RULES),
    "3/5 more than, group size 6": replace(approval(3, 5, True, DEFAULT_RULES), min_group_size=6),
}


def small_tallies() -> list[Tally]:
    tallies = []
    for a, r, x in itertools.product(SMALL, repeat=3):
        for ba, br, bx in itertools.product(SMALL_BLOC, repeat=3):
            if ba <= a and br <= r and bx <= x:
                tallies.append(Tally(c(a, r, x), c(ba, br, bx), electorate=40, board_size=7))
    return tallies


TALLIES = small_tallies()


def add(tally: Tally, field: str, *, bloc: bool) -> Tally:
    def one_more(counts: Counts) -> Counts:
        return replace(counts, **{field: getattr(counts, field) + 1})

    return replace(
        tally, everyone=one_more(tally.everyone), bloc=one_more(tally.bloc) if bloc else tally.bloc
    )


@pytest.mark.parametrize("rules", list(PROPERTY_RULES.values()), ids=list(PROPERTY_RULES))
@pytest.mark.parametrize("bloc", [False, True], ids=["from everyone else", "from the bloc"])
def test_one_more_approval_never_undoes_an_adoption(rules: Rules, bloc: bool) -> None:
    for tally in TALLIES:
        if decide(tally, rules).adopted:
            assert decide(add(tally, "approve", bloc=bloc), rules).adopted, tally


@pytest.mark.parametrize("rules", list(PROPERTY_RULES.values()), ids=list(PROPERTY_RULES))
@pytest.mark.parametrize("bloc", [False, True], ids=["from everyone else", "from the bloc"])
def test_one_more_abstention_never_undoes_an_adoption(rules: Rules, bloc: bool) -> None:
    for tally in TALLIES:
        if decide(tally, rules).adopted:
            assert decide(add(tally, "abstain", bloc=bloc), rules).adopted, tally


@pytest.mark.parametrize("rules", list(PROPERTY_RULES.values()), ids=list(PROPERTY_RULES))
@pytest.mark.parametrize("bloc", [False, True], ids=["from everyone else", "from the bloc"])
def test_one_more_rejection_never_turns_a_rejection_into_an_adoption(
    rules: Rules, bloc: bool
) -> None:
    for tally in TALLIES:
        if decide(tally, rules).outcome == Outcome.REJECTED:
            assert not decide(add(tally, "reject", bloc=bloc), rules).adopted, tally


@pytest.mark.parametrize("rules", list(PROPERTY_RULES.values()), ids=list(PROPERTY_RULES))
def test_the_outcome_and_its_rule_agree(rules: Rules) -> None:
    rules_for = {
        Outcome.ADOPTED: {Rule.PASSED},
        Outcome.FAILED: {Rule.NO_QUORUM, Rule.NO_ADVISORY_QUORUM},
        Outcome.REJECTED: {Rule.THRESHOLD, Rule.ADVISORY_BLOC_THRESHOLD},
    }
    for tally in TALLIES:
        result = decide(tally, rules)
        assert result.rule in rules_for[result.outcome], tally
        assert (result.turnout >= result.turnout_needed) == rules.turnout_quorum.passes(
            result.turnout, tally.electorate
        ), tally


def test_dual_majority_off_ignores_the_bloc_and_on_only_adds_a_lock() -> None:
    for tally in TALLIES:
        alone = decide(tally, SINGLE)
        without_bloc = decide(replace(tally, bloc=c()), SINGLE)
        assert (alone.outcome, alone.rule) == (without_bloc.outcome, without_bloc.rule), tally
        if decide(tally, DEFAULT_RULES).adopted:
            assert alone.adopted, tally


@pytest.mark.parametrize("board_size", [0, 1, 4])
def test_a_bloc_below_the_group_size_decides_nothing_apart(board_size: int) -> None:
    """Dual majority with a bloc of fewer than 5 gives what the whole electorate gives,
    whatever the (never marked) bloc ballots would have been, and says so."""
    assert not bloc_counted_apart(DEFAULT_RULES, board_size)
    for tally in TALLIES:
        small = replace(tally, board_size=board_size)
        dual, single = decide(small, DEFAULT_RULES), decide(replace(small, bloc=c()), SINGLE)
        assert (dual.outcome, dual.rule) == (single.outcome, single.rule), tally
        assert dual.whole_electorate
        assert dual.bloc_turnout_needed is None
        assert not single.whole_electorate


@pytest.mark.parametrize(
    ("rules", "board_size", "apart"),
    [
        pytest.param(DEFAULT_RULES, 5, True, id="a bloc of 5, group size 5: counted apart"),
        pytest.param(DEFAULT_RULES, 4, False, id="a bloc of 4, group size 5: not"),
        pytest.param(SINGLE, 7, False, id="dual majority off: never"),
        pytest.param(replace(DEFAULT_RULES, min_group_size=8), 7, False, id="group size 8: not"),
    ],
)
def test_when_the_bloc_is_counted_apart(rules: Rules, board_size: int, apart: bool) -> None:
    assert bloc_counted_apart(rules, board_size) is apart


@pytest.mark.parametrize("min_group_size", [0, 5, 6])
def test_a_breakdown_always_adds_up_and_never_shows_a_small_group(min_group_size: int) -> None:
    for tally in TALLIES:
        published = publication(tally.everyone, tally.bloc, min_group_size=min_group_size)
        assert published.overall == tally.everyone
        if published.bloc is None or published.everyone_else is None:
            assert published.bloc is None, tally
            assert published.everyone_else is None, tally
            continue
        assert min(published.bloc.ballots, published.everyone_else.ballots) >= min_group_size
        for choice in ("approve", "reject", "abstain"):
            parts = getattr(published.bloc, choice) + getattr(published.everyone_else, choice)
            assert parts == getattr(tally.everyone, choice), tally
