"""The account page: public name, sign-in security links, personal API tokens, data."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts.models import User
from api.authentication import PersonalTokenAuthentication
from tests.accounts.support import sign_in

pytestmark = pytest.mark.django_db


def test_the_account_page_needs_a_sign_in() -> None:
    response = Client().get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_account_page_links_email_password_and_two_factor(alice: User) -> None:
    page = sign_in(Client(), alice).get("/account/").content.decode()
    for url in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        assert f'href="{url}"' in page
    assert "Alice" in page


def test_a_person_changes_their_public_name_on_the_page(alice: User) -> None:
    client = sign_in(Client(), alice)
    response = client.post("/account/name/", {"public_name": "Ally"}, follow=True)
    assert "Your public name is changed." in response.content.decode()
    assert 'role="status"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.public_name == "Ally"


def test_a_token_is_shown_once_then_listed_by_its_start_and_revoked(alice: User) -> None:
    client = sign_in(Client(), alice, reauthenticated=True)

    created = client.post("/account/tokens/", {"name": "My script"}).content.decode()
    token = AuthToken.objects.get(user=alice)
    secret_start = token.token_key
    match = re.search(r'<code id="new-token">([^<]+)</code>', created)
    assert match is not None
    secret = match.group(1)
    assert secret.startswith(secret_start)
    assert len(secret) > len(secret_start)
    assert "shown only this once" in created

    listed = client.get("/account/").content.decode()
    assert secret not in listed
    assert secret_start in listed
    assert "My script" in listed

    client.post("/account/tokens/revoke/", {"token": secret_start})
    assert not AuthToken.objects.filter(user=alice).exists()


def test_the_new_token_works_on_the_api_but_cannot_make_tokens(alice: User) -> None:
    client = sign_in(Client(), alice, reauthenticated=True)
    client.post("/account/tokens/", {"name": "t"})
    assert AuthToken.objects.filter(user=alice).count() == 1
    # The token pages are session pages: a token in a header is no sign-in there.
    response = Client().post(
        "/account/tokens/", {"name": "more"}, HTTP_AUTHORIZATION="Token rv_" + "0" * 64
    )
    assert response.status_code == 302
    assert AuthToken.objects.count() == 1


def test_the_data_download_has_the_persons_own_data_and_no_one_elses(
    alice: User, bob: User
) -> None:
    client = sign_in(Client(), alice, reauthenticated=True)
    response = client.get("/account/data.json")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["public_name"] == "Alice"
    assert data["account"]["email"] == "alice@example.org"
    assert data["account"]["sign_in_name"] == "alice"
    text = response.content.decode()
    assert "bob" not in text.lower()


def test_the_data_download_needs_a_sign_in() -> None:
    assert Client().get("/account/data.json").status_code == 302


def test_creating_a_token_needs_a_recent_sign_in(alice: User, settings) -> None:
    """A session signed in long ago is sent to confirm it is the person; no token is made."""
    long_ago = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 60
    client = sign_in(Client(), alice, at=long_ago, reauthenticated=True)

    response = client.post("/account/tokens/", {"name": "My script"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not AuthToken.objects.filter(user=alice).exists()


def test_downloading_ones_data_needs_a_recent_sign_in(alice: User, settings) -> None:
    long_ago = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 60
    client = sign_in(Client(), alice, at=long_ago, reauthenticated=True)

    response = client.get("/account/data.json")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert "alice" not in response.content.decode()


def test_a_token_expires_after_the_configured_days_shown_on_the_page(alice: User, settings) -> None:
    settings.PERSONAL_TOKEN_DAYS = 30
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        client = sign_in(Client(), alice, reauthenticated=True)
        client.post("/account/tokens/", {"name": "My script"})
        page = client.get("/account/").content.decode()
    token = AuthToken.objects.get(user=alice)

    assert token.expiry == datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert 'datetime="2026-03-31T12:00:00' in page
    assert "Expires" in page


def test_an_expired_token_no_longer_signs_anyone_in(alice: User) -> None:
    client = sign_in(Client(), alice, reauthenticated=True)
    created = client.post("/account/tokens/", {"name": "My script"}).content.decode()
    match = re.search(r'<code id="new-token">([^<]+)</code>', created)
    assert match is not None

    def authenticate() -> object:
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {match.group(1)}")
        return PersonalTokenAuthentication().authenticate(Request(request))

    assert authenticate() is not None
    AuthToken.objects.filter(user=alice).update(expiry=timezone.now() - timedelta(seconds=1))
    with pytest.raises(AuthenticationFailed):
        authenticate()
