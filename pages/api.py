"""The home page and a person's own page in the API: ``GET /api/v1/home/`` (public: the
spaces, the open votes, the latest decisions) and ``GET /api/v1/me/`` (what needs the
caller). The same selectors as the pages (pages/selectors.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authority import Actor
from accounts.selectors import display_name
from advisory.models import Round
from advisory.serializers.read import round_url
from pages.selectors import home_page, my_page
from pages.serializers import HomeSerializer, MeSerializer
from proposals.models import Proposal
from proposals.serializers import proposal_api_url, proposal_html_url

TAGS = ["home"]


def _vote_url(request: Request, proposal: Proposal) -> str:
    kwargs = {"space_slug": proposal.space.slug, "pk": proposal.pk}
    return request.build_absolute_uri(reverse("api:voting:vote", kwargs=kwargs))


def _round_row(request: Request, round: Round, moment: str) -> dict[str, Any]:
    return {
        "proposal": round.proposal.pk,
        "proposal_title": round.version.title,
        "space": round.proposal.space.slug,
        "version": round.version.number,
        moment: getattr(round, moment),
        "url": round_url(request, round),
    }


def _proposal_row(request: Request, proposal: Proposal) -> dict[str, Any]:
    return {
        "proposal": proposal.pk,
        # Drafts and revisions are their authors' and co-signers' to read: the working copy.
        "title": proposal.draft.title,
        "space": proposal.space.slug,
        "state": proposal.state,
        "url": proposal_api_url(request, proposal),
        "html_url": proposal_html_url(request, proposal),
    }


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
        actor = Actor.from_request(request)
        mine = my_page(actor)
        facilitator = None
        if mine.facilitator is not None:
            facilitator = {
                "overdue_rounds": [
                    _round_row(request, round, "deadline_at")
                    for round in mine.facilitator.overdue_rounds
                ],
                "join_requests": None
                if mine.facilitator.join_requests is None
                else [
                    {
                        "id": join_request.pk,
                        "space": join_request.space.slug,
                        "person": display_name(join_request.user),
                        "role": join_request.role,
                        "created_at": join_request.created_at,
                    }
                    for join_request in mine.facilitator.join_requests
                ],
            }
        data = {
            "public_name": display_name(actor.user),
            "roles": sorted(mine.roles),
            "reviews": mine.reviews,
            "votes": mine.votes,
            "drafts": [_proposal_row(request, proposal) for proposal in mine.drafts],
            "cosign_requests": [
                _proposal_row(request, proposal) for proposal in mine.cosign_requests
            ],
            "responses_owed": [
                _round_row(request, round, "closed_at") for round in mine.responses_owed
            ],
            "facilitator": facilitator,
        }
        response = Response(MeSerializer(data, context={"request": request}).data)
        patch_cache_control(response, private=True, no_store=True)
        return response


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
        home = home_page()
        data = {
            "spaces": [
                {
                    "name": space.name,
                    "slug": space.slug,
                    "url": request.build_absolute_uri(
                        reverse("api:spaces:detail", kwargs={"slug": space.slug})
                    ),
                }
                for space in home.spaces
            ],
            "open_votes": [
                {
                    "proposal": item.vote.proposal.pk,
                    "proposal_title": item.vote.version.title,
                    "space": item.vote.proposal.space.slug,
                    "state": item.state,
                    "state_label": item.get_state_display(),
                    "close_at": item.vote.close_at,
                    "url": _vote_url(request, item.vote.proposal),
                }
                for item in home.open_votes
            ],
            "latest_decisions": [
                {
                    "kind": decision.kind,
                    "at": decision.at,
                    "proposal": decision.proposal.pk,
                    "title": decision.title,
                    "space": decision.proposal.space.slug,
                    "outcome": decision.outcome,
                    "outcome_label": decision.outcome_label,
                    "url": _vote_url(request, decision.proposal)
                    if decision.round is None
                    else round_url(request, decision.round),
                }
                for decision in home.decisions
            ],
        }
        return Response(HomeSerializer(data).data)
