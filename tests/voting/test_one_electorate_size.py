"""The electorate is one number, said in the same words everywhere: every voter and every
advisory board member of the space, each person counted once, board members on leave
included. The space page, the vote's pages and the API give the same number for the
same space (before, the space page counted voters only and the vote counted the board
too: "40 voters" beside "14 of 47 have voted")."""

from __future__ import annotations

import re
from unittest.mock import patch

import pytest
from django.test import Client

from core.clock import clock_set
from spaces import services as space_services
from spaces.electorate import electorate_who, scheduled_who, snapshot_who
from spaces.models import Membership
from tests.accounts.support import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.pages.support import Page
from tests.proposals.api_support import client_for
from tests.voting.conftest import MINUTE, Board, Cast, actor
from voting import services
from voting.models import Vote

pytestmark = pytest.mark.django_db


def _text(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return Page(response.content.decode()).text


def test_the_space_page_the_vote_pages_and_the_api_give_one_electorate_size(
    cast: Cast, board: Board, scheduled_vote: Vote
) -> None:
    # Ama sits on the board and is a voter too: one person, counted once. Lee joins the
    # board and goes on leave: still in the electorate, as an ordinary elector.
    MembershipFactory(space=cast.space, user=board.ama, role="electorate")
    lee = MembershipFactory(space=cast.space, user=UserFactory(username="lee"), role="board")
    space_services.leave_start(actor=actor(lee.user), membership=lee)
    # Dee, Marcus, Ama, Ben and Lee.
    expected = 5
    memberships = Membership.objects.filter(space=cast.space, role__in=["board", "electorate"])
    assert memberships.count() == expected + 1

    with clock_set(scheduled_vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=scheduled_vote)
    vote = Vote.objects.get(pk=scheduled_vote.pk)
    client = sign_in(Client(), cast.dee)
    space_page = _text(client, "/spaces/city/")
    with clock_set(scheduled_vote.opens_at + 2 * MINUTE):
        vote_page = _text(client, f"/spaces/city/proposals/{vote.proposal_id}/vote/")
        record = _text(client, f"/spaces/city/proposals/{vote.proposal_id}/vote/record/")
        vote_api = client_for(cast.dee).get(
            f"/api/v1/spaces/city/proposals/{vote.proposal_id}/vote/"
        )
    space_api = client_for(None).get("/api/v1/spaces/city/").json()

    on_space_page = re.search(r"The electorate has (\d+) people\.", space_page)
    on_vote_page = re.search(r"of the electorate of (\d+) people have voted", vote_page)
    on_record = re.search(r"Electorate \(snapshot when it opened\) (\d+) people", record)
    assert on_space_page is not None
    assert on_vote_page is not None
    assert on_record is not None
    assert vote_api.status_code == 200
    sizes = {
        "space page": int(on_space_page.group(1)),
        "vote page": int(on_vote_page.group(1)),
        "record": int(on_record.group(1)),
        "space API": space_api["electorate_size"],
        "vote API": vote_api.json()["electorate_size"],
        "snapshot": vote.electorate_size,
    }
    assert set(sizes.values()) == {expected}, sizes

    # The same words say who is counted, on the pages and in the API.
    assert electorate_who() in space_page
    assert space_api["electorate_who"] == electorate_who()
    assert snapshot_who() in vote_page
    assert vote_api.json()["electorate_who"] == snapshot_who()
    # Lee, on leave, is outside the advisory bloc: the board of four counts three.
    assert vote.board_size == 3
    assert space_api["advisory_bloc_size"] == 3


def test_the_list_of_spaces_counts_the_electorate_the_same_way(cast: Cast, board: Board) -> None:
    MembershipFactory(space=cast.space, user=board.ama, role="electorate")

    text = _text(Client(), "/spaces/")

    # Dee, Marcus, Ama and Ben, Ama once.
    assert "an electorate of 4 people" in text


def test_a_scheduled_vote_says_whose_electorate_it_will_be_not_whose_it_was(
    cast: Cast, scheduled_vote: Vote
) -> None:
    page = _text(Client(), f"/spaces/city/proposals/{scheduled_vote.proposal_id}/vote/")
    answer = client_for(None).get(
        f"/api/v1/spaces/city/proposals/{scheduled_vote.proposal_id}/vote/"
    )

    assert scheduled_who() in page
    assert "when the vote opened" not in page
    assert answer.json()["electorate_who"] == scheduled_who()


def test_every_page_takes_the_electorate_words_from_one_place(
    cast: Cast, board: Board, scheduled_vote: Vote
) -> None:
    """The sentences are defined once, in spaces.electorate: changed there, every page
    that says who is counted says the new words."""
    with clock_set(scheduled_vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=scheduled_vote)
    pk = scheduled_vote.proposal_id
    client = sign_in(Client(), cast.dee)
    with (
        patch("spaces.electorate.electorate_who", return_value="NOW-WORDS"),
        patch("spaces.electorate.snapshot_who", return_value="SNAPSHOT-WORDS"),
        clock_set(scheduled_vote.opens_at + 2 * MINUTE),
    ):
        space_page = _text(client, "/spaces/city/")
        vote_page = _text(client, f"/spaces/city/proposals/{pk}/vote/")
        record = _text(client, f"/spaces/city/proposals/{pk}/vote/record/")

    assert "NOW-WORDS" in space_page
    assert "SNAPSHOT-WORDS" in vote_page
    assert "SNAPSHOT-WORDS" in record
    for text in (space_page, vote_page, record):
        assert "each person counted once" not in text
