"""The invitee's side of invitations in the API, as on the pages (spaces/invitation_views.py):
a one-time code redeemed signed in, an e-mailed link's token accepted or declined. Every
try counts against the same rate limits as the pages' before anything is looked up."""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authority import Actor
from spaces import selectors, services
from spaces.invitation_views import CODE_ACTION, link_limited
from spaces.models import Invitation, Membership


class InvitationCodeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=64, help_text="The code a facilitator handed over.")


class InvitationTokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        max_length=128, help_text="The token at the end of the e-mailed invitation link."
    )


class JoinedSerializer(serializers.ModelSerializer[Membership]):
    space = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "space", "role", "joined_at"]


class DeclinedSerializer(serializers.ModelSerializer[Invitation]):
    space = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)

    class Meta:
        model = Invitation
        fields = ["space", "role", "declined_at"]


class InvitationRedeemCode(APIView):
    @extend_schema(
        request=InvitationCodeSerializer,
        responses={201: JoinedSerializer},
        tags=["spaces"],
        summary="Join a space by redeeming a facilitator's one-time code (anyone signed in)",
    )
    def post(self, request: Request) -> Response:
        actor = Actor.from_request(request)
        if actor.user is None:
            raise NotAuthenticated()
        # Codes are short enough to type; guessing them must be slow.
        if not ratelimit.consume(request, action=CODE_ACTION, user=actor.user):
            raise Throttled(wait=60)
        data = InvitationCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.invitation_redeem_code(actor=actor, code=data.validated_data["code"])
        return Response(JoinedSerializer(membership).data, status=status.HTTP_201_CREATED)


class InvitationAccept(APIView):
    @extend_schema(
        request=InvitationTokenSerializer,
        responses={201: JoinedSerializer},
        tags=["spaces"],
        summary="Accept an e-mailed invitation by its link's token (signed in)",
    )
    def post(self, request: Request) -> Response:
        actor = Actor.from_request(request)
        if actor.user is None:
            raise NotAuthenticated()
        if link_limited(request):
            raise Throttled(wait=60)
        data = InvitationTokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = selectors.invitation_check_token(token=data.validated_data["token"])
        membership = services.invitation_redeem(invitation=invitation, user=actor.user)
        return Response(JoinedSerializer(membership).data, status=status.HTTP_201_CREATED)


class InvitationDecline(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=InvitationTokenSerializer,
        responses={200: DeclinedSerializer},
        tags=["spaces"],
        summary="Decline an e-mailed invitation by its link's token (signed in or not); "
        "its address is erased",
    )
    def post(self, request: Request) -> Response:
        if link_limited(request):
            raise Throttled(wait=60)
        data = InvitationTokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = selectors.invitation_check_token(token=data.validated_data["token"])
        declined = services.invitation_decline(invitation=invitation)
        return Response(DeclinedSerializer(declined).data)
