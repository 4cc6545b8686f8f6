"""The proposals cast (tests/proposals/conftest.py) serves the advisory tests too, with
two more board members, Ama and Ben, so that one answer does not complete the board."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import User
from advisory import services
from advisory.models import Review, Round
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.conftest import Cast, _quick_password_hashing, actor, cast, draft  # noqa: F401


@dataclass
class Board:
    marcus: User
    ama: User
    ben: User

    @property
    def members(self) -> list[User]:
        return [self.marcus, self.ama, self.ben]


@pytest.fixture
def board(cast: Cast) -> Board:  # noqa: F811
    ama = MembershipFactory(space=cast.space, user=UserFactory(username="ama"), role="board").user
    ben = MembershipFactory(space=cast.space, user=UserFactory(username="ben"), role="board").user
    return Board(marcus=cast.marcus, ama=ama, ben=ben)


@pytest.fixture
def open_round(cast: Cast, board: Board, draft: Proposal) -> Round:  # noqa: F811
    """Olu's draft, submitted: a round with a board of three."""
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    return Round.objects.get(proposal=draft)


def review(
    who: User,
    in_round: Round,
    *,
    verdict: str = "endorse",
    rationale: str = "Meets people where they are.",
    conditions: list[str] | None = None,
    shown_as_advisory_member: bool = False,
) -> Review:
    return services.review_give(
        actor=actor(who),
        round=in_round,
        verdict=verdict,
        rationale=rationale,
        conditions=conditions,
        shown_as_advisory_member=shown_as_advisory_member,
    ).review
