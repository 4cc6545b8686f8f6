"""The home page and a person's own page in the API: ``GET /api/v1/home/`` (public: the
spaces, the open votes, the latest decisions) and ``GET /api/v1/me/`` (what needs the
caller). The same selectors as the pages (pages/selectors.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authority import Actor
from core.caching import private
from pages.selectors import home_page, my_page
from pages.serializers import HomeSerializer, MeSerializer

TAGS = ["home"]


class Me(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses=MeSerializer,
        tags=TAGS,
        summary="What needs the caller (their own page)",
        description="The reviews the caller owes with their deadlines, the votes they can "
        "cast with their closing times, their drafts and the drafts they are asked to "
        "co-sign, the responses owed on passed rounds of proposals they author, and for "
        "facilitators the overdue rounds and the requests to join of their spaces.",
    )
    def get(self, request: Request) -> Response:
        mine = my_page(Actor.from_request(request))
        return private(Response(MeSerializer(mine, context={"request": request}).data))


class Home(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses=HomeSerializer,
        tags=TAGS,
        summary="The home page: spaces, open votes and the latest decisions",
        description="Every decision space; the votes open now, soonest close first (at "
        'most 20), a vote past its close and not finalised yet shown as "counting"; the '
        "latest decisions, votes counted and advisory rounds closed, newest first (at most "
        "10).",
    )
    def get(self, request: Request) -> Response:
        return Response(HomeSerializer(home_page(), context={"request": request}).data)
