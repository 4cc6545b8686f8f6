"""The facilitators' list of members is paginated and searchable by public name, on the
page and in the API."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import MembershipFactory, UserFactory
from tests.pages.support import Page
from tests.spaces.conftest import Cast, api_client_for, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(cast: Cast) -> None:
    """120 more voters, named Voter 000 to Voter 119, and one Marisol."""
    for number in range(120):
        MembershipFactory(
            space=cast.space,
            user=UserFactory(public_name=f"Voter {number:03d}"),
            role="electorate",
        )
    MembershipFactory(space=cast.space, user=UserFactory(public_name="Marisol"), role="board")


def _page(client: Client, query: str = "") -> Page:
    response = client.get(f"/spaces/northside/members/{query}")
    assert response.status_code == 200
    return Page(response.content.decode())


def test_the_members_page_shows_fifty_members_a_page_with_links_between(
    cast: Cast, crowd: None
) -> None:
    client = Client()
    sign_in(client, cast.rosa, mfa=True)

    first = _page(client)
    last = _page(client, "?page=3")

    assert "124 current members" in first.text
    assert "Page 1 of 3" in first.text
    assert first.find_all("a", href="?page=2", rel="next")
    assert "Page 3 of 3" in last.text
    assert first.text.count("End membership of") == 50
    assert last.text.count("End membership of") == 24


def test_the_members_page_finds_members_by_public_name(cast: Cast, crowd: None) -> None:
    client = Client()
    sign_in(client, cast.rosa, mfa=True)

    found = _page(client, "?q=mar")
    page_two = _page(client, "?q=voter&page=2")
    nobody = _page(client, "?q=zz")

    assert "2 current members" in found.text
    assert "End membership of Marcus" in found.text
    assert "End membership of Marisol" in found.text
    assert "Voter 001" not in found.text
    assert "120 current members" in page_two.text
    assert page_two.find_all("a", href="?q=voter&page=3", rel="next")
    assert "No current member's public name contains this." in nobody.text


def test_the_api_lists_members_by_page_and_finds_them_by_public_name(
    cast: Cast, crowd: None
) -> None:
    client = api_client_for(cast, "facilitator_mfa")

    everyone = client.get("/api/v1/spaces/northside/memberships/").json()
    found = client.get("/api/v1/spaces/northside/memberships/?q=MAR").json()

    assert everyone["count"] == 124
    assert len(everyone["results"]) == 50
    assert everyone["next"]
    assert found["count"] == 2
    assert {row["public_name"] for row in found["results"]} == {"Marcus", "Marisol"}
