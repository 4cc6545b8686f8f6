"""The organisations API: the same services and rules as the pages."""

from __future__ import annotations

from typing import Any

import rules
from allauth.core import ratelimit
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authority import Actor
from accounts.models import User
from accounts.serializers import DisplayNameField
from core.text import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH
from organisations import selectors, services
from organisations.models import EditorInvitation, Organisation, OrganisationEditor


def person_by_username(username: str, *, field: str = "username") -> User:
    """The active person with this sign-in name, for trusted roles only (staff appointing
    facilitators, facilitators adding members); callers check permission first."""
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise serializers.ValidationError(
            {field: [_("No one has the sign-in name %(name)s.") % {"name": username}]}
        )
    return person


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["name", "slug", "description", "status", "registered_at", "approved_at"]


class OrganisationRegisterSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)


class EditorSerializer(serializers.ModelSerializer[OrganisationEditor]):
    public_name = DisplayNameField(source="user")

    class Meta:
        model = OrganisationEditor
        fields = ["id", "public_name", "joined_at", "left_at"]


class EditorInvitationSerializer(serializers.ModelSerializer[EditorInvitation]):
    class Meta:
        model = EditorInvitation
        fields = ["id", "created_at", "expires_at", "used_at"]


class EditorInvitationCreatedSerializer(EditorInvitationSerializer):
    code = serializers.CharField(help_text="The one-time code. Shown only now.")

    class Meta(EditorInvitationSerializer.Meta):
        fields = [*EditorInvitationSerializer.Meta.fields, "code"]


class EditorInvitationRedeemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=40, help_text="The code an editor handed over.")


class EditorJoinedSerializer(serializers.ModelSerializer[OrganisationEditor]):
    organisation = serializers.SlugRelatedField[Organisation](slug_field="slug", read_only=True)

    class Meta:
        model = OrganisationEditor
        fields = ["id", "organisation", "joined_at"]


def organisation_visible(request: Request, slug: str) -> Organisation:
    """Approved organisations are public; a pending or declined one only to its editors
    and to those who decide organisations (site staff with a second factor, no token)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if organisation.status == Organisation.Status.APPROVED:
        return organisation
    actor = Actor.from_request(request)
    if rules.test_rule("organisations.manage_editors", actor, organisation) or rules.test_rule(
        "organisations.decide", actor
    ):
        return organisation
    raise Http404


class OrganisationList(APIView):
    """Approved organisations; any signed-in person may register a new one."""

    @extend_schema(responses=OrganisationSerializer(many=True), tags=["organisations"])
    def get(self, request: Request) -> Response:
        return Response(OrganisationSerializer(selectors.approved_organisations(), many=True).data)

    @extend_schema(
        request=OrganisationRegisterSerializer,
        responses={201: OrganisationSerializer},
        tags=["organisations"],
        summary="Register an organisation (pending until site staff approve it)",
    )
    def post(self, request: Request) -> Response:
        data = OrganisationRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_register(
            actor=Actor.from_request(request), **data.validated_data
        )
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetail(APIView):
    @extend_schema(responses=OrganisationSerializer, tags=["organisations"])
    def get(self, request: Request, slug: str) -> Response:
        return Response(OrganisationSerializer(organisation_visible(request, slug)).data)


class OrganisationApprove(APIView):
    @extend_schema(
        request=None,
        responses=OrganisationSerializer,
        tags=["organisations"],
        summary="Approve a pending organisation (site staff, second factor, no token)",
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        organisation = services.organisation_approve(
            actor=Actor.from_request(request), organisation=organisation
        )
        return Response(OrganisationSerializer(organisation).data)


class OrganisationReject(APIView):
    @extend_schema(
        request=RejectSerializer,
        responses=OrganisationSerializer,
        tags=["organisations"],
        summary="Decline a pending organisation (site staff, second factor, no token)",
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_reject(
            actor=Actor.from_request(request),
            organisation=organisation,
            reason=data.validated_data.get("reason", ""),
        )
        return Response(OrganisationSerializer(organisation).data)


class EditorList(APIView):
    @extend_schema(responses=EditorSerializer(many=True), tags=["organisations"])
    def get(self, request: Request, slug: str) -> Response:
        organisation = organisation_visible(request, slug)
        rows = organisation.editors.filter(left_at__isnull=True).select_related("user")
        return Response(EditorSerializer(rows, many=True).data)


class EditorInvitationCreate(APIView):
    @extend_schema(
        request=None,
        responses={201: EditorInvitationCreatedSerializer},
        tags=["organisations"],
        summary="Make a one-time code to invite an editor (editors of an approved organisation)",
        description="The code is in the response once and never again: only its hash is kept. "
        "The invitee redeems it at editor-invitations/redeem/ while signed in.",
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        invitation, code = services.editor_invitation_create(
            actor=Actor.from_request(request), organisation=organisation
        )
        body = {**EditorInvitationSerializer(invitation).data, "code": code}
        response = Response(body, status=status.HTTP_201_CREATED)
        patch_cache_control(response, no_store=True, private=True)  # the code, shown once
        return response


class EditorInvitationRedeem(APIView):
    @extend_schema(
        request=EditorInvitationRedeemSerializer,
        responses={201: EditorJoinedSerializer},
        tags=["organisations"],
        summary="Become an editor by redeeming a one-time code (anyone signed in)",
    )
    def post(self, request: Request) -> Response:
        actor = Actor.from_request(request)
        services.require("organisations.redeem_editor_invitation", actor)
        # Codes are short enough to type; guessing them must be slow.
        if not ratelimit.consume(request, action="redeem_code", user=actor.user):
            raise Throttled(wait=60)
        data = EditorInvitationRedeemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.editor_invitation_redeem(actor=actor, code=data.validated_data["code"])
        return Response(EditorJoinedSerializer(row).data, status=status.HTTP_201_CREATED)


class EditorRemove(APIView):
    @extend_schema(
        request=None,
        responses=EditorSerializer,
        tags=["organisations"],
        summary="Remove an editor (the organisation's editors); the row is kept",
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        row = get_object_or_404(OrganisationEditor, pk=pk, organisation__slug=slug)
        row = services.organisation_editor_remove(actor=Actor.from_request(request), editor=row)
        return Response(EditorSerializer(row).data)
