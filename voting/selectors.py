"""What the pages and the API read about votes. Nothing here writes: a vote past its
close that the sweep has not finalised yet shows as "counting".

While a vote is open, everyone sees how many have voted against the turnout quorum,
never how anyone or any group voted; a person in the snapshot sees whether they have
voted. Once finalised: the counts, turnout against the quorum, the share against the
threshold, the outcome and the rule that decided it, and counts by group only when
each group reaches the minimum group size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy

from accounts.authority import Actor
from accounts.models import User
from core.clock import db_now
from core.errors import DomainError
from core.guards import Offered
from proposals.models import Proposal
from spaces.rules import facilitates
from spaces.selectors import board_for_quorum
from spaces.selectors import electorate_at as space_electorate_at
from voting import arithmetic
from voting.models import Ballot, Choice, Elector, Outcome, Participation, Rule, Stage, Vote
from voting.receipts import ballot_hash, normalise_receipt, receipts_csv, result_json
from voting.rules import ballots_refused, cast_refusal, change_refusal

VOTE_RELATED = ("proposal__space", "version", "rulebook", "round")


def vote_of(proposal: Proposal) -> Vote | None:
    """The proposal's latest vote, if one was ever scheduled; its ``proposal`` is the one
    given, so what a selector annotated on it (its shown state) comes along."""
    vote = (
        Vote.objects.select_related(*VOTE_RELATED)
        .filter(proposal=proposal)
        .order_by("-scheduled_at", "-pk")
        .first()
    )
    if vote is not None:
        vote.proposal = proposal
    return vote


@dataclass(frozen=True)
class VoteResult:
    """A finalised vote's published figures: the outcome and its rule as stored, the
    figures the tally gives from the stored counts, and the counts that may be shown."""

    vote: Vote
    outcome: str
    rule: str
    withdrawn: bool
    figures: arithmetic.Result
    rules: arithmetic.Rules
    publication: arithmetic.Publication

    @property
    def quorum_met(self) -> bool:
        return self.figures.turnout >= self.figures.turnout_needed

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def rule_label(self) -> str:
        return str(Rule(self.rule).label)

    @property
    def choices_published(self) -> bool:
        """The receipts list shows each ballot's choice (off: receipt hashes only)."""
        return bool(self.vote.rulebook and self.vote.rulebook.publish_receipt_choices)

    @property
    def approval_passed(self) -> bool:
        return self.publication.overall.passes(self.rules.approval)

    @property
    def approval_percent(self) -> int:
        """The approval share as a whole percentage, rounded down, so "50 %" never
        stands for 49.6 % (0 when no one took a side)."""
        return _percent(self.publication.overall)

    @property
    def bloc_approval_percent(self) -> int | None:
        """The board's approval share, only when the counts by group are published."""
        bloc = self.publication.bloc
        return None if bloc is None else _percent(bloc)

    @property
    def bloc_turnout_published(self) -> int | None:
        """How many board members voted, published only with the counts by group (it is
        one: with the overall counts and the deciding rule it could give away a small
        group's choices); ``None`` otherwise or without dual majority."""
        if not self.rules.dual_majority or not self.publication.by_group:
            return None
        return self.figures.bloc_turnout

    @property
    def bloc_floor_met(self) -> bool | None:
        """Whether the board's turnout reached its floor; ``None`` without dual majority."""
        needed = self.figures.bloc_turnout_needed
        return None if needed is None else self.figures.bloc_turnout >= needed

    @property
    def approval_needed(self) -> int:
        """Approvals the share needed, given the ballots that took a side."""
        overall = self.publication.overall
        return arithmetic.least_passing(self.rules.approval, overall.taking_a_side)


@dataclass(frozen=True)
class VoteView:
    vote: Vote
    stage: str
    now: datetime.datetime
    # Ballots cast so far (while open) or counted (once finalised); never who or what.
    turnout: int
    # The turnout the quorum needs, once the electorate is snapshotted.
    turnout_needed: int | None
    # The viewer: in the snapshot, and whether they have voted (never how).
    may_vote: bool
    has_voted: bool
    # A facilitator may bring a scheduled opening forward.
    may_bring_forward: bool
    result: VoteResult | None
    # Why the viewer may not cast or change a ballot now (voting.rules), or None.
    cast_refusal: DomainError | None
    change_refusal: DomainError | None

    may_cast = Offered("cast_refusal")
    may_change = Offered("change_refusal")

    @property
    def will_not_open(self) -> bool:
        """Scheduled, but its proposal left "awaiting vote" (withdrawn)."""
        return (
            self.stage == Stage.SCHEDULED
            and self.vote.proposal.state != Proposal.State.AWAITING_VOTE
        )

    @property
    def accepts_ballots(self) -> bool:
        return ballots_refused(vote=self.vote, now=self.now) is None


