"""The home page and each person's own page are tried on the voting cast
(tests/voting/conftest.py): a board of three, Olu's proposal through its round, its
response and its vote."""

from __future__ import annotations

import pytest

from core.clock import clock_set
from tests.factories import MembershipFactory
from tests.proposals.conftest import Cast
from tests.voting.conftest import MINUTE
from voting import services as voting_services
from voting.models import Vote


@pytest.fixture
def voting_now(cast: Cast, scheduled_vote: Vote) -> Vote:
    """The scheduled vote, opened with Marcus (on the board) and Dee in its electorate."""
    MembershipFactory(space=cast.space, user=cast.marcus, role="electorate")
    with clock_set(scheduled_vote.opens_at + MINUTE):
        assert voting_services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    return scheduled_vote
