"""The API root: what there is to read, so that /api/v1/ is a map and not a 404."""

from __future__ import annotations

from typing import Any

from django.urls import URLResolver, get_resolver, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class ApiRootView(APIView):
    """Links to every resource that the API's URL root (``config/api_urls.py``) includes,
    keyed by its name; a resource nested under another one (proposals, under their space)
    links to its index."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="List the API's resources",
        description="Links to each resource of this API version, keyed by its name.",
        responses={
            200: {
                "type": "object",
                "additionalProperties": {"type": "string", "format": "uri"},
                "example": {"history": "https://realvoice.example/api/v1/history/"},
            }
        },
        tags=["root"],
    )
    def get(self, request: Request) -> Response:
        return Response(resource_links(request))


def api_resolver() -> URLResolver:
    """The resolver mounted under the ``api`` namespace, wherever the site includes it."""
    _prefix, resolver = get_resolver().namespace_dict["api"]
    return resolver


def resource_links(request: Request) -> dict[str, str]:
    root = reverse("api:root")
    links: dict[str, Any] = {}
    for entry in api_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            route = str(entry.pattern)
            name = entry.app_name or entry.namespace or route.strip("/")
            if "<" in route:
                # Nested under another resource (a space's proposals): no one link can name
                # every parent, so link the resource's index, "<name>-index", which gives
                # the URI template instead.
                links[name] = request.build_absolute_uri(reverse(f"api:{name}-index"))
            else:
                links[name] = request.build_absolute_uri(root + route)
    return links
