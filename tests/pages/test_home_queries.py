"""The home page and a person's own page make the same number of queries however much
they show (DESIGN.md, "Measured targets": query count independent of data size)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from advisory import services as advisory_services
from advisory.models import Round, Seat
from core.clock import clock_set, db_now
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces.models import JoinRequest
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.factories import DecisionSpaceFactory, MembershipFactory, UserFactory
from tests.proposals.conftest import COMPLETE, Cast, actor
from tests.voting.conftest import MINUTE
from voting import services as voting_services
from voting.models import Vote

pytestmark = pytest.mark.django_db


def _queries(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _submitted(cast: Cast, title: str, *, by: User | None = None) -> Proposal:
    """A complete proposal submitted: its round opens with the board of three."""
    author = actor(by or cast.olu)
    proposal = proposal_services.proposal_create_draft(
        actor=author,
        space=cast.space,
        organisation=None if by else cast.organisation,
        title=title,
    )
    proposal_services.proposal_update_draft(actor=author, proposal=proposal, **COMPLETE)
    proposal_services.proposal_submit(actor=author, proposal=proposal)
    return proposal


def _passed(board: Board, proposal: Proposal) -> Round:
    round = Round.objects.get(proposal=proposal)
    for member in board.members:
        if Seat.objects.filter(round=round, user=member, recused_at__isnull=True).exists():
            review(member, round)
    round.refresh_from_db()
    assert round.outcome == Round.Outcome.PASSED
    return round


def _voting(cast: Cast, board: Board, title: str, *, counted: bool = False) -> Vote:
    """A proposal through its round and its response, its vote open (or counted)."""
    round = _passed(board, _submitted(cast, title))
    advisory_services.response_publish(actor=actor(cast.olu), round=round, answers={})
    vote = Vote.objects.get(round=round)
    with clock_set(vote.opens_at + MINUTE):
        assert voting_services.vote_open_if_due(vote=vote)
    if counted:
        vote.refresh_from_db()
        assert vote.close_at is not None
        later = vote.close_at + MINUTE
        with clock_set(later):
            assert voting_services.vote_finalise_if_due(vote=vote)
    return vote


def _my_world(cast: Cast, board: Board, count: int) -> None:
    """For Marcus (board member, voter and facilitator of the space): ``count`` of every
    list of his page: rounds waiting for his review (overdue too, on the page's clock:
    ``_past_the_deadlines``), votes he can cast, drafts of his own, requests to co-sign,
    responses owed on proposals he authors, requests to join."""
    marcus = actor(cast.marcus)
    for number in range(count):
        _submitted(cast, f"Waiting {number}")
        _voting(cast, board, f"Voting {number}")
        _passed(board, _submitted(cast, f"Owed {number}", by=cast.marcus))
        asking = proposal_services.proposal_create_draft(
            actor=actor(cast.olu),
            space=cast.space,
            organisation=cast.organisation,
            title=f"Asking {number}",
        )
        proposal_services.proposal_invite_cosigner(
            actor=actor(cast.olu), proposal=asking, user=cast.marcus
        )
        proposal_services.proposal_create_draft(
            actor=marcus, space=cast.space, organisation=None, title=f"Own {number}"
        )
    people = [UserFactory() for _ in range(count)]
    JoinRequest.objects.bulk_create(
        JoinRequest(space=cast.space, user=person, role="electorate") for person in people
    )


def _past_the_deadlines() -> Any:
    """The pages' clock a day past every round's deadline (still read from the database,
    as the query counts expect), so that the rounds waiting are overdue too."""
    deadline = Round.objects.aggregate(latest=Max("deadline_at"))["latest"]
    ahead = deadline - db_now() + datetime.timedelta(days=1)
    return clock_set(db_now() + ahead, tick=True)


def _as_marcus(cast: Cast, board: Board, count: int) -> Client:
    MembershipFactory(space=cast.space, user=cast.marcus, role="facilitator")
    MembershipFactory(space=cast.space, user=cast.marcus, role="electorate")
    _my_world(cast, board, count)
    return sign_in(Client(), cast.marcus, mfa=True)


@pytest.mark.parametrize("count", [5, 50])
def test_ones_own_page_makes_the_same_queries_whatever_it_lists(
    cast: Cast,
    board: Board,
    count: int,
) -> None:
    """Signed in with his second factor, the page is read in 16 queries on SQLite, each
    part in one:
    1-2. the session and its user (authentication);
    3. that his authenticator is still in place (facilitator powers, for the requests);
    4. the roles Marcus holds now (what the page offers);
    5-6. the reviews waiting: which open rounds he has reviewed, and the seats he may
       still answer in (with round, proposal, space, version);
    7-8. as a facilitator: the overdue rounds of his spaces, the requests to join them
       (with space and person);
    9. the votes he can cast, open or counting (with proposal, space, version, rulebook,
       round, and whether he voted);
    10. his drafts (with space, working copy, version, organisation);
    11. the drafts he is asked to co-sign (the same);
    12. the responses owed on proposals he authors (with proposal, space, version);
    13. the roles again, for the navigation of the layout;
    14-16. the session saved in a savepoint (it is pushed forward on every request).
    On PostgreSQL one more: the database clock, for what is open now."""
    client = _as_marcus(cast, board, count)

    with _past_the_deadlines():
        queries = _queries(client, "/me/")
        page = client.get("/me/").content.decode()

    assert page.count("Review “Waiting") == count
    assert page.count("“Voting ") == count  # open or, this late, counting
    assert page.count("Publish the response on “Owed") == count
    assert page.count("Own ") >= count
    assert page.count("Asking ") == count
    assert page.count("asks to join as") == count
    assert page.count('<li><a href="/spaces/city/proposals/') >= 4 * count
    assert len(queries) == EXPECTED_ME + _clock(), "\n".join(q[:150] for q in queries)


@pytest.mark.parametrize("count", [5, 50])
def test_ones_own_page_in_the_api_makes_the_same_queries_whatever_it_lists(
    cast: Cast,
    board: Board,
    count: int,
) -> None:
    """GET /api/v1/me/ reads what the page reads, in 15 queries on SQLite:
    1-2. the session and its user (authentication);
    3. that his authenticator is still in place (facilitator powers);
    4. the roles Marcus holds now;
    5-6. the reviews waiting (which he reviewed, the seats he may still answer in);
    7-8. as a facilitator: the overdue rounds, the requests to join;
    9. the votes he can cast, open or counting;
    10. his drafts;
    11. the drafts he is asked to co-sign;
    12. the responses owed;
    13-15. the session saved in a savepoint (no layout, so no navigation roles).
    On PostgreSQL one more: the database clock."""
    client = _as_marcus(cast, board, count)

    with _past_the_deadlines():
        queries = _queries(client, "/api/v1/me/")
        data = client.get("/api/v1/me/").json()

    assert len(data["reviews"]) == count
    assert len(data["votes"]) == count
    assert len(data["responses_owed"]) == count
    assert len(data["cosign_requests"]) == count
    assert len(data["drafts"]) >= count
    assert len(data["facilitator"]["overdue_rounds"]) == count
    assert len(data["facilitator"]["join_requests"]) == count
    assert len(queries) == EXPECTED_ME_API + _clock(), "\n".join(q[:150] for q in queries)


def _public_world(cast: Cast, board: Board, count: int) -> None:
    """``count`` more spaces, open votes, votes counted and rounds closed."""
    for number in range(count):
        DecisionSpaceFactory(slug=f"space-{number}", name=f"Space {number}")
        _voting(cast, board, f"Ballot {number}")
        _voting(cast, board, f"Counted {number}", counted=True)


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_makes_the_same_queries_whatever_it_lists(
    cast: Cast, board: Board, count: int
) -> None:
    """Signed out, the home page is read in 4 queries on SQLite:
    1. the spaces, with their board and electorate sizes;
    2. the open votes, open or counting (the soonest 20, with proposal, space, version,
       rulebook, round);
    3-4. the latest decisions: votes counted, rounds closed (the newest 10 of each),
       each with proposal, space and version.
    On PostgreSQL one more: the database clock, for what is open now."""
    _public_world(cast, board, count)

    queries = _queries(Client(), "/")
    page = Client().get("/").content.decode()

    assert page.count("proposals in ") == count + 1  # and the cast's own space
    assert page.split("Latest decisions")[0].count(">Ballot ") == min(count, 20)
    assert page.count("vote: ") == min(count, 10)
    assert len(queries) == EXPECTED_HOME + _clock(), "\n".join(q[:150] for q in queries)


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_in_the_api_makes_the_same_queries_whatever_it_lists(
    cast: Cast, board: Board, count: int
) -> None:
    """GET /api/v1/home/ reads what the page reads, in the same 4 queries (the spaces,
    the open votes, the votes counted, the rounds closed); on PostgreSQL one more, the
    database clock."""
    _public_world(cast, board, count)

    queries = _queries(Client(), "/api/v1/home/")
    data = Client().get("/api/v1/home/").json()

    assert len(data["spaces"]) == count + 1
    assert len(data["open_votes"]) == min(count, 20)
    assert len(data["latest_decisions"]) == 10
    assert len(queries) == EXPECTED_HOME + _clock(), "\n".join(q[:150] for q in queries)


def _clock() -> int:
    return 1 if connection.vendor == "postgresql" else 0


EXPECTED_ME = 16
EXPECTED_ME_API = 15
EXPECTED_HOME = 4
