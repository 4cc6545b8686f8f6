"""What the home page and each person's own page read. Each part comes from the selector
of the app that owns its rules (advisory, voting, proposals, spaces); this module only
puts them together, so no rule is written here a second time. Every part is one query
(or two) however much there is to show, and the public lists are bounded."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from accounts.authority import Actor
from accounts.models import User
from advisory.models import Round
from advisory.selectors import (
    WaitingReview,
    latest_closed_rounds,
    overdue_rounds_in,
    responses_owed_by,
    reviews_waiting_for,
)
from core.clock import db_now
from proposals.models import Proposal
from proposals.selectors import cosign_requests_for, drafts_of
from spaces.models import DecisionSpace, JoinRequest, Role
from spaces.selectors import (
    current_roles,
    in_an_electorate,
    join_requests_for_facilitator,
    space_list,
    spaces_facilitated_by,
)
from voting.models import Vote
from voting.selectors import (
    OpenVote,
    ShownVote,
    latest_finalised_votes,
    open_votes,
    open_votes_for,
)

# How many of the latest decisions the home page lists.
LATEST_DECISIONS = 10
# How many open votes the home page lists (the soonest to close; counting ones first).
HOME_OPEN_VOTES = 20


@dataclass(frozen=True)
class Decision:
    """One of the latest decisions: a vote counted, or an advisory round closed."""

    kind: str  # "vote" or "round"
    at: datetime.datetime
    proposal: Proposal
    title: str
    outcome: str
    outcome_label: Any
    vote: Vote | None = None
    round: Round | None = None


@dataclass
class HomePage:
    spaces: list[DecisionSpace]
    open_votes: list[ShownVote]
    decisions: list[Decision]


def latest_decisions(limit: int = LATEST_DECISIONS) -> list[Decision]:
    """Finalised votes and closed advisory rounds together, newest first (two queries)."""
    decisions = [
        Decision(
            kind="vote",
            at=vote.close_at or vote.finalised_at,  # type: ignore[arg-type]
            proposal=vote.proposal,
            title=vote.version.title,
            outcome=vote.shown_outcome,
            outcome_label=vote.get_shown_outcome_display(),
            vote=vote,
        )
        for vote in latest_finalised_votes(limit)
    ] + [
        Decision(
            kind="round",
            at=round.closed_at,  # type: ignore[arg-type]
            proposal=round.proposal,
            title=round.version.title,
            outcome=round.outcome,
            outcome_label=round.get_outcome_display(),
            round=round,
        )
        for round in latest_closed_rounds(limit)
    ]
    decisions.sort(key=lambda decision: decision.at, reverse=True)
    return decisions[:limit]


def home_page(*, now: datetime.datetime | None = None) -> HomePage:
    return HomePage(
        spaces=list(space_list()),
        open_votes=open_votes(limit=HOME_OPEN_VOTES, now=now),
        decisions=latest_decisions(),
    )


@dataclass
class FacilitatorWork:
    overdue_rounds: list[Round]
    # Who asked to join a board is a facilitator's private knowledge: None (not shown)
    # unless this request may use facilitator powers (a second factor, never a token).
    join_requests: list[JoinRequest] | None


@dataclass
class MyPage:
    """What needs this person, part by part; a part they have no role for is None (the
    page leaves it out) rather than empty (the page says there is nothing)."""

    roles: set[str]
    # In some space's electorate now (a voter or a board member): the votes part is shown.
    in_electorate: bool
    reviews: list[WaitingReview] | None
    votes: list[OpenVote]
    drafts: list[Proposal]
    cosign_requests: list[Proposal]
    responses_owed: list[Round]
    facilitator: FacilitatorWork | None


def my_page(actor: Actor, *, now: datetime.datetime | None = None) -> MyPage:
    user = actor.user
    assert isinstance(user, User)
    now = now or db_now()
    roles = current_roles(user=user)
    reviews = reviews_waiting_for(user)
    facilitator = None
    if Role.FACILITATOR in roles:
        facilitator = FacilitatorWork(
            overdue_rounds=list(overdue_rounds_in(spaces_facilitated_by(user=user), now=now)),
            join_requests=(
                list(join_requests_for_facilitator(user=user)) if actor.can_use_powers else None
            ),
        )
    return MyPage(
        roles=roles,
        in_electorate=in_an_electorate(roles),
        # A member who left the board keeps the seats of rounds already open.
        reviews=reviews if reviews or Role.BOARD in roles else None,
        votes=open_votes_for(user, now=now),
        drafts=list(drafts_of(actor)),
        cosign_requests=list(cosign_requests_for(actor)),
        responses_owed=list(responses_owed_by(user)),
        facilitator=facilitator,
    )
