"""An app's index in the API: where its resources are, for the API root to link to when
they live under another resource (a proposal's rounds, its vote) that no one link can name."""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import reverse
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import Read


class IndexView(Read):
    """``templates`` maps each name to a URI template below the API root ("spaces/
    {space_slug}/proposals/"); ``addresses`` maps each name to a URL name. The answer
    lists the templates first, then the addresses, each as an absolute URI. Its operation
    is made as ``api.base.Read`` makes one, from ``answer`` (the serializer that describes
    the index), ``tags`` and ``summary``; the class docstring is its description."""

    permission_classes = [AllowAny]
    templates: ClassVar[dict[str, str]] = {}
    addresses: ClassVar[dict[str, str]] = {}

    def read(self, request: Request) -> dict[str, Any]:
        root = request.build_absolute_uri(reverse("api:root"))
        body = {name: root + template for name, template in self.templates.items()}
        for name, url_name in self.addresses.items():
            body[name] = request.build_absolute_uri(reverse(url_name))
        return body

    def respond(self, result: dict[str, Any]) -> Response:
        # The addresses as they are: the serializer only describes them for the schema.
        return Response(result)
