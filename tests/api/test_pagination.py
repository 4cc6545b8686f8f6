"""Lists come in numbered pages: ``{"count", "next", "previous", "results"}``."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.support import error_of

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_a_list_comes_in_pages_of_fifty_with_links(api_client: APIClient) -> None:
    body = api_client.get("/api/test/numbers/").json()

    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 120
    assert body["next"] == "http://testserver/api/test/numbers/?page=2"
    assert body["previous"] is None
    assert body["results"] == list(range(1, 51))


def test_the_last_page_links_back_and_not_forward(api_client: APIClient) -> None:
    body = api_client.get("/api/test/numbers/?page=3").json()

    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/test/numbers/?page=2"
    assert body["results"] == list(range(101, 121))


def test_a_caller_may_ask_for_smaller_or_larger_pages_up_to_200(api_client: APIClient) -> None:
    small = api_client.get("/api/test/numbers/?page_size=10").json()
    capped = api_client.get("/api/test/numbers/?page_size=5000").json()

    assert small["results"] == list(range(1, 11))
    assert small["next"] == "http://testserver/api/test/numbers/?page=2&page_size=10"
    assert len(capped["results"]) == 120  # all of them: the cap of 200 is not reached
    assert capped["next"] is None


def test_a_page_past_the_end_is_a_404_saying_how_to_recover(api_client: APIClient) -> None:
    response = api_client.get("/api/test/numbers/?page=9")

    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found"
    assert str(error["message"]).startswith("There is no page 9 in this list")
    assert "first page" in str(error["message"])
