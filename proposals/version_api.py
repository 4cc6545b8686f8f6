"""The versions of a proposal in the API: the list, one version, and what changed
between two. Read-only: a version never changes (PUT, PATCH and DELETE answer 405). See
``proposals.api`` for what every address of a proposal shares.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import Read
from proposals import selectors
from proposals.api import TAGS, visible
from proposals.diff import version_diff
from proposals.models import Proposal, ProposalVersion
from proposals.serializers import DiffSerializer, VersionEntrySerializer, VersionSerializer


def _submitted_version(proposal: Proposal, number: int) -> ProposalVersion:
    version = selectors.version_of(proposal, number)
    if version is None:
        raise NotFound(
            _("This proposal has no version %(number)d. Its versions are listed at %(url)s.")
            % {
                "number": number,
                "url": reverse(
                    "api:proposals:versions",
                    kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk},
                ),
            }
        )
    return version


class VersionList(Read):
    tags = TAGS
    summary = "Every submitted version, oldest first"
    answer = VersionEntrySerializer
    many = True

    def read(self, request: Request) -> Any:
        _actor, proposal = visible(request, self.kwargs["space_slug"], self.kwargs["pk"])
        return selectors.versions_of(proposal)


class VersionDetail(Read):
    """Read-only: a version never changes, so this address accepts no PUT, PATCH or DELETE."""

    tags = TAGS
    summary = "One submitted version, with all its content and its content hash"
    answer = VersionSerializer

    def read(self, request: Request) -> ProposalVersion:
        _actor, proposal = visible(request, self.kwargs["space_slug"], self.kwargs["pk"])
        return _submitted_version(proposal, self.kwargs["number"])


def _version_number(request: Request, name: str, errors: dict[str, list[str]]) -> int | None:
    raw = request.query_params.get(name, "")
    if not raw:
        errors[name] = [
            _("Give the version number to compare in “%(name)s”, such as %(name)s=1.")
            % {"name": name}
        ]
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        errors[name] = [
            _("“%(value)s” is not a version number: use a whole number from 1.") % {"value": raw}
        ]
        return None
    return int(raw)


class VersionDiff(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, required=True, description="Older."),
            OpenApiParameter("to", OpenApiTypes.INT, required=True, description="Newer."),
        ],
        responses=DiffSerializer,
        tags=TAGS,
        summary="What changed between two versions, field by field, word by word",
    )
    def get(self, request: Request, space_slug: str, pk: int) -> Response:
        _actor, proposal = visible(request, space_slug, pk)
        errors: dict[str, list[str]] = {}
        old_number = _version_number(request, "from", errors)
        new_number = _version_number(request, "to", errors)
        if errors or old_number is None or new_number is None:
            raise ValidationError(errors)
        old = _submitted_version(proposal, old_number)
        new = _submitted_version(proposal, new_number)
        changes = [
            {
                "name": change.name,
                "label": str(change.label),
                "changed": change.changed,
                "segments": [{"op": part.op, "text": part.text} for part in change.segments],
            }
            for change in version_diff(old, new)
        ]
        body = {"from_version": old, "to_version": new, "changes": changes}
        return Response(DiffSerializer(body).data)
