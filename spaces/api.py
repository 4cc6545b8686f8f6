"""The decision spaces API: the spaces and their rulebooks, through the same services and
rules as the pages. Who is in a space (memberships, leaves, invitations, requests to
join) is spaces/membership_api.py; the invitee's side of an invitation is
spaces/invitation_api.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.authority import Actor
from accounts.selectors import display_name
from api.base import Read, ServiceCall
from core.money import DEFAULT_CURRENCY, currency_choices
from core.rules import require
from core.text import DESCRIPTION_MAX_LENGTH
from organisations.api import person_by_username
from spaces import rulebook as rb
from spaces import selectors, services
from spaces.electorate import electorate_who
from spaces.models import DecisionSpace, Rulebook

TAGS = ["spaces"]


class RulebookSerializer(serializers.ModelSerializer[Rulebook]):
    class Meta:
        model = Rulebook
        fields = ["version", "created_at", *rb.FIELDS]


class RulebookChangeSerializer(serializers.Serializer[Any]):
    """Only the rules to change; the others keep their current value."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # One optional field per rule, in the rulebook's order: a flag, or a whole number
        # (a share's bottom at least 1); the floors are the service's to refuse, per field.
        return {
            name: serializers.BooleanField(required=False)
            if isinstance(default, bool)
            else serializers.IntegerField(
                required=False, min_value=1 if name.endswith("_den") else 0
            )
            for name, default in rb.DEFAULTS.items()
        }


class SpaceSerializer(serializers.ModelSerializer[DecisionSpace]):
    class Meta:
        model = DecisionSpace
        fields = ["name", "slug", "description", "currency", "created_at"]


class SpaceDetailSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    currency = serializers.CharField(help_text="ISO 4217: the currency of its proposals' costs.")
    board_size = serializers.IntegerField()
    board_on_leave = serializers.IntegerField()
    electorate_size = serializers.IntegerField(
        help_text="Every voter and every advisory board member, each person counted once "
        "(board members on leave included): the number a vote opened now would snapshot."
    )
    electorate_who = serializers.CharField(
        help_text="Who the electorate counts, in the caller's language (as the pages say)."
    )
    advisory_bloc_size = serializers.IntegerField(
        help_text="The board without its members on leave: a vote opened now counts them "
        "as its advisory bloc."
    )
    advisory_bloc_below_min_group_size = serializers.BooleanField(
        help_text="Dual majority is on and the bloc is smaller than the minimum group size: "
        "a vote opened now would be decided by the whole electorate."
    )
    facilitators = serializers.ListField(child=serializers.CharField())
    rulebook = RulebookSerializer()


class SpaceCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    currency = serializers.ChoiceField(
        choices=currency_choices(),
        default=DEFAULT_CURRENCY,
        help_text="ISO 4217: the currency of its proposals' costs.",
    )
    facilitators = serializers.ListField(
        child=serializers.CharField(max_length=150),
        min_length=1,
        max_length=20,
        help_text="Sign-in names of the first facilitators.",
    )


class SpaceCall(ServiceCall):
    # A write on the space the address names. (No docstring: drf-spectacular would make
    # it every subclass's description.)

    tags = TAGS

    def space(self) -> DecisionSpace:
        return get_object_or_404(DecisionSpace, slug=self.kwargs["slug"])

    def subject(self, request: Request) -> Any:
        return self.space()


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Decision spaces"))
class SpaceList(ServiceCall, generics.ListAPIView[DecisionSpace]):
    serializer_class = SpaceSerializer
    tags = TAGS
    summary = "Create a space with its first facilitators (site staff, second factor)"
    body = SpaceCreateSerializer
    answer = SpaceSerializer
    status_code = status.HTTP_201_CREATED

    def get_queryset(self) -> QuerySet[DecisionSpace]:
        return selectors.space_list()

    def subject(self, request: Request) -> Actor:
        actor = Actor.from_request(request)
        # Permission first: a sign-in name's existence is no one else's business.
        require("spaces.create", actor)
        return actor

    def call(self, actor: Actor, values: dict[str, Any]) -> DecisionSpace:
        people = [person_by_username(name, field="facilitators") for name in values["facilitators"]]
        return services.space_create(
            actor=actor,
            name=values["name"],
            slug=values.get("slug", ""),
            description=values.get("description", ""),
            currency=values["currency"],
            facilitators=people,
        )


class SpaceDetail(Read):
    tags = TAGS
    answer = SpaceDetailSerializer

    def read(self, request: Request) -> dict[str, Any]:
        slug = self.kwargs["slug"]
        page = selectors.space_page(slug=slug)
        if page is None:
            get_object_or_404(DecisionSpace, slug=slug)
        assert page is not None
        return {
            "name": page.space.name,
            "slug": page.space.slug,
            "description": page.space.description,
            "currency": page.space.currency,
            "board_size": page.board_size,
            "board_on_leave": page.on_leave,
            "electorate_size": page.electorate_size,
            "electorate_who": electorate_who(),
            "advisory_bloc_size": page.bloc_size,
            "advisory_bloc_below_min_group_size": page.bloc_too_small,
            "facilitators": [display_name(person) for person in page.facilitators],
            "rulebook": page.rulebook,
        }


class RulebookView(SpaceCall):
    summary = "Adopt a new rulebook version (facilitator, second factor, recent sign-in)"
    operation_description = "Values below a floor are refused with a message per field."
    body = RulebookChangeSerializer
    answer = RulebookSerializer
    status_code = status.HTTP_201_CREATED

    @extend_schema(responses=RulebookSerializer, tags=TAGS, summary="The current rulebook")
    def get(self, request: Request, slug: str) -> Response:
        space = get_object_or_404(DecisionSpace, slug=slug)
        return Response(RulebookSerializer(selectors.rulebook_current(space=space)).data)

    def call(self, space: DecisionSpace, values: dict[str, Any]) -> Rulebook:
        return services.rulebook_change(
            actor=Actor.from_request(self.request), space=space, **values
        )
