from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from history import chain
from history.models import Event, EventContent


def _content(event: Event) -> EventContent | None:
    try:
        return event.content
    except ObjectDoesNotExist:  # only after tampering; verification reports it
        return None


class EventSerializer(serializers.ModelSerializer[Event]):
    """One event as published: every field a verifier needs, in the exact form it hashes.

    ``occurred_at`` is the canonical UTC string used in the event hash, and
    ``stored_data`` the stored bytes (hex) used in the content hash, so a verifier
    needs no JSON or time-zone handling of its own; ``data`` is the same, decoded.
    """

    occurred_at = serializers.SerializerMethodField()
    redacted = serializers.SerializerMethodField()
    salt = serializers.SerializerMethodField()
    stored_data = serializers.SerializerMethodField()
    # The metaclass moves declared fields off the class, so .data stays the property.
    data = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = Event
        fields = [*chain.ENVELOPE, "event_hash", "redacted", "salt", "stored_data", "data"]

    def get_occurred_at(self, event: Event) -> str:
        return chain.canonical_time(event.occurred_at)

    def get_redacted(self, event: Event) -> bool:
        content = _content(event)
        return content is not None and content.is_redacted

    def get_salt(self, event: Event) -> str | None:
        content = _content(event)
        return None if content is None or content.salt is None else bytes(content.salt).hex()

    def get_stored_data(self, event: Event) -> str | None:
        content = _content(event)
        return None if content is None or content.data is None else bytes(content.data).hex()

    def get_data(self, event: Event) -> dict[str, Any] | None:
        content = _content(event)
        return None if content is None else chain.decode_data(content.data)


class ChainHeadSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField()
    event_hash = serializers.CharField()
    head = serializers.CharField(help_text="SEQ:HASH, the form verifiers accept")
