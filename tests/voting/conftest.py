"""The advisory cast (tests/advisory/conftest.py) carries on into the vote: the whole board
of three endorses Olu's draft, Olu publishes the response, and the vote is scheduled;
``open_vote`` is that vote opened by the sweep's service at its time."""

from __future__ import annotations

import datetime
from unittest.mock import patch

import pytest

from advisory import services as advisory_services
from advisory.models import Round
from proposals.models import Proposal
from tests.advisory.conftest import (  # noqa: F401
    Board,
    Cast,
    _quick_password_hashing,
    actor,
    board,
    cast,
    draft,
    open_round,
    review,
)
from voting import services
from voting.models import Vote

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def passed_round(board: Board, open_round: Round) -> Round:  # noqa: F811
    """The whole board endorses: the round closes as passed, the proposal awaits its vote."""
    for member in board.members:
        review(member, open_round)
    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.PASSED
    assert Proposal.objects.get(pk=open_round.proposal_id).state == Proposal.State.AWAITING_VOTE
    return open_round


@pytest.fixture
def scheduled_vote(cast: Cast, passed_round: Round) -> Vote:  # noqa: F811
    """Olu publishes the response to the passed round, which schedules the vote."""
    advisory_services.response_publish(
        actor=actor(cast.olu), round=passed_round, answers={}, statement="Thank you."
    )
    return Vote.objects.get(round=passed_round)


@pytest.fixture
def open_vote(scheduled_vote: Vote) -> Vote:
    """The scheduled vote, opened by the sweep's service a minute after its time."""
    with patch("voting.services.db_now", return_value=scheduled_vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    return scheduled_vote


@pytest.fixture
def no_delivery_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outbox rows are written, but no delivery task is queued at commit. For the
    transactional tests on PostgreSQL: in CI's second pass a real worker would read the
    outbox of the test database while the test's teardown empties it, and the two can
    deadlock. Delivery has tests of its own (tests/notifications)."""
    monkeypatch.setattr("notifications.services.enqueue_deliveries", lambda *args, **kw: None)
