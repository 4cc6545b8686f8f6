"""Co-signing in the proposals API: co-signing, the requests to co-sign (asking, listing,
taking back, declining) and who may be asked. Requests are never public: they are for the
proposal's authors and the person asked. See ``proposals.api`` for what every address of a
proposal shares.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authority import Actor
from accounts.models import User
from api.base import Read, ServiceCall
from core.errors import NotPermitted
from proposals import selectors, services
from proposals.api import TAGS, ProposalCall, visible
from proposals.models import CosignInvitation, Proposal
from proposals.rules import invite_cosigner_refusal
from proposals.serializers import (
    CosignRequestCreateSerializer,
    CosignRequestSerializer,
    PersonSerializer,
)


class ProposalCosign(ProposalCall):
    summary = "Co-sign (board members of the space, editors of other organisations)"
    operation_description = "Before the first submission or during revision; once per person."

    def call(self, proposal: Proposal, values: dict[str, Any]) -> Proposal:
        services.proposal_cosign(actor=self.actor, proposal=proposal)
        return proposal


def _authored(request: Request, space_slug: str, pk: int) -> tuple[Actor, Proposal]:
    """A proposal the caller authors; 403 for anyone else who can see it."""
    actor, proposal = visible(request, space_slug, pk)
    # Who may ask, from the guard of asking; whether the state allows it is the service's
    # to say, and only when someone is asked.
    refusal = invite_cosigner_refusal(actor=actor, proposal=proposal)
    if isinstance(refusal, NotPermitted):
        raise refusal
    return actor, proposal


class CosignRequestList(ServiceCall):
    # The answer is the request made, not the proposal: not a ProposalCall.
    tags = TAGS
    summary = "Ask a person to co-sign (authors, before submission or in revision)"
    operation_description = (
        "The person (a board member of the space or an editor of another "
        "organisation, from cosign-candidates) may read a private draft until they "
        "co-sign or decline, and is told by e-mail."
    )
    body = CosignRequestCreateSerializer
    answer = CosignRequestSerializer
    status_code = status.HTTP_201_CREATED

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

    def subject(self, request: Request) -> Proposal:
        self.actor, proposal = _authored(request, self.kwargs["space_slug"], self.kwargs["pk"])
        return proposal

    def call(self, proposal: Proposal, values: dict[str, Any]) -> CosignInvitation:
        person = User.objects.filter(public_id=values["person"], deleted_at__isnull=True).first()
        if person is None:
            raise ValidationError({"person": [_("There is no one with this id.")]})
        return services.proposal_invite_cosigner(actor=self.actor, proposal=proposal, user=person)


class CosignCandidates(Read):
    tags = TAGS
    summary = "Who may be asked to co-sign (authors)"
    operation_description = (
        "Current board members of the space and editors of other "
        "organisations who neither author, co-sign nor have an open request."
    )
    answer = PersonSerializer
    many = True

    def read(self, request: Request) -> QuerySet[User]:
        _actor, proposal = _authored(request, self.kwargs["space_slug"], self.kwargs["pk"])
        return selectors.cosign_candidates(proposal)


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
            raise NotFound(services.no_request_to_take_back())
        services.proposal_revoke_cosign_request(actor=actor, proposal=proposal, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CosignDecline(ProposalCall):
    summary = "Decline a request to co-sign"
    operation_description = "A private draft is hidden from the caller again."
    status_code = status.HTTP_204_NO_CONTENT
    responses = {204: None}

    def call(self, proposal: Proposal, values: dict[str, Any]) -> None:
        services.proposal_decline_cosign(actor=self.actor, proposal=proposal)

    def respond(self, result: None) -> Response:
        return Response(status=self.status_code)
