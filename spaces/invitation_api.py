"""The invitee's side of invitations in the API, as on the pages (spaces/invitation_views.py):
a one-time code redeemed signed in, an e-mailed link's token accepted or declined. Every
try counts against the same rate limits as the pages' before anything is looked up."""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.request import Request

from accounts.authority import Actor
from api.base import ServiceCall
from core.onetime import CODE_ACTION
from spaces import selectors, services
from spaces.api import TAGS
from spaces.invitation_views import link_limited
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


class _InviteeCall(ServiceCall):
    tags = TAGS
    answer = JoinedSerializer
    status_code = status.HTTP_201_CREATED

    def subject(self, request: Request) -> Actor:
        """The invitee, signed in and within the rate limit."""
        actor = Actor.from_request(request)
        if actor.user is None:
            raise NotAuthenticated()
        if self.limited(request, actor):
            raise Throttled(wait=60)
        return actor

    def limited(self, request: Request, actor: Actor) -> bool:
        return link_limited(request)


class InvitationRedeemCode(_InviteeCall):
    summary = "Join a space by redeeming a facilitator's one-time code (anyone signed in)"
    body = InvitationCodeSerializer

    def limited(self, request: Request, actor: Actor) -> bool:
        # Codes are short enough to type; guessing them must be slow.
        return not ratelimit.consume(request, action=CODE_ACTION, user=actor.user)

    def call(self, actor: Actor, values: dict[str, Any]) -> Membership:
        return services.invitation_redeem_code(actor=actor, code=values["code"])


class InvitationAccept(_InviteeCall):
    summary = "Accept an e-mailed invitation by its link's token (signed in)"
    body = InvitationTokenSerializer

    def call(self, actor: Actor, values: dict[str, Any]) -> Membership:
        assert actor.user is not None  # see subject
        invitation = selectors.invitation_check_token(token=values["token"])
        return services.invitation_redeem(invitation=invitation, user=actor.user)


class InvitationDecline(ServiceCall):
    permission_classes = [permissions.AllowAny]
    tags = TAGS
    summary = (
        "Decline an e-mailed invitation by its link's token (signed in or not); "
        "its address is erased"
    )
    body = InvitationTokenSerializer
    answer = DeclinedSerializer

    def subject(self, request: Request) -> None:
        if link_limited(request):
            raise Throttled(wait=60)

    def call(self, subject: None, values: dict[str, Any]) -> Invitation:
        invitation = selectors.invitation_check_token(token=values["token"])
        return services.invitation_decline(invitation=invitation)
