"""Invitations to a role in a space: by e-mail link or by a one-time code handed over in
person; using one, declining one, and erasing the addresses of those that expired.
Finding the invitation a code or a link belongs to is a read (``spaces.selectors``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from accounts.models import User
from core import onetime
from core.errors import DomainError, NotPermitted
from core.links import absolute_url
from core.rules import require, sign_in_first
from history.models import ActorRole
from history.services import append
from notifications.services import language_of, notification_give_up, notify_address
from spaces.models import DecisionSpace, Invitation, Membership
from spaces.selectors import (
    invitation_check_code,
    invitation_secret_hash,
    invitation_used,
    usable_invitation,
)
from spaces.services.base import (
    lock_space,
    membership_event,
    open_membership,
    require_known_role,
)

INVITATION_DAYS = 14


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    space: DecisionSpace,
    role: str,
    email: str | None = None,
) -> tuple[Invitation, str]:
    """Invite someone to a role: by e-mail link when ``email`` is given, otherwise by a
    one-time code to hand over in person. Returns the invitation and its secret (the code,
    or the link's token), which is shown once and never stored: only its hash is.
    Expires after INVITATION_DAYS days; single use. The e-mailed link starts with
    SITE_URL, never with the Host a request carried."""
    require("spaces.manage_members", actor, space)
    require_known_role(role)
    locked = lock_space(space)
    email = (email or "").strip() or None
    if email is not None:
        secret = onetime.new_link_token()
        kind = Invitation.Kind.EMAIL
    else:
        secret = onetime.new_code()
        kind = Invitation.Kind.CODE
    now = timezone.now()
    invitation = Invitation.objects.create(
        space=locked,
        role=role,
        kind=kind,
        email=email,
        secret_hash=invitation_secret_hash(secret),
        created_by=actor.user,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    if email is not None:
        _send_invitation_link(invitation, secret)
    append(
        kind="invitation.created",
        actor=actor.user,
        actor_role=ActorRole.FACILITATOR,
        subject=invitation,
        data={"space": locked.slug, "role": role, "by": kind},
    )
    return invitation, (secret if kind == Invitation.Kind.EMAIL else onetime.format_code(secret))


def _send_invitation_link(invitation: Invitation, token: str) -> None:
    """The link goes out through the outbox to the address itself (the invitee may have
    no account yet), so a failing SMTP server delays it and loses none. It is written in
    the inviting facilitator's language: the site knows no other for an address, and the
    facilitator chose the words of the invitation knowing whom they invite."""
    address = invitation.email
    assert address is not None
    path = reverse("spaces:invitation_accept", kwargs={"token": token})
    row = notify_address(
        address=address,
        kind="space.invitation",
        language=language_of(invitation.created_by),
        body=lambda: (
            _(
                "You are invited to take part in a decision space on Real Voice. Open this address "
                "to accept (it works once, for %(days)d days): %(path)s"
            )
            % {"days": INVITATION_DAYS, "path": absolute_url(path)}
        ),
        holds_secret=True,
    )
    Invitation.objects.filter(pk=invitation.pk).update(notification=row)


@transaction.atomic
def invitation_redeem(*, invitation: Invitation, user: User) -> Membership:
    """Use an invitation: mark it used and create the membership, atomically, once.

    The invitation row is locked and re-read, and then claimed with a guarded UPDATE
    (``used_at IS NULL``) whose row count is checked: two people racing with one code,
    or a caller holding a stale copy of a used invitation, get one membership between
    them and a clear refusal. The caller has established that ``user`` holds the code
    or link.
    """
    locked = Invitation.objects.select_for_update().select_related("space").get(pk=invitation.pk)
    usable_invitation(locked)
    membership = open_membership(
        space=locked.space, user=user, role=locked.role, added_by=locked.created_by
    )
    claimed = Invitation.objects.filter(pk=locked.pk, used_at__isnull=True).update(
        used_at=timezone.now(), used_by=user, membership=membership, email=None
    )
    if claimed != 1:  # raising rolls back the membership made above
        raise DomainError(invitation_used(), code="invitation_used")
    membership_event(
        "membership.added",
        actor_user=user,
        role=ActorRole.MEMBER,
        membership=membership,
        invitation=locked.pk,
    )
    _stop_its_email(locked, reason="The invitation was used before its e-mail went out.")
    invitation.refresh_from_db()
    return membership


def invitation_redeem_code(*, actor: Actor, code: str) -> Membership:
    """A signed-in person uses a one-time code a facilitator gave them (someone with no
    account yet joins with it at /accounts/join/ instead). Refuses an unknown, used,
    declined or expired code with a message, changing nothing."""
    user = actor.user
    if user is None or not user.is_active:
        raise NotPermitted(sign_in_first())
    return invitation_redeem(invitation=invitation_check_code(code=code), user=user)


def _stop_its_email(invitation: Invitation, *, reason: str) -> None:
    """An invitation that is no longer open sends no e-mail still waiting in the outbox
    (which then drops the address too)."""
    if invitation.notification_id is not None:
        notification_give_up(notification_id=invitation.notification_id, reason=reason)


@transaction.atomic
def invitation_decline(*, invitation: Invitation) -> Invitation:
    """Decline an e-mail invitation (whoever holds its link, with or without an account).

    Guarded like a use: the row is locked and must be open. It can no longer be used, and
    its address is erased at once, with any e-mail of it still waiting in the outbox. The
    facilitators see it as declined; nobody is told who declined."""
    locked = Invitation.objects.select_for_update().select_related("space").get(pk=invitation.pk)
    usable_invitation(locked)
    Invitation.objects.filter(pk=locked.pk, used_at__isnull=True, declined_at__isnull=True).update(
        declined_at=timezone.now(), email=None
    )
    _stop_its_email(locked, reason="The invitation was declined before its e-mail went out.")
    append(
        kind="invitation.declined",
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=locked,
        data={"space": locked.space.slug, "role": locked.role},
    )
    invitation.refresh_from_db()
    return invitation


def invitations_sweep() -> int:
    """The minute sweep's share for invitations: erase the address of every e-mail
    invitation that expired (and stop its e-mail if it never went out). A guarded update,
    safe to run twice at once. Returns how many addresses were erased."""
    expired = list(
        Invitation.objects.filter(email__isnull=False, expires_at__lte=timezone.now()).values_list(
            "pk", "notification_id"
        )
    )
    if not expired:
        return 0
    with transaction.atomic():
        erased = Invitation.objects.filter(
            pk__in=[pk for pk, _n in expired], email__isnull=False, expires_at__lte=timezone.now()
        ).update(email=None)
        for _pk, notification_id in expired:
            if notification_id is not None:
                notification_give_up(
                    notification_id=notification_id,
                    reason="The invitation expired before its e-mail went out.",
                )
    return erased
