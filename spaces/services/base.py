"""What the spaces services share: the lock on a space, opening a membership, and the
history event of a membership. The database clock is read here too (``db_now``:
``core.clock``, which the tests and the demo set with ``clock_set``).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import account_closed
from core.clock import db_now
from core.errors import Conflict, DomainError
from core.text import NOTE_MAX_LENGTH, require_fits
from history.models import ActorRole
from history.services import append
from spaces.models import DecisionSpace, Membership, Role

__all__ = ["db_now", "lock_space", "membership_event", "open_membership", "require_known_role"]


def lock_space(space: DecisionSpace) -> DecisionSpace:
    """The space's row, locked: changes to one space's members, invitations, requests and
    rules wait for each other."""
    return DecisionSpace.objects.select_for_update().get(pk=space.pk)


def require_known_role(role: str) -> None:
    """Refuse a role that is not one of a space's roles."""
    if role not in Role.values:
        raise DomainError(_("Choose a role: facilitator, advisory board member or voter."))


def _already_member(user: User, role: str) -> Conflict:
    return Conflict(
        _("%(name)s is already a %(role)s in this space.")
        % {"name": user.public_name, "role": Role(role).label}
    )


def open_membership(
    *,
    space: DecisionSpace,
    user: User,
    role: str,
    added_by: User | None,
    lived_experience: str = "",
) -> Membership:
    require_known_role(role)
    if lived_experience and role != Role.BOARD:
        raise DomainError(_("A lived-experience note belongs to board members only."))
    require_fits(lived_experience=(lived_experience.strip(), NOTE_MAX_LENGTH))
    if not user.is_active:
        raise DomainError(account_closed())
    if Membership.objects.open().filter(space=space, user=user, role=role).exists():
        raise _already_member(user, role)
    try:
        with transaction.atomic():  # a concurrent add of the same person meets the constraint
            return Membership.objects.create(
                space=space,
                user=user,
                role=role,
                joined_at=db_now(),  # the clock rounds freeze their board on
                added_by=added_by,
                lived_experience=lived_experience.strip(),
            )
    except IntegrityError:
        raise _already_member(user, role) from None


def membership_event(
    kind: str, *, actor_user: User | None, role: ActorRole, membership: Membership, **extra: Any
) -> None:
    append(
        kind=kind,
        actor=actor_user,
        actor_role=role,
        subject=membership,
        data={
            "space": membership.space.slug,
            "member": str(membership.user.public_id),
            "role": membership.role,
            **extra,
        },
    )
