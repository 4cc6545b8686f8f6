"""The language check for API clients' live previews, the proposals index the API root
links to, and the OpenAPI schema describing every proposals endpoint."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.accounts.support import sign_in
from tests.api.support import error_of
from tests.factories import UserFactory

CHECK = "/api/v1/proposals/check/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in() -> APIClient:
    client = APIClient()
    sign_in(client, UserFactory(username="olu"))
    return client


def test_the_check_finds_stigmatising_phrases_and_renders_the_markdown(
    signed_in: APIClient,
) -> None:
    text = "## Plan\n\nKits for every addict. <script>x</script>"

    response = signed_in.post(CHECK, {"text": text})

    assert response.status_code == 200
    body = response.json()
    [warning] = body["warnings"]
    assert warning["phrase"] == "addict"
    assert text[warning["start"] : warning["end"]] == "addict"
    assert warning["language"] == "en"
    assert warning["suggestion"]
    assert warning["why"]
    assert body["html"].startswith("<h3>Plan</h3>")
    assert "<script" not in body["html"]


def test_the_check_can_be_limited_to_one_language(signed_in: APIClient) -> None:
    text = "Kits for every addict."

    assert signed_in.post(CHECK, {"text": text, "language": "es"}).json()["warnings"] == []
    assert len(signed_in.post(CHECK, {"text": text, "language": "en"}).json()["warnings"]) == 1


def test_an_unknown_language_is_a_field_error(signed_in: APIClient) -> None:
    response = signed_in.post(CHECK, {"text": "Hello", "language": "xx"})

    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert isinstance(fields, dict)
    assert "xx" in fields["language"][0]


def test_the_check_needs_sign_in(db: None) -> None:
    response = APIClient().post(CHECK, {"text": "Kits for every addict."})

    assert response.status_code == 401


def test_the_api_root_links_the_proposals_index_which_gives_the_addresses(db: None) -> None:
    client = APIClient()

    root = client.get("/api/v1/").json()
    index = client.get(root["proposals"])

    assert root["proposals"] == "http://testserver/api/v1/proposals/"
    assert index.status_code == 200
    assert index.json() == {
        "space_proposals": "http://testserver/api/v1/spaces/{space_slug}/proposals/",
        "organisation_proposals": "http://testserver/api/v1/organisations/{slug}/proposals/",
        "spaces": "http://testserver/api/v1/spaces/",
        "check": "http://testserver/api/v1/proposals/check/",
    }


def test_the_openapi_schema_describes_every_proposals_endpoint(db: None) -> None:
    schema = Client().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    base = "/api/v1/spaces/{space_slug}/proposals/"

    expected = {
        base: {"get", "post"},
        base + "{id}/": {"get", "patch"},
        base + "{id}/submit/": {"post"},
        base + "{id}/cosign/": {"post"},
        base + "{id}/cosign/decline/": {"post"},
        base + "{id}/cosign-requests/": {"get", "post"},
        base + "{id}/cosign-requests/{person}/": {"delete"},
        base + "{id}/cosign-candidates/": {"get"},
        base + "{id}/withdraw/": {"post"},
        base + "{id}/versions/": {"get"},
        base + "{id}/versions/{number}/": {"get"},
        base + "{id}/diff/": {"get"},
        "/api/v1/proposals/": {"get"},
        "/api/v1/proposals/check/": {"post"},
        "/api/v1/organisations/{slug}/proposals/": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) == methods, path
    # Requests and responses are described, not left as free-form objects.
    create = paths[base]["post"]
    assert "requestBody" in create
    assert "201" in create["responses"]
    listed = {p["name"] for p in paths[base]["get"]["parameters"]}
    assert {"state", "tag", "organisation", "search", "page"} <= listed
    diff = {p["name"] for p in paths[base + "{id}/diff/"]["get"]["parameters"]}
    assert {"from", "to"} <= diff
    detail = schema["components"]["schemas"]["ProposalDetail"]["properties"]
    assert {"working_copy", "warnings", "current_version", "versions", "cosigners"} <= set(detail)
