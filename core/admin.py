"""What the admin of several apps shares. (Nothing is registered here.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class LookOnly:
    """For a model admin over rows only services write (the history, the outbox): refuses
    adding, changing and deleting, whatever permissions the account holds (a superuser's
    included); viewing follows the account's view permissions. Put it before
    ``admin.ModelAdmin`` among the bases."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
