"""The outbox in the admin: for looking, never for editing.

Only the delivery services change a row. No list column shows an e-mail address, and
search does not take one, so a screen glimpsed over a shoulder names no one's inbox.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import LookOnly
from core.names import display_name
from notifications.models import Notification, NotificationQuerySet


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(Notification.Status.choices)

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Notification]
    ) -> QuerySet[Notification]:
        # The admin's queryset comes from the model's manager, so it has the outbox methods.
        assert isinstance(queryset, NotificationQuerySet)
        match self.value():
            case Notification.Status.PENDING:
                return queryset.pending()
            case Notification.Status.SENT:
                return queryset.exclude(sent_at=None)
            case Notification.Status.GAVE_UP:
                return queryset.exclude(gave_up_at=None)
        return queryset


@admin.register(Notification)
class NotificationAdmin(LookOnly, admin.ModelAdmin):
    list_display = (
        "kind",
        "recipient_name",
        "status_label",
        "due_at",
        "sent_at",
        "attempts",
    )
    list_filter = (StatusFilter, "kind")
    list_select_related = ("recipient",)
    search_fields = ("kind", "recipient__public_name")
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    # Never the address a row without an account goes to, nor a body with a secret link.
    fields = (
        "recipient",
        "kind",
        "subject",
        "body_shown",
        "created_at",
        "due_at",
        "claimed_until",
        "sent_at",
        "gave_up_at",
        "attempts",
        "last_error",
    )

    readonly_fields = ("body_shown",)
    # The list's URL takes only these lookups: the status and kind filters and the date
    # hierarchy. Any other (``?body__startswith=``, ``?address__contains=``) would let
    # someone who may look at the list test, one character at a time, what a pending row's
    # body or address holds, so a one-time link could be rebuilt without being shown.
    ALLOWED_LOOKUPS = frozenset(
        {"status", "kind", "kind__exact", "created_at__year", "created_at__month"}
        | {"created_at__day"}
    )

    @admin.display(description=_("recipient"), ordering="recipient__public_name")
    def recipient_name(self, obj: Notification) -> str:
        if obj.recipient is None:
            return str(_("an address with no account"))
        return display_name(obj.recipient)

    @admin.display(description=_("body"))
    def body_shown(self, obj: Notification) -> str:
        if obj.holds_secret:
            return str(_("Not shown: it holds a link that works once."))
        return obj.body

    @admin.display(description=_("status"))
    def status_label(self, obj: Notification) -> str:
        return str(obj.status.label)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        return lookup in self.ALLOWED_LOOKUPS
