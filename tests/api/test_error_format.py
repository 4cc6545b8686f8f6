"""Every API error, whatever raised it, answers in one JSON format:
``{"error": {"status", "code", "message", "fields"?}}`` with a message a person can act on."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from tests.api.support import error_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_a_validation_error_lists_each_field_with_its_messages(api_client: APIClient) -> None:
    """A 400 names every invalid field; the message leads with the first one."""
    response = api_client.post(
        "/api/test/validate/", {"title": "x" * 21, "cost": -5}, format="json"
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "title": ["Ensure this field has no more than 20 characters."],
        "cost": ["Ensure this value is greater than or equal to 0."],
    }
    assert error["message"] == "title: Ensure this field has no more than 20 characters."


def test_a_missing_field_is_reported_by_name(api_client: APIClient) -> None:
    """Leaving a required field out says which one."""
    response = api_client.post("/api/test/validate/", {"title": "Naloxone"}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"cost": ["This field is required."]}


def test_a_body_that_is_not_json_says_so(api_client: APIClient) -> None:
    """Malformed JSON is a 400 that tells the caller to check the syntax, not a 500."""
    response = api_client.post("/api/test/validate/", "{not json", content_type="application/json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "parse_error"
    assert "could not be read as JSON" in str(error["message"])
    assert "fields" not in error


def test_a_body_in_another_format_is_refused_with_the_format_to_use(
    api_client: APIClient,
) -> None:
    """A form-encoded body gets a 415 naming the content type the API reads."""
    response = api_client.post(
        "/api/test/validate/", "title=x", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert "Content-Type: application/json" in str(error_of(response)["message"])


def test_a_request_without_credentials_gets_401_and_how_to_authenticate(
    api_client: APIClient,
) -> None:
    """401 (not 403) with a WWW-Authenticate challenge, and the way to send a token."""
    response = api_client.get("/api/test/whoami/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = error_of(response)
    assert error["code"] == "not_authenticated"
    assert "Authorization: Token" in str(error["message"])


def test_a_signed_in_person_without_the_permission_gets_403(
    api_client: APIClient, alice: User
) -> None:
    api_client.force_authenticate(alice)

    response = api_client.get("/api/test/staff-only/")

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "permission_denied"
    assert error["message"] == "You do not have permission to do this."


def test_a_browser_session_without_its_csrf_token_gets_a_403_saying_what_to_do(
    alice: User,
) -> None:
    """The session is CSRF-protected; the refusal tells the caller to reload or use a token."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post("/api/test/whoami/", {}, format="json")

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "csrf_failed"
    assert "Reload the page" in str(error["message"])


def test_an_unknown_api_address_is_a_json_404_pointing_at_the_api_root() -> None:
    """No view matches: Django's 404 still answers in the API's format, not HTML."""
    response = Client().get("/api/v1/no-such-resource/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    error = error_of(response)
    assert error["code"] == "not_found"
    assert "/api/v1/" in str(error["message"])


def test_a_missing_object_is_a_404_that_does_not_name_the_model(api_client: APIClient) -> None:
    """Django's "No User matches the given query." would say what was looked up."""
    response = api_client.get("/api/test/missing-person/")

    assert response.status_code == 404
    error = error_of(response)
    assert "User" not in str(error["message"])
    assert error["message"].startswith("Nothing was found at this address.")


def test_an_unsupported_method_is_a_json_405_listing_the_allowed_ones(
    api_client: APIClient,
) -> None:
    response = api_client.delete("/api/v1/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    error = error_of(response)
    assert error["code"] == "method_not_allowed"
    assert error["message"] == (
        "This address does not accept DELETE requests. It accepts: GET, HEAD, OPTIONS."
    )


def test_a_post_to_the_api_docs_page_is_a_json_405_too() -> None:
    """The Swagger UI view renders HTML, yet its errors are in the API's format."""
    response = Client().post("/api/docs/")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert error_of(response)["code"] == "method_not_allowed"


def test_a_rewritten_error_keeps_the_cookies_and_vary_header_of_the_original() -> None:
    """The JSON error replaces the body, not what else the response said: a cookie set
    by the view (or by CSRF middleware) and the headers caches key on are kept."""
    response = Client().get("/api/test/plain-refusal/")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    cookie = response.cookies["realvoice_test"]
    assert cookie.value == "kept"
    assert cookie["httponly"]
    assert "Origin" in response["Vary"]


def test_a_disallowed_host_under_the_api_is_a_json_400() -> None:
    """Django's own 400 (raised before any view) is rewritten as well."""
    response = Client(HTTP_HOST="attacker.example").get("/api/v1/")

    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_too_many_requests_get_429_with_retry_after_kept(api_client: APIClient) -> None:
    """The third request in a minute is refused, saying how long to wait."""
    for _ in range(2):
        assert api_client.get("/api/test/throttled/").status_code == 200

    response = api_client.get("/api/test/throttled/")

    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 60
    error = error_of(response)
    assert error["code"] == "throttled"
    assert error["message"] == f"Too many requests. Wait {seconds} seconds, then try again."


@pytest.mark.parametrize(
    ("kind", "status", "code", "message"),
    [
        ("invalid", 400, "invalid", "The review window must be at least 7 days."),
        (
            "not-permitted",
            403,
            "permission_denied",
            "Only a facilitator of this space can do this.",
        ),
        ("conflict", 409, "already_submitted", "This proposal is already under review."),
    ],
)
def test_a_domain_error_becomes_its_own_status_code_and_message(
    api_client: APIClient, kind: str, status: int, code: str, message: str
) -> None:
    """A service's DomainError keeps its status, its code and its sentence."""
    response = api_client.post(f"/api/test/domain-error/{kind}/", {}, format="json")

    assert response.status_code == status
    error = error_of(response)
    assert (error["code"], error["message"]) == (code, message)
    assert "fields" not in error


def test_error_messages_come_in_the_language_of_the_request() -> None:
    """The API's own messages are translated strings (here into Spanish)."""
    response = Client().get("/api/v1/no-such-resource/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 404
    assert error_of(response)["message"].startswith("No hay nada en esta dirección.")


def test_a_server_error_under_the_api_is_json_too(
    api_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception is a 500 in the error format, without its details."""
    from tests.api import urls

    def explode(self: object, request: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(urls.WhoAmIView, "get", explode)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(UserFactory())

    response = client.get("/api/test/whoami/")

    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "secret" not in response.content.decode()
