"""Serializer fields about people, shared by every app's API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.selectors import display_name


class DisplayNameField(serializers.CharField):
    """A person's name as the site shows it (``accounts.selectors.display_name``): their
    public name, or "former member" (translated) for a deleted account. ``source`` names
    the person, e.g. ``source="user"``. Read-only; reads loaded fields, makes no query."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return display_name(value)