def _percent(counts: arithmetic.Counts) -> int:
    return counts.approve * 100 // counts.taking_a_side if counts.taking_a_side else 0


def decided(vote: Vote, everyone: arithmetic.Counts, bloc: arithmetic.Counts) -> arithmetic.Result:
    """What the tally gives for ``vote`` from these counts (everyone's and the advisory
    bloc's), under its frozen rules and against its snapshot."""
    assert vote.electorate_size is not None
    assert vote.board_size is not None
    return arithmetic.decide(
        arithmetic.Tally(
            everyone=everyone,
            bloc=bloc,
            electorate=vote.electorate_size,
            board_size=vote.board_size,
        ),
        vote.rules(),
    )


def result_of(vote: Vote) -> VoteResult | None:
    """The published result of a finalised vote; ``None`` before."""
    if vote.finalised_at is None:
        return None
    rules = vote.rules()
    everyone, bloc = vote.counts(), vote.bloc_counts()
    figures = decided(vote, everyone, bloc)
    return VoteResult(
        vote=vote,
        outcome=vote.outcome,
        rule=vote.rule,
        withdrawn=vote.withdrawn,
        figures=figures,
        rules=rules,
        publication=arithmetic.publication(everyone, bloc, min_group_size=rules.min_group_size),
    )


def electorate_at(*, proposal: Proposal, moment: datetime.datetime) -> dict[int, tuple[User, bool]]:
    """Who may vote if a vote opened at ``moment``: the space's electorate then (every
    voter and board member, each once: ``spaces.selectors.electorate_at``), each with
    whether they are in the advisory bloc: on the board and not on leave then, as for a
    round's quorum. A board member on leave votes as an ordinary elector."""
    space = proposal.space
    bloc = set(board_for_quorum(space=space, moment=moment).values_list("pk", flat=True))
    return {
        person.pk: (person, person.pk in bloc)
        for person in space_electorate_at(space=space, moment=moment)
    }


def ballot_counts(vote: Vote) -> tuple[arithmetic.Counts, arithmetic.Counts]:
    """Everyone's and the advisory bloc's counts from the ballots, in one grouped query:
    for the finalisation only, under its locks (no page shows a running tally)."""
    everyone = dict.fromkeys(Choice.values, 0)
    bloc = dict(everyone)
    for row in (
        Ballot.objects.filter(vote=vote)
        .order_by()
        .values("choice", "on_board")
        .annotate(ballots=Count("id"))
    ):
        everyone[row["choice"]] += row["ballots"]
        if row["on_board"]:
            bloc[row["choice"]] += row["ballots"]
    return arithmetic.Counts(**everyone), arithmetic.Counts(**bloc)


def vote_view(actor: Actor, vote: Vote, *, now: datetime.datetime | None = None) -> VoteView:
    """Everything a page or the API shows about ``vote`` to ``actor``."""
    now = now or db_now()
    stage = vote.stage(now)
    user = actor.user
    signed_in = user is not None
    may_vote = bool(
        signed_in and vote.opened_at and Elector.objects.filter(vote=vote, user=user).exists()
    )
    has_voted = bool(may_vote and Participation.objects.filter(vote=vote, user=user).exists())
    ballot_standing: dict[str, Any] = {
        "actor": actor,
        "vote": vote,
        "now": now,
        "in_electorate": may_vote,
        "has_voted": has_voted,
    }
    result = result_of(vote)
    if result is not None:
        turnout = result.figures.turnout
    elif vote.opened_at is not None:
        # Participation rows, not ballots: the same number, without reading ballots.
        turnout = Participation.objects.filter(vote=vote).count()
    else:
        turnout = 0
    turnout_needed = None
    if vote.rulebook is not None and vote.electorate_size is not None:
        turnout_needed = arithmetic.least_passing(
            vote.rulebook.turnout_quorum, vote.electorate_size
        )
    return VoteView(
        vote=vote,
        stage=stage,
        now=now,
        turnout=turnout,
        turnout_needed=turnout_needed,
        may_vote=may_vote,
        has_voted=has_voted,
        may_bring_forward=bool(
            stage == Stage.SCHEDULED
            and vote.proposal.state == Proposal.State.AWAITING_VOTE
            and facilitates(actor, vote.proposal)
        ),
        result=result,
        cast_refusal=cast_refusal(**ballot_standing),
        change_refusal=change_refusal(**ballot_standing),
    )


# A vote's state as lists show it: open, or counting (past its close, not yet finalised
# by the minute sweep; ``Vote.stage``), as the rest of the site shows it.
SHOWN_VOTE_STATES: dict[str, Any] = {
    Stage.OPEN: gettext_lazy("open"),
    Stage.COUNTING: gettext_lazy("counting"),
}


