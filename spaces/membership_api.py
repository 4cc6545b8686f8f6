"""Who is in a decision space, in the API: memberships and their endings, a board
member's leave of absence, the facilitators' invitations and the requests to join. The
same services and rules as the pages.

Lived-experience notes appear only in the facilitators' membership endpoints, which
need facilitator powers (a session with a second factor; never a personal token).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.authority import Actor
from accounts.serializers import DisplayNameField
from api.base import Read, ServiceCall, shown_once, validated
from api.exceptions import error_response
from core.errors import NotPermitted
from core.rules import require
from core.text import NOTE_MAX_LENGTH
from organisations.api import person_by_username
from spaces import selectors, services
from spaces.api import TAGS, SpaceCall
from spaces.ending import EndingPreview
from spaces.models import DecisionSpace, Invitation, JoinRequest, Membership, Role

ROLE_CHOICES = Role.choices


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    """For facilitators only: includes the private lived-experience note."""

    public_name = DisplayNameField(source="user")
    on_leave = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "public_name",
            "role",
            "joined_at",
            "left_at",
            "on_leave",
            "lived_experience",
        ]

    def get_on_leave(self, membership: Membership) -> bool:
        value = getattr(membership, "on_leave", None)
        if value is None:
            value = membership.leaves.filter(ended_at__isnull=True).exists()
        return bool(value)


class OwnMembershipSerializer(serializers.ModelSerializer[Membership]):
    """What a member or the public may see of one membership: no private note."""

    public_name = DisplayNameField(source="user")

    class Meta:
        model = Membership
        fields = ["id", "public_name", "role", "joined_at", "left_at"]


class MembershipAddSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150, help_text="The person's sign-in name.")
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    lived_experience = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH
    )


class MembershipEndSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text="Public, in the space's history; required to end a board membership.",
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true to end the membership. Without it nothing changes and the answer "
        "(400, code confirmation_needed) says what the ending would change.",
    )


class MembershipEndPreviewSerializer(serializers.Serializer[Any]):
    membership = OwnMembershipSerializer()
    reason_required = serializers.BooleanField()
    changes = serializers.ListField(
        child=serializers.CharField(), help_text="What the ending changes, in sentences."
    )


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    class Meta:
        model = Invitation
        fields = ["id", "role", "kind", "created_at", "expires_at", "used_at", "declined_at"]


class InvitationCreatedSerializer(InvitationSerializer):
    secret = serializers.CharField(
        help_text="The one-time code (or the e-mail link's token). Shown only now."
    )

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "secret"]


class InvitationCreateSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Omit for a one-time code."
    )


class JoinRequestSerializer(serializers.ModelSerializer[JoinRequest]):
    public_name = DisplayNameField(source="user")

    class Meta:
        model = JoinRequest
        fields = ["id", "public_name", "role", "message", "status", "created_at", "decided_at"]


class JoinRequestCreateSerializer(serializers.Serializer[Any]):
    # The same choices as everywhere (one enum in the schema); asking to facilitate is
    # refused by the service with a message: facilitators are appointed.
    role = serializers.ChoiceField(choices=ROLE_CHOICES, help_text="board or electorate")
    message = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)


def _facilitator_view(request: Request, space: DecisionSpace) -> Actor:
    actor = Actor.from_request(request)
    if not rules.test_rule("spaces.view_private_member_details", actor, space):
        raise NotPermitted(
            "Only the space's facilitators, signed in with their second factor, see this."
        )
    return actor


class _FacilitatorsList(SpaceCall, generics.ListAPIView[Any]):
    # GET: the space's rows that only its facilitators see; POST: make one. (No
    # docstring: drf-spectacular would make it every subclass's description.)

    def get_queryset(self) -> QuerySet[Any]:
        space = self.space()
        _facilitator_view(self.request, space)
        return self.rows(space)

    def rows(self, space: DecisionSpace) -> QuerySet[Any]:
        raise NotImplementedError


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Current members, with private notes (facilitators with a second factor)",
        parameters=[
            OpenApiParameter(
                "q", str, description="Only members whose public name contains this (any case)."
            )
        ],
    )
)
class MembershipList(_FacilitatorsList):
    queryset = Membership.objects.none()  # for the schema; get_queryset checks access
    serializer_class = MembershipSerializer
    summary = "Add a member (facilitators with a second factor)"
    body = MembershipAddSerializer
    answer = MembershipSerializer
    status_code = status.HTTP_201_CREATED

    def rows(self, space: DecisionSpace) -> QuerySet[Membership]:
        search = str(self.request.query_params.get("q", ""))[:100]
        return selectors.open_memberships(space=space, search=search)

    def subject(self, request: Request) -> tuple[Actor, DecisionSpace]:
        space = self.space()
        actor = Actor.from_request(request)
        require("spaces.manage_members", actor, space)  # before looking anyone up
        return actor, space

    def call(self, subject: tuple[Actor, DecisionSpace], values: dict[str, Any]) -> Membership:
        actor, space = subject
        return services.membership_add(
            actor=actor,
            space=space,
            user=person_by_username(values["username"]),
            role=values["role"],
            lived_experience=values.get("lived_experience", ""),
        )


def _membership(slug: str, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("space", "user"), pk=pk, space__slug=slug
    )


class _LeaveCall(ServiceCall):
    tags = TAGS
    answer = OwnMembershipSerializer

    def subject(self, request: Request) -> Membership:
        return _membership(self.kwargs["slug"], self.kwargs["pk"])


class MembershipEnd(Read):
    tags = TAGS
    summary = (
        "What ending a membership would change (facilitators, second factor, recent "
        "sign-in); changes nothing"
    )
    answer = MembershipEndPreviewSerializer

    def read(self, request: Request) -> EndingPreview:
        membership = _membership(self.kwargs["slug"], self.kwargs["pk"])
        return services.membership_end_preview(
            actor=Actor.from_request(request), membership=membership
        )

    @extend_schema(
        request=MembershipEndSerializer,
        responses=OwnMembershipSerializer,
        tags=TAGS,
        summary="End a membership (facilitators, second factor, recent sign-in); kept",
        description="Needs confirm: true, and a reason for a board membership. Without "
        "confirm nothing is changed and the answer is a 400 (code confirmation_needed) whose "
        "message says what the ending would change; GET gives the same as a list.",
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        membership = _membership(slug, pk)
        actor = Actor.from_request(request)
        values = validated(MembershipEndSerializer, request)
        if not values["confirm"]:
            preview = services.membership_end_preview(actor=actor, membership=membership)
            message = _(
                "Nothing was changed. Ending this membership changes this: %(changes)s "
                "Send confirm: true to end it."
            ) % {"changes": " ".join(preview.changes)}
            return error_response(
                status.HTTP_400_BAD_REQUEST, "confirmation_needed", message, {"confirm": [message]}
            )
        ended = services.membership_end(
            actor=actor, membership=membership, reason=values.get("reason", "")
        )
        return Response(OwnMembershipSerializer(ended).data)


class LeaveStart(_LeaveCall):
    summary = "Start a leave of absence (the board member, or a facilitator)"
    status_code = status.HTTP_201_CREATED
    # The published schema has always said 200 here, for the same body.
    responses = OwnMembershipSerializer

    def call(self, membership: Membership, values: dict[str, Any]) -> Membership:
        services.leave_start(actor=Actor.from_request(self.request), membership=membership)
        return membership


class LeaveEnd(_LeaveCall):
    summary = "End a leave of absence (the board member, or a facilitator)"

    def call(self, membership: Membership, values: dict[str, Any]) -> Membership:
        services.leave_end(actor=Actor.from_request(self.request), membership=membership)
        return membership


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Recent invitations (facilitators)"))
class InvitationList(_FacilitatorsList):
    queryset = Invitation.objects.none()  # for the schema; get_queryset checks access
    serializer_class = InvitationSerializer
    summary = "Invite by e-mail link or one-time code (facilitators, second factor)"
    operation_description = (
        "The code is in the response once and never again: only its hash is kept."
    )
    body = InvitationCreateSerializer
    answer = InvitationCreatedSerializer
    status_code = status.HTTP_201_CREATED

    def rows(self, space: DecisionSpace) -> QuerySet[Invitation]:
        return space.invitations.select_related("used_by").order_by("-created_at", "-pk")

    def call(self, space: DecisionSpace, values: dict[str, Any]) -> tuple[Invitation, str]:
        return services.invitation_create(
            actor=Actor.from_request(self.request),
            space=space,
            role=values["role"],
            email=values.get("email") or None,
        )

    def respond(self, result: tuple[Invitation, str]) -> Response:
        invitation, secret = result
        body = {**InvitationSerializer(invitation).data, "secret": secret}
        # The code or link token is in this response only: no cache may keep it.
        return shown_once(Response(body, status=self.status_code))


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Pending requests to join (facilitators)"))
class JoinRequestList(_FacilitatorsList):
    queryset = JoinRequest.objects.none()  # for the schema; get_queryset checks access
    serializer_class = JoinRequestSerializer
    summary = "Ask to join the board or the electorate (anyone signed in)"
    body = JoinRequestCreateSerializer
    answer = JoinRequestSerializer
    status_code = status.HTTP_201_CREATED

    def rows(self, space: DecisionSpace) -> QuerySet[JoinRequest]:
        return selectors.pending_join_requests(space=space).order_by("created_at", "pk")

    def call(self, space: DecisionSpace, values: dict[str, Any]) -> JoinRequest:
        return services.join_request_create(
            actor=Actor.from_request(self.request), space=space, **values
        )


class JoinRequestDecide(ServiceCall):
    approve = True
    tags = TAGS
    summary = "Answer a request to join (facilitators, second factor)"
    answer = JoinRequestSerializer

    def subject(self, request: Request) -> JoinRequest:
        return get_object_or_404(
            JoinRequest.objects.select_related("space", "user"),
            pk=self.kwargs["pk"],
            space__slug=self.kwargs["slug"],
        )

    def call(self, join_request: JoinRequest, values: dict[str, Any]) -> JoinRequest:
        decide = services.join_request_approve if self.approve else services.join_request_decline
        return decide(actor=Actor.from_request(self.request), join_request=join_request)
