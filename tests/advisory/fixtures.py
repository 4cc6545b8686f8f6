"""The advisory board as fixtures, for every folder (registered in tests/conftest.py): Ama
and Ben join Marcus on the board of the proposals cast, and Olu's draft opens a round."""

from __future__ import annotations

import pytest

from advisory.models import Round
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.advisory.conftest import Board
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.conftest import Cast, actor


@pytest.fixture
def board(cast: Cast) -> Board:
    ama = MembershipFactory(space=cast.space, user=UserFactory(username="ama"), role="board").user
    ben = MembershipFactory(space=cast.space, user=UserFactory(username="ben"), role="board").user
    return Board(marcus=cast.marcus, ama=ama, ben=ben)


@pytest.fixture
def open_round(cast: Cast, board: Board, draft: Proposal) -> Round:
    """Olu's draft, submitted: a round with a board of three."""
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    return Round.objects.get(proposal=draft)
