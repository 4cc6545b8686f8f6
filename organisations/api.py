"""The organisations API: the same services and rules as the pages."""

from __future__ import annotations

from typing import Any

import rules
from allauth.core import ratelimit
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.authority import Actor
from accounts.models import User
from accounts.serializers import DisplayNameField
from api.base import Read, ServiceCall, shown_once
from core import onetime
from core.text import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH
from organisations import selectors, services
from organisations.models import EditorInvitation, Organisation, OrganisationEditor

TAGS = ["organisations"]


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


class OrganisationList(ServiceCall):
    """Approved organisations; any signed-in person may register a new one."""

    tags = TAGS
    summary = "Register an organisation (pending until site staff approve it)"
    body = OrganisationRegisterSerializer
    answer = OrganisationSerializer
    status_code = status.HTTP_201_CREATED

    @extend_schema(responses=OrganisationSerializer(many=True), tags=TAGS)
    def get(self, request: Request) -> Response:
        return Response(OrganisationSerializer(selectors.approved_organisations(), many=True).data)

    def call(self, subject: None, values: dict[str, Any]) -> Organisation:
        return services.organisation_register(actor=Actor.from_request(self.request), **values)


class OrganisationDetail(Read):
    tags = TAGS
    answer = OrganisationSerializer

    def read(self, request: Request) -> Organisation:
        return organisation_visible(request, self.kwargs["slug"])


class _OrganisationCall(ServiceCall):
    tags = TAGS

    def subject(self, request: Request) -> Organisation:
        return get_object_or_404(Organisation, slug=self.kwargs["slug"])


class OrganisationApprove(_OrganisationCall):
    summary = "Approve a pending organisation (site staff, second factor, no token)"
    answer = OrganisationSerializer

    def call(self, organisation: Organisation, values: dict[str, Any]) -> Organisation:
        return services.organisation_approve(
            actor=Actor.from_request(self.request), organisation=organisation
        )


class OrganisationReject(_OrganisationCall):
    summary = "Decline a pending organisation (site staff, second factor, no token)"
    body = RejectSerializer
    answer = OrganisationSerializer

    def call(self, organisation: Organisation, values: dict[str, Any]) -> Organisation:
        return services.organisation_reject(
            actor=Actor.from_request(self.request),
            organisation=organisation,
            reason=values.get("reason", ""),
        )


class EditorList(Read):
    tags = TAGS
    answer = EditorSerializer
    many = True

    def read(self, request: Request) -> QuerySet[OrganisationEditor]:
        organisation = organisation_visible(request, self.kwargs["slug"])
        return organisation.editors.filter(left_at__isnull=True).select_related("user")


class EditorInvitationCreate(_OrganisationCall):
    summary = "Make a one-time code to invite an editor (editors of an approved organisation)"
    operation_description = (
        "The code is in the response once and never again: only its hash is kept. "
        "The invitee redeems it at editor-invitations/redeem/ while signed in."
    )
    answer = EditorInvitationCreatedSerializer
    status_code = status.HTTP_201_CREATED

    def call(
        self, organisation: Organisation, values: dict[str, Any]
    ) -> tuple[EditorInvitation, str]:
        return services.editor_invitation_create(
            actor=Actor.from_request(self.request), organisation=organisation
        )

    def respond(self, result: tuple[EditorInvitation, str]) -> Response:
        invitation, code = result
        body = {**EditorInvitationSerializer(invitation).data, "code": code}
        return shown_once(Response(body, status=self.status_code))


class EditorInvitationRedeem(ServiceCall):
    tags = TAGS
    summary = "Become an editor by redeeming a one-time code (anyone signed in)"
    body = EditorInvitationRedeemSerializer
    answer = EditorJoinedSerializer
    status_code = status.HTTP_201_CREATED

    def subject(self, request: Request) -> Actor:
        actor = Actor.from_request(request)
        services.require("organisations.redeem_editor_invitation", actor)
        # Codes are short enough to type; guessing them must be slow.
        if not ratelimit.consume(request, action=onetime.CODE_ACTION, user=actor.user):
            raise Throttled(wait=60)
        return actor

    def call(self, actor: Actor, values: dict[str, Any]) -> OrganisationEditor:
        return services.editor_invitation_redeem(actor=actor, code=values["code"])


class EditorRemove(ServiceCall):
    tags = TAGS
    summary = "Remove an editor (the organisation's editors); the row is kept"
    answer = EditorSerializer

    def subject(self, request: Request) -> OrganisationEditor:
        pk, slug = self.kwargs["pk"], self.kwargs["slug"]
        return get_object_or_404(OrganisationEditor, pk=pk, organisation__slug=slug)

    def call(self, row: OrganisationEditor, values: dict[str, Any]) -> OrganisationEditor:
        return services.organisation_editor_remove(
            actor=Actor.from_request(self.request), editor=row
        )
