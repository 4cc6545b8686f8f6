from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, pagination, permissions
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from history.models import Event
from history.selectors import chain_head
from history.serializers import ChainHeadSerializer, EventSerializer


class EventPagination(pagination.CursorPagination):
    """By position in the chain: no COUNT over a million events, no deep OFFSET."""

    ordering = "seq"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class EventList(generics.ListAPIView[Event]):
    """The decision history in sequence order, public and verifiable."""

    serializer_class = EventSerializer
    pagination_class = EventPagination
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["kind", "subject_type", "subject_id"]

    def get_queryset(self) -> QuerySet[Event]:
        return Event.objects.select_related("content").order_by("seq")


class ChainHeadView(APIView):
    """The newest event's number and hash: keep it to check the chain later."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=ChainHeadSerializer)
    def get(self, request: Request) -> Response:
        head = chain_head()
        if head is None:
            raise NotFound(_("The decision history is still empty: nothing has been decided yet."))
        return Response({"seq": head.seq, "event_hash": head.event_hash, "head": str(head)})
