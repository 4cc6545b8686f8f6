"""The home page and a person's own page make the same number of queries however much
they show (DESIGN.md, "Measured targets": query count independent of data size)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from proposals import services as proposal_services
from spaces.models import JoinRequest
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board
from tests.factories import DecisionSpaceFactory, MembershipFactory, UserFactory
from tests.proposals.conftest import COMPLETE, Cast, actor

pytestmark = pytest.mark.django_db


def _queries(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _my_world(cast: Cast, count: int) -> None:
    """For Marcus (board member, voter and facilitator of the space): ``count`` rounds
    waiting for his review, ``count`` drafts of his own, ``count`` requests to co-sign and
    ``count`` requests to join."""
    marcus = actor(cast.marcus)
    for number in range(count):
        waiting = proposal_services.proposal_create_draft(
            actor=actor(cast.olu),
            space=cast.space,
            organisation=cast.organisation,
            title=f"Waiting {number}",
        )
        proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=waiting, **COMPLETE)
        proposal_services.proposal_submit(actor=actor(cast.olu), proposal=waiting)
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


@pytest.mark.parametrize("count", [5, 50])
def test_ones_own_page_makes_the_same_queries_whatever_it_lists(
    cast: Cast,
    board: Board,
    count: int,
) -> None:
    """Signed in, the page is read in 15 queries on SQLite, each part in one:
    1-2. the session and its user (authentication);
    3. the roles Marcus holds now (what the page offers);
    4-5. the reviews waiting: which open rounds he has reviewed, and his open seats (with
       round, proposal, space, version);
    6-7. as a facilitator: the overdue rounds of his spaces, the requests to join them
       (with space and person);
    8. the votes he can cast (with proposal, space, version, rulebook, round, and whether
       he voted);
    9. his drafts (with space, working copy, version, organisation);
    10. the drafts he is asked to co-sign (the same);
    11. the responses owed on proposals he authors (with proposal, space, version);
    12. the roles again, for the navigation of the layout;
    13-15. the session saved in a savepoint (it is pushed forward on every request).
    On PostgreSQL one more: the database clock, for what is open now."""
    MembershipFactory(space=cast.space, user=cast.marcus, role="facilitator")
    MembershipFactory(space=cast.space, user=cast.marcus, role="electorate")
    _my_world(cast, count)
    client = sign_in(Client(), cast.marcus)

    queries = _queries(client, "/me/")
    page = client.get("/me/").content.decode()

    assert page.count("Review “Waiting") == count
    assert page.count("Own ") >= count
    assert page.count("Asking ") == count
    assert page.count("asks to join as") == count
    assert len(queries) == EXPECTED_ME + _clock(), "\n".join(q[:150] for q in queries)


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_makes_the_same_queries_whatever_it_lists(count: int) -> None:
    """Signed out, the home page is read in 4 queries on SQLite:
    1. the spaces, with their board and electorate sizes;
    2. the open votes (the soonest 20, with proposal, space, version, rulebook, round);
    3-4. the latest decisions: votes counted, rounds closed (the newest 10 of each),
       each with proposal, space and version.
    On PostgreSQL one more: the database clock, for what is open now."""
    for number in range(count):
        DecisionSpaceFactory(slug=f"space-{number}", name=f"Space {number}")

    queries = _queries(Client(), "/")

    assert Client().get("/").content.decode().count("proposals in Space") == count
    assert len(queries) == EXPECTED_HOME + _clock(), "\n".join(q[:150] for q in queries)


def _clock() -> int:
    return 1 if connection.vendor == "postgresql" else 0


EXPECTED_ME = 15
EXPECTED_HOME = 4
