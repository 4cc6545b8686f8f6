"""The predicates every app's rules build on, and ``require``, the one way a service
turns a failed rule into a refusal.

They read only what an ``accounts.authority.Actor`` carries (typed here as a protocol, so
that core depends on no app): who is signed in, and whether the session holds the second
factor that facilitator and staff powers need.
"""

from __future__ import annotations

from typing import Any, Protocol

import rules
from django.utils.translation import gettext as _

from core.errors import NotPermitted


class ActorLike(Protocol):
    @property
    def user(self) -> Any: ...

    @property
    def is_anonymous(self) -> bool: ...

    @property
    def can_use_powers(self) -> bool: ...


@rules.predicate
def is_signed_in(actor: ActorLike) -> bool:
    return actor.user is not None and actor.user.is_active


@rules.predicate
def can_use_powers(actor: ActorLike) -> bool:
    """A session that passed a second factor, never a personal token."""
    return actor.can_use_powers


@rules.predicate
def is_site_staff(actor: ActorLike) -> bool:
    return actor.user is not None and actor.user.is_active and actor.user.is_staff


def sign_in_first() -> str:
    """The refusal of an action to someone not signed in."""
    return _("Sign in first.")


def permission_denied_message() -> str:
    """The refusal that names no reason: a rule failed and nothing better was said."""
    return _("You do not have permission to do this.")


def require(
    rule: str, actor: ActorLike, target: object = None, *, message: str | None = None
) -> None:
    """Raise NotPermitted unless ``actor`` passes ``rule`` on ``target``."""
    if not rules.test_rule(rule, actor, target):
        if actor.is_anonymous:
            raise NotPermitted(sign_in_first())
        raise NotPermitted(message or permission_denied_message())
