"""GET /api/v1/ is a public map of the API's resources, not a 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from config import api_urls

pytestmark = pytest.mark.django_db


def test_the_api_root_links_every_resource_the_api_includes(api_client: APIClient) -> None:
    """Anonymous callers get one absolute link per include() in config/api_urls.py."""
    response = api_client.get("/api/v1/")

    assert response.status_code == 200
    links = response.json()
    assert links["history"] == "http://testserver/api/v1/history/"
    included = [entry for entry in api_urls.urlpatterns if hasattr(entry, "url_patterns")]
    assert len(links) == len(included)


def test_every_link_on_the_api_root_leads_somewhere(api_client: APIClient) -> None:
    """No link on the map is a dead end (each answers GET without a 404)."""
    for name, link in api_client.get("/api/v1/").json().items():
        response = api_client.get(link)
        assert response.status_code != 404, name
