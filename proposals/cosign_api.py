"""Co-signing in the proposals API: co-signing, the requests to co-sign (asking, listing,
taking back, declining) and who may be asked. Requests are never public: they are for the
proposal's authors and the person asked. See ``proposals.api`` for what every address of a
proposal shares.
"""

from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authority import Actor
from accounts.models import User
from core.errors import NotPermitted
from proposals import selectors, services
from proposals.api import TAGS, detail_response, visible
from proposals.models import Proposal
from proposals.rules import invite_cosigner_refusal
from proposals.serializers import (
    CosignRequestCreateSerializer,
    CosignRequestSerializer,
    PersonSerializer,
    ProposalDetailSerializer,
)


class ProposalCosign(APIView):
    @extend_schema(
        request=None,
        responses=ProposalDetailSerializer,
        tags=TAGS,
        summary="Co-sign (board members of the space, editors of other organisations)",
        description="Before the first submission or during revision; once per person.",
    )
    def post(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = visible(request, space_slug, pk)
        services.proposal_cosign(actor=actor, proposal=proposal)
        return detail_response(request, actor, space_slug, pk)


def _authored(request: Request, space_slug: str, pk: int) -> tuple[Actor, Proposal]:
    """A proposal the caller authors; 403 for anyone else who can see it."""
    actor, proposal = visible(request, space_slug, pk)
    # Who may ask, from the guard of asking; whether the state allows it is the service's
    # to say, and only when someone is asked.
    refusal = invite_cosigner_refusal(actor=actor, proposal=proposal)
    if isinstance(refusal, NotPermitted):
        raise refusal
    return actor, proposal


class CosignRequestList(APIView):
    @extend_schema(
        responses=CosignRequestSerializer(many=True),
        tags=TAGS,
        summary="Open requests to co-sign (authors)",
        description="The people an author asked to co-sign who have not answered yet. "
        "Requests are never public.",
    )
    def get(self, request: Request, space_slug: str, pk: int) -> Response:
        _actor, proposal = _authored(request, space_slug, pk)
        invitations = selectors.open_cosign_invitations(proposal)
        return Response(CosignRequestSerializer(invitations, many=True).data)

    @extend_schema(
        request=CosignRequestCreateSerializer,
        responses={201: CosignRequestSerializer},
        tags=TAGS,
        summary="Ask a person to co-sign (authors, before submission or in revision)",
        description="The person (a board member of the space or an editor of another "
        "organisation, from cosign-candidates) may read a private draft until they "
        "co-sign or decline, and is told by e-mail.",
    )
    def post(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = _authored(request, space_slug, pk)
        data = CosignRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = User.objects.filter(
            public_id=data.validated_data["person"], deleted_at__isnull=True
        ).first()
        if person is None:
            raise ValidationError({"person": [_("There is no one with this id.")]})
        invitation = services.proposal_invite_cosigner(actor=actor, proposal=proposal, user=person)
        return Response(CosignRequestSerializer(invitation).data, status=status.HTTP_201_CREATED)


class CosignCandidates(APIView):
    @extend_schema(
        responses=PersonSerializer(many=True),
        tags=TAGS,
        summary="Who may be asked to co-sign (authors)",
        description="Current board members of the space and editors of other "
        "organisations who neither author, co-sign nor have an open request.",
    )
    def get(self, request: Request, space_slug: str, pk: int) -> Response:
        _actor, proposal = _authored(request, space_slug, pk)
        return Response(PersonSerializer(selectors.cosign_candidates(proposal), many=True).data)


class CosignRequestRevoke(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        tags=TAGS,
        summary="Take back an unanswered request to co-sign (authors)",
        description="A private draft is hidden from the person again; they are not asked "
        "again about this proposal.",
    )
    def delete(self, request: Request, space_slug: str, pk: int, person: UUID) -> Response:
        actor, proposal = _authored(request, space_slug, pk)
        user = User.objects.filter(public_id=person).first()
        if user is None:
            raise NotFound(_("There is no open request to take back."))
        services.proposal_revoke_cosign_request(actor=actor, proposal=proposal, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CosignDecline(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        tags=TAGS,
        summary="Decline a request to co-sign",
        description="A private draft is hidden from the caller again.",
    )
    def post(self, request: Request, space_slug: str, pk: int) -> Response:
        actor, proposal = visible(request, space_slug, pk)
        services.proposal_decline_cosign(actor=actor, proposal=proposal)
        return Response(status=status.HTTP_204_NO_CONTENT)
