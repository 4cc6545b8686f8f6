"""The OpenAPI schema is valid, and the Swagger UI at /api/docs/ loads only files
from this site."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates_without_warnings() -> None:
    """``manage.py spectacular --validate --fail-on-warn`` passes: no unresolved
    authenticator, serializer or path parameter, and the document matches OpenAPI 3."""
    out = io.StringIO()

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )

    assert '"openapi": "3.0.3"' in out.getvalue()


def test_the_schema_documents_the_shared_error_format() -> None:
    schema = Client().get("/api/schema/?format=json").json()

    assert "Error" in schema["components"]["schemas"]
    root = schema["paths"]["/api/v1/"]["get"]
    assert root["responses"]["4XX"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert set(schema["components"]["securitySchemes"]) == {"personalToken", "browserSession"}


class _Assets(HTMLParser):
    """Collects every address a page loads, and any inline script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for attribute in ("src", "href"):
            if values.get(attribute) and tag in {"script", "link", "img", "iframe"}:
                self.urls.append(str(values[attribute]))
        if tag == "style" or (tag == "script" and not values.get("src")):
            self._open = tag
        if values.get("style") is not None:
            self.inline.append(f"style attribute on <{tag}>")

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.inline.append(f"<{self._open}>{data.strip()[:40]}")

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def test_the_api_docs_page_references_only_same_origin_assets() -> None:
    response = Client().get("/api/docs/")

    assert response.status_code == 200
    page = _Assets()
    page.feed(response.content.decode())
    assert len(page.urls) >= 5  # favicon, two stylesheets, two bundles and the init script
    for url in page.urls:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("", ""), url
        assert url.startswith("/"), url
    assert page.inline == []


def test_every_asset_of_the_api_docs_page_is_served_by_this_site() -> None:
    """Each referenced file exists here (sidecar static files and the init script)."""
    client = Client()
    page = _Assets()
    page.feed(client.get("/api/docs/").content.decode())

    for url in page.urls:
        if url.startswith("/static/"):
            from django.contrib.staticfiles import finders

            assert finders.find(url.removeprefix("/static/")), url
        else:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("application/javascript")
