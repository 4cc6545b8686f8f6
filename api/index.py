"""An app's index in the API: where its resources are, for the API root to link to when
they live under another resource (a proposal's rounds, its vote) that no one link can name."""

from __future__ import annotations

from typing import ClassVar

from django.urls import reverse
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class IndexView(APIView):
    """``templates`` maps each name to a URI template below the API root ("spaces/
    {space_slug}/proposals/"); ``addresses`` maps each name to a URL name. The answer
    lists the templates first, then the addresses, each as an absolute URI."""

    permission_classes = [AllowAny]
    templates: ClassVar[dict[str, str]] = {}
    addresses: ClassVar[dict[str, str]] = {}

    def get(self, request: Request) -> Response:
        root = request.build_absolute_uri(reverse("api:root"))
        body = {name: root + template for name, template in self.templates.items()}
        for name, url_name in self.addresses.items():
            body[name] = request.build_absolute_uri(reverse(url_name))
        return Response(body)
