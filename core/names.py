"""How the site names a person, wherever it shows one (pages, e-mails, the admin)."""

from __future__ import annotations

import datetime
from typing import Protocol

from django.utils.translation import gettext as _


class Named(Protocol):
    """A person as the site shows them (``accounts.models.User``; core imports no app)."""

    @property
    def public_name(self) -> str: ...
    @property
    def deleted_at(self) -> datetime.datetime | None: ...


def display_name(user: Named | None) -> str:
    """The name the site shows for a person: their public name, never an e-mail or the
    sign-in name; "former member" for a deleted account or no one."""
    if user is None or user.deleted_at is not None:
        return _("former member")
    return user.public_name
