from __future__ import annotations

from django.contrib import admin

from core.admin import LookOnly
from history.models import Event


@admin.register(Event)
class EventAdmin(LookOnly, admin.ModelAdmin):
    """Read-only: the history is written by services and never edited by hand."""

    list_display = ("seq", "occurred_at", "kind", "subject_type", "subject_id", "actor_role")
    list_filter = ("kind", "actor_role")
    readonly_fields = [field.name for field in Event._meta.fields]
