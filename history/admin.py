from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from history.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the history is written by services and never edited by hand."""

    list_display = ("seq", "occurred_at", "kind", "subject_type", "subject_id", "actor_role")
    list_filter = ("kind", "actor_role")
    readonly_fields = [field.name for field in Event._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
