"""The vote as fixtures, for every folder (registered in tests/conftest.py): the advisory
board passes Olu's draft, Olu publishes the response, and the vote is scheduled, then
opened."""

from __future__ import annotations

import pytest

from advisory import services as advisory_services
from advisory.models import Round
from core.clock import clock_set
from proposals.models import Proposal
from tests.advisory.conftest import Board, Cast, actor, review
from tests.voting.conftest import MINUTE
from voting import services
from voting.models import Vote


@pytest.fixture
def passed_round(board: Board, open_round: Round) -> Round:
    """The whole board endorses: the round closes as passed, the proposal awaits its vote."""
    for member in board.members:
        review(member, open_round)
    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.PASSED
    assert Proposal.objects.get(pk=open_round.proposal_id).state == Proposal.State.AWAITING_VOTE
    return open_round


@pytest.fixture
def scheduled_vote(cast: Cast, passed_round: Round) -> Vote:
    """Olu publishes the response to the passed round, which schedules the vote."""
    advisory_services.response_publish(
        actor=actor(cast.olu), round=passed_round, answers={}, statement="Thank you."
    )
    return Vote.objects.get(round=passed_round)


@pytest.fixture
def open_vote(scheduled_vote: Vote) -> Vote:
    """The scheduled vote, opened by the sweep's service a minute after its time."""
    with clock_set(scheduled_vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    return scheduled_vote
