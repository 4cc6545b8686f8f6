"""Serializer pieces every app's API shares."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers


class SubjectSerializer(serializers.Serializer[Any]):
    """An answer that shows one object flat with a few fields about it: the inherited
    fields are read from the instance's ``subject`` (the review a write gave, the finding
    in a field), the fields named in ``own_fields`` from the instance itself (what the
    write did, which field). Subclass it first, then the subject's serializer."""

    subject: ClassVar[str]
    own_fields: ClassVar[tuple[str, ...]]

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        for name, field in fields.items():
            if name in self.own_fields:
                continue
            source = field.source or name
            field.source = self.subject if source == "*" else f"{self.subject}.{source}"
        return fields


def optional_text(*, max_length: int, help_text: str) -> serializers.CharField:
    """A string a request may leave out or send empty, at most ``max_length`` long."""
    return serializers.CharField(
        required=False, allow_blank=True, max_length=max_length, help_text=help_text
    )