@dataclass(frozen=True)
class ShownVote:
    """A vote open or counting, with which of the two it is."""

    vote: Vote
    state: str  # Stage.OPEN or Stage.COUNTING

    @property
    def counting(self) -> bool:
        return self.state == Stage.COUNTING

    def get_state_display(self) -> str:
        return str(SHOWN_VOTE_STATES[self.state])


@dataclass(frozen=True)
class OpenVote(ShownVote):
    has_voted: bool


def _open_or_counting() -> Q:
    return Q(
        opened_at__isnull=False, finalised_at__isnull=True, proposal__state=Proposal.State.VOTING
    )


def _shown_state(vote: Vote, now: datetime.datetime) -> str:
    return Stage.COUNTING if vote.stage(now) == Stage.COUNTING else Stage.OPEN


def open_votes_for(user: User, *, now: datetime.datetime | None = None) -> list[OpenVote]:
    """The votes open or counting that ``user`` is in the snapshot of, soonest close
    first, each with its state and whether they have voted."""
    now = now or db_now()
    votes: QuerySet[Vote] = (
        Vote.objects.select_related(*VOTE_RELATED)
        .filter(_open_or_counting(), electors__user=user)
        .annotate(voted=Exists(Participation.objects.filter(vote=OuterRef("pk"), user=user)))
        .order_by("close_at", "pk")
    )
    return [
        OpenVote(vote=vote, state=_shown_state(vote, now), has_voted=vote.voted)  # type: ignore[attr-defined]
        for vote in votes
    ]


def receipts_list(vote: Vote) -> bytes:
    """A finalised vote's receipts list as published (``voting.receipts``): hash and
    choice, or hash only when the frozen rulebook says so; sorted by hash."""
    assert vote.finalised_at is not None
    assert vote.rulebook is not None
    return receipts_csv(
        Ballot.objects.filter(vote=vote).values_list("ballot_hash", "choice").iterator(),
        with_choices=vote.rulebook.publish_receipt_choices,
    )


def result_document(vote: Vote, receipts: bytes) -> bytes:
    """The finalised vote's result summary (JSON) for its receipts list ``receipts``,
    which ``scripts/recount.py`` checks a downloaded list against."""
    assert vote.finalised_at is not None
    assert vote.electorate_size is not None
    counts = vote.counts()
    return result_json(
        vote_id=str(vote.public_id),
        proposal=f"{vote.version.title} (version {vote.version.number})",
        electorate=vote.electorate_size,
        counts={"approve": counts.approve, "reject": counts.reject, "abstain": counts.abstain},
        outcome=("withdrawn: " if vote.withdrawn else "") + vote.outcome,
        rule=vote.rule,
        receipts=receipts,
    )


@dataclass(frozen=True)
class ReceiptCheck:
    """What the published receipts list says about one receipt: its ballot hash, whether
    the list has it, and its choice when the list shows choices."""

    receipt_hash: str
    listed: bool
    choice: str | None
    choices_published: bool


def receipt_check(vote: Vote, receipt: str) -> ReceiptCheck:
    """Look a receipt up in a finalised vote's published receipts list (the same rows
    ``receipts_list`` writes out). Reads only; raises ``voting.receipts.ReceiptError`` for
    a receipt that is not one (mistyped, wrong length)."""
    assert vote.finalised_at is not None
    assert vote.rulebook is not None
    hashed = ballot_hash(normalise_receipt(receipt))
    with_choices = vote.rulebook.publish_receipt_choices
    choice = (
        Ballot.objects.filter(vote=vote, ballot_hash=hashed)
        .values_list("choice", flat=True)
        .first()
    )
    return ReceiptCheck(
        receipt_hash=hashed,
        listed=choice is not None,
        choice=choice if with_choices else None,
        choices_published=with_choices,
    )


def open_votes(*, limit: int, now: datetime.datetime | None = None) -> list[ShownVote]:
    """The votes open or counting (past their close, not yet finalised), for anyone to
    read, soonest close first (the ones counting first), at most ``limit``."""
    now = now or db_now()
    votes = (
        Vote.objects.select_related(*VOTE_RELATED)
        .filter(_open_or_counting())
        .order_by("close_at", "pk")[:limit]
    )
    return [ShownVote(vote=vote, state=_shown_state(vote, now)) for vote in votes]


def latest_finalised_votes(limit: int) -> QuerySet[Vote]:
    """The votes most recently counted, newest first."""
    return (
        Vote.objects.select_related(*VOTE_RELATED)
        .filter(finalised_at__isnull=False)
        .order_by("-close_at", "-pk")[:limit]
    )
