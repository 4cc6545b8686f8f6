"""No page and no API response shows anyone's e-mail address but the viewer's own:
every URL pattern, walked as an anonymous visitor and as another signed-in member,
with several accounts holding addresses."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.http import HttpResponseBase
from django.test import Client

from accounts.models import User
from tests.accounts.support import sign_in
from tests.factories import UserFactory
from tests.urlwalk import every_path

pytestmark = pytest.mark.django_db


def _body(response: HttpResponseBase) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
    return response.content.decode(errors="replace")  # type: ignore[attr-defined]


@pytest.fixture
def others(db: None) -> list[User]:
    people = [
        UserFactory(username="carol", public_name="Carol", email="carol.secret@example.net"),
        UserFactory(username="dana", public_name="Dana", email="dana.secret@example.net"),
        UserFactory(
            username="staffer",
            public_name="Staffer",
            email="staff.secret@example.net",
            is_staff=True,
        ),
    ]
    for person in people:
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return people


def _leaks(client: Client, addresses: list[str], object_id: str) -> list[str]:
    found = []
    for site_path in every_path({"object_id": object_id}):
        for method in ("get",):
            response = getattr(client, method)(site_path.path)
            body = _body(response) + str(response.headers)
            found += [
                f"{site_path.path} ({site_path.pattern}): {address}"
                for address in addresses
                if address.lower() in body.lower()
            ]
    return found


def test_an_anonymous_visitor_sees_no_email_address(others: list[User]) -> None:
    addresses = [person.email for person in others if person.email]
    assert _leaks(Client(raise_request_exception=False), addresses, str(others[0].pk)) == []


def test_a_signed_in_member_sees_only_their_own_address(others: list[User], bob: User) -> None:
    client = sign_in(Client(raise_request_exception=False), bob, mfa=True, reauthenticated=True)
    addresses = [person.email for person in others if person.email]

    assert _leaks(client, addresses, str(others[0].pk)) == []
    assert "bob@example.org" in client.get("/account/data.json").content.decode()
