"""The home page and a person's own page in the API: ``GET /api/v1/home/`` (public: the
spaces, the open votes, the latest decisions) and ``GET /api/v1/me/`` (what needs the
caller). The same selectors as the pages (pages/selectors.py)."""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.request import Request

from accounts.authority import Actor
from api.base import Read
from pages.selectors import HomePage, MyPage, home_page, my_page
from pages.serializers import HomeSerializer, MeSerializer

TAGS = ["home"]


class Me(Read):
    permission_classes = [permissions.IsAuthenticated]
    tags = TAGS
    summary = "What needs the caller (their own page)"
    operation_description = (
        "The reviews the caller owes with their deadlines, the votes they can cast with "
        "their closing times, their drafts and the drafts they are asked to co-sign, the "
        "responses owed on passed rounds of proposals they author, and for facilitators "
        "the overdue rounds and the requests to join of their spaces."
    )
    answer = MeSerializer
    personal = True

    def read(self, request: Request) -> MyPage:
        return my_page(Actor.from_request(request))


class Home(Read):
    permission_classes = [permissions.AllowAny]
    tags = TAGS
    summary = "The home page: spaces, open votes and the latest decisions"
    operation_description = (
        "Every decision space; the votes open now, soonest close first (at most 20), a "
        'vote past its close and not finalised yet shown as "counting"; the latest '
        "decisions, votes counted and advisory rounds closed, newest first (at most 10)."
    )
    answer = HomeSerializer

    def read(self, request: Request) -> HomePage:
        return home_page()
