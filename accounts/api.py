"""The signed-in person's own account in the API: their public name and the language of
their e-mails, read and changed through the same services as the account page; and
``OwnList``, what every list of the caller's own (their seats, their votes) shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.authority import Actor
from accounts.models import User
from api.base import Read, validated


class AccountSerializer(serializers.ModelSerializer[User]):
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, help_text="The language every e-mail to the person is in."
    )

    class Meta:
        model = User
        fields = ["public_name", "language"]


class AccountView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=AccountSerializer, tags=["account"], summary="Your account")
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated
        return Response(AccountSerializer(user).data)

    @extend_schema(
        request=AccountSerializer,
        responses=AccountSerializer,
        tags=["account"],
        summary="Change your public name or the language of your e-mails",
    )
    def patch(self, request: Request) -> Response:
        values = validated(AccountSerializer, request, partial=True)
        actor = Actor.from_request(request)
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated
        # Both changes or neither: a refused language leaves the name as it was.
        with transaction.atomic():
            if "public_name" in values:
                user = services.account_set_public_name(
                    actor=actor, public_name=values["public_name"]
                )
            if "language" in values:
                user = services.account_set_language(actor=actor, language=values["language"])
        return Response(AccountSerializer(user).data)


class OwnList(Read):
    # A list of the signed-in caller's own rows, never cached; ``rows(user)`` finds them.
    # (No docstring: drf-spectacular would make it every subclass's description.)

    permission_classes = [permissions.IsAuthenticated]
    many = True
    personal = True

    def read(self, request: Request) -> Any:
        user = Actor.from_request(request).user
        assert user is not None  # IsAuthenticated
        return self.rows(user)

    def rows(self, user: User) -> Any:
        raise NotImplementedError
