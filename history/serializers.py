from __future__ import annotations

from typing import Any

from rest_framework import serializers

from history import chain
from history.models import Event


class EventSerializer(serializers.ModelSerializer[Event]):
    """One event as published: every field a verifier needs, and the data unless redacted."""

    # The metaclass moves declared fields off the class, so .data stays the property.
    data = serializers.SerializerMethodField()  # type: ignore[assignment]
    salt = serializers.SerializerMethodField()
    redacted = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "seq",
            "occurred_at",
            "kind",
            "subject_type",
            "subject_id",
            "actor_id",
            "actor_role",
            "content_hash",
            "prev_hash",
            "event_hash",
            "redacted",
            "salt",
            "data",
        ]

    def get_data(self, event: Event) -> dict[str, Any] | None:
        return chain.decode_data(event.content.data)

    def get_salt(self, event: Event) -> str | None:
        salt = event.content.salt
        return None if salt is None else bytes(salt).hex()

    def get_redacted(self, event: Event) -> bool:
        return event.content.data is None


class ChainHeadSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField()
    event_hash = serializers.CharField()
    head = serializers.CharField(help_text="SEQ:HASH, the form verifiers accept")
