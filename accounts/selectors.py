"""Reads about people, shaped for what pages and exports show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.names import display_name

__all__ = ["display_name", "personal_tokens"]

if TYPE_CHECKING:
    from knox.models import AuthToken

    from accounts.models import User


def personal_tokens(*, user: User) -> list[AuthToken]:
    """A person's personal API tokens, newest first, with their names (one query)."""
    from knox.models import AuthToken

    return list(AuthToken.objects.filter(user=user).select_related("personal").order_by("-created"))
