"""Reads about people, shaped for what pages and exports show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from knox.models import AuthToken

    from accounts.models import User


def display_name(user: User | None) -> str:
    """The name the site shows for a person: their public name, never an e-mail or the
    sign-in name; "former member" for a deleted account or no one."""
    if user is None or user.deleted_at is not None:
        return _("former member")
    return user.public_name


def personal_tokens(*, user: User) -> list[AuthToken]:
    """A person's personal API tokens, newest first, with their names (one query)."""
    from knox.models import AuthToken

    return list(AuthToken.objects.filter(user=user).select_related("personal").order_by("-created"))
