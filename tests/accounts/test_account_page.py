"""The account page: public name, sign-in security links, personal API tokens, data."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from knox.models import AuthToken

from accounts.models import User
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
    client = sign_in(Client(), alice)

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
    client = sign_in(Client(), alice)
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
    client = sign_in(Client(), alice)
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
