"""Personal API tokens (django-rest-knox) authenticate a person; anything else is a 401."""

from __future__ import annotations

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from tests.api.support import error_of

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

INVALID_TOKEN = "This API token is not valid"


def test_a_personal_token_authenticates_its_owner(api_client: APIClient, alice: User) -> None:
    """``Authorization: Token rv_…`` signs the request in; request.auth is the token row."""
    _, token = AuthToken.objects.create(user=alice)
    assert token.startswith("rv_")

    response = api_client.get("/api/test/whoami/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.json() == {"username": "alice", "auth": "AuthToken"}


def test_a_token_needs_no_csrf_token_to_change_things(alice: User) -> None:
    """CSRF protects the browser session only; a token is not sent automatically."""
    _, token = AuthToken.objects.create(user=alice)
    client = APIClient(enforce_csrf_checks=True)

    response = client.post(
        "/api/test/whoami/", {}, format="json", HTTP_AUTHORIZATION=f"Token {token}"
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Token rv_" + "0" * 64, id="well-formed-but-unknown"),
        pytest.param("Token rv_short", id="too-short"),
        pytest.param("Token " + "0" * 67, id="without-the-prefix"),
        pytest.param("token rv_" + "g" * 64, id="not-hexadecimal"),
        pytest.param("Token rv_é" + "0" * 63, id="not-ascii"),
        pytest.param("Token rv_\x00" + "0" * 63, id="with-a-nul-byte"),
    ],
)
def test_a_wrong_token_gets_the_json_401(api_client: APIClient, alice: User, header: str) -> None:
    """Every wrong token is refused the same way, never with a 500."""
    AuthToken.objects.create(user=alice)

    response = api_client.get("/api/test/whoami/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = error_of(response)
    assert error["code"] == "authentication_failed"
    assert str(error["message"]).startswith(INVALID_TOKEN)


@pytest.mark.parametrize("header", ["Token", "Token rv_a rv_b"])
def test_a_malformed_authorization_header_says_how_to_write_it(
    api_client: APIClient, header: str
) -> None:
    response = api_client.get("/api/test/whoami/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert "Authorization: Token <your token>" in str(error_of(response)["message"])


def test_a_revoked_token_no_longer_works(api_client: APIClient, alice: User) -> None:
    row, token = AuthToken.objects.create(user=alice)
    row.delete()

    response = api_client.get("/api/test/whoami/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 401


def test_the_token_of_a_deactivated_account_is_refused_like_any_wrong_token(
    api_client: APIClient, alice: User
) -> None:
    """The refusal does not reveal that the account exists but was closed."""
    _, token = AuthToken.objects.create(user=alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = api_client.get("/api/test/whoami/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 401
    assert str(error_of(response)["message"]).startswith(INVALID_TOKEN)


def test_another_authorization_scheme_is_ignored_not_refused(api_client: APIClient) -> None:
    """A Basic or Bearer header is not ours to judge: the request is simply anonymous."""
    response = api_client.get("/api/v1/", HTTP_AUTHORIZATION="Bearer abc")

    assert response.status_code == 200
