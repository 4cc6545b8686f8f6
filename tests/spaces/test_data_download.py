"""A person's data download holds their own memberships (with their own private note and
leaves), their requests to join and their editor rows, and nothing of anyone else's."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from spaces import services
from tests.spaces.conftest import Cast, actor_for, sign_in

pytestmark = pytest.mark.django_db


def _download(client: Client) -> dict:
    response = client.get("/account/data.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_download_has_the_persons_own_memberships_leaves_and_requests(cast: Cast) -> None:
    services.leave_start(actor=actor_for(cast, "board"), membership=cast.marcus_board)
    services.join_request_create(
        actor=actor_for(cast, "board"), space=cast.other_space, role="board", message="Hello"
    )
    client = Client()
    sign_in(client, cast.marcus, mfa=False, reauthenticated=True)

    data = _download(client)

    [membership] = data["space_memberships"]
    assert membership["space"] == "northside"
    assert membership["role"] == "board"
    assert membership["joined_at"]
    assert membership["left_at"] is None
    assert membership["lived_experience"] == "Peer worker, 10 years."
    assert len(membership["leaves"]) == 1
    assert membership["leaves"][0]["ended_at"] is None
    [request] = data["space_join_requests"]
    assert (request["space"], request["role"], request["message"], request["status"]) == (
        "riverside",
        "board",
        "Hello",
        "pending",
    )
    assert data["organisation_editor_rows"] == []


def test_the_download_has_the_editors_own_rows(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.olu, mfa=False, reauthenticated=True)

    data = _download(client)

    [row] = data["organisation_editor_rows"]
    assert row["organisation"] == "outreach"
    assert row["left_at"] is None
    assert data["space_memberships"] == []


def test_the_download_has_nothing_of_anyone_elses_memberships(cast: Cast) -> None:
    """dee is in the same space as marcus and rosa: her download names none of them and
    carries no one else's private note."""
    client = Client()
    sign_in(client, cast.dee, mfa=False, reauthenticated=True)

    response = client.get("/account/data.json")
    data = json.loads(response.content)
    text = response.content.decode()

    assert [(m["space"], m["role"]) for m in data["space_memberships"]] == [
        ("northside", "electorate")
    ]
    assert data["space_join_requests"] == []
    assert data["organisation_editor_rows"] == []
    for other in ("Peer worker", "Marcus", "marcus", "Rosa", "rosa", "Olu"):
        assert other not in text
