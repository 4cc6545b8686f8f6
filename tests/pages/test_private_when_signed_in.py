"""What a signed-in person is shown is theirs: no shared cache keeps it, and after a
quick exit the back button cannot bring it back from the browser's cache."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.support import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/spaces/", "/votes/open/"])
def test_pages_for_a_signed_in_person_are_private_and_not_stored(path: str) -> None:
    client = sign_in(Client(), UserFactory(username="dee"))
    response = client.get(path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_public_pages_for_someone_signed_out_may_be_cached() -> None:
    response = Client().get("/spaces/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
