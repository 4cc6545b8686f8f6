"""Test-only API views, mounted with ``@pytest.mark.urls("tests.api.urls")``.

Each view exists to make the API's shared conventions produce one kind of answer (a
validation error, a domain error, a page of results, a throttled request) without
depending on a real resource. The site's own URLs are included too, so /api/v1/ still resolves.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils.cache import patch_vary_headers
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api.throttling import AnonRateThrottle
from core.errors import Conflict, DomainError, NotPermitted


class ProposalDraftSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=20)
    cost = serializers.IntegerField(min_value=0)


class ValidatingView(APIView):
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        serializer = ProposalDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


DOMAIN_ERRORS: dict[str, DomainError] = {
    "invalid": DomainError("The review window must be at least 7 days."),
    "not-permitted": NotPermitted("Only a facilitator of this space can do this."),
    "conflict": Conflict("This proposal is already under review.", code="already_submitted"),
}


class DomainErrorView(APIView):
    permission_classes = [AllowAny]

    def post(self, request: Request, kind: str) -> Response:
        raise DOMAIN_ERRORS[kind]


class MissingPersonView(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        get_object_or_404(User, pk=0)
        return Response({})


class WhoAmIView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response(
            {"username": request.user.get_username(), "auth": type(request.auth).__name__}
        )

    def post(self, request: Request) -> Response:
        return Response({"changed": True})


class StaffOnlyView(APIView):
    permission_classes = [IsAdminUser]

    def get(self, request: Request) -> Response:
        return Response({})


class NumberList(generics.ListAPIView[Any]):
    permission_classes = [AllowAny]

    def get_queryset(self) -> Any:
        return list(range(1, 121))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(page)


class TwoPerMinute(AnonRateThrottle):
    rate = "2/minute"


class ThrottledView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TwoPerMinute]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


def plain_refusal_with_a_cookie(request: HttpRequest) -> HttpResponse:
    """A non-DRF view refusing in plain text, with a cookie and a Vary header of its own."""
    response = HttpResponseForbidden("no", content_type="text/plain")
    response.set_cookie("realvoice_test", "kept", httponly=True)
    patch_vary_headers(response, ["Origin"])
    return response


urlpatterns = [
    path("api/test/validate/", ValidatingView.as_view()),
    path("api/test/domain-error/<str:kind>/", DomainErrorView.as_view()),
    path("api/test/missing-person/", MissingPersonView.as_view()),
    path("api/test/whoami/", WhoAmIView.as_view()),
    path("api/test/staff-only/", StaffOnlyView.as_view()),
    path("api/test/numbers/", NumberList.as_view()),
    path("api/test/throttled/", ThrottledView.as_view()),
    path("api/test/plain-refusal/", plain_refusal_with_a_cookie),
    path("", include("config.urls")),
]
