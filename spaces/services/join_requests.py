"""Requests to join a space's board or electorate, and the facilitators' answers."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from core.errors import Conflict, DomainError
from core.links import with_link
from core.rules import require
from core.text import NOTE_MAX_LENGTH, require_fits
from history.models import ActorRole
from history.services import append
from notifications.services import notify, notify_many
from spaces.models import DecisionSpace, JoinRequest, Role
from spaces.services.base import lock_space, membership_event, open_membership


@transaction.atomic
def join_request_create(
    *, actor: Actor, space: DecisionSpace, role: str = Role.ELECTORATE, message: str = ""
) -> JoinRequest:
    """Ask to join a space's board or electorate (any signed-in person)."""
    require("spaces.request_to_join", actor, space)
    assert actor.user is not None
    if role not in (Role.BOARD, Role.ELECTORATE):
        raise DomainError(_("You can ask to join the advisory board or the electorate."))
    message = message.strip()
    require_fits(message=(message, NOTE_MAX_LENGTH))
    locked = lock_space(space)
    if locked.memberships.open().filter(user=actor.user, role=role).exists():
        raise Conflict(_("You are already a member of this space in that role."))
    if locked.join_requests.filter(user=actor.user, role=role, status="pending").exists():
        raise Conflict(_("You already asked; the facilitators will answer your request."))
    request = JoinRequest.objects.create(space=locked, user=actor.user, role=role, message=message)
    facilitators = [m.user for m in locked.memberships.facilitators().select_related("user")]
    notify_many(
        recipients=facilitators,
        kind="space.join_requested",
        body=lambda: with_link(
            _("Someone asked to join the decision space %(space)s.") % {"space": locked.name},
            reverse("spaces:members", kwargs={"slug": locked.slug}),
        ),
    )
    append(
        kind="join_request.created",
        actor=actor.user,
        actor_role=ActorRole.MEMBER,
        subject=request,
        data={"space": locked.slug, "role": role},
    )
    return request


def _decide_join_request(*, actor: Actor, join_request: JoinRequest, approve: bool) -> JoinRequest:
    require("spaces.manage_members", actor, join_request.space)
    lock_space(join_request.space)
    row = (
        JoinRequest.objects.select_for_update()
        .select_related("space", "user")
        .get(pk=join_request.pk)
    )
    if row.status != JoinRequest.Status.PENDING:
        raise Conflict(_("This request has already been answered."))
    row.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    row.decided_by = actor.user
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        membership = open_membership(
            space=row.space, user=row.user, role=row.role, added_by=actor.user
        )
        membership_event(
            "membership.added",
            actor_user=actor.user,
            role=ActorRole.FACILITATOR,
            membership=membership,
            join_request=row.pk,
        )
    notify(
        recipient=row.user,
        kind="space.join_request_decided",
        body=lambda: with_link(
            (
                _("Your request to join %(space)s was accepted.")
                if approve
                else _("Your request to join %(space)s was declined.")
            )
            % {"space": row.space.name},
            row.space.get_absolute_url(),
        ),
    )
    append(
        kind="join_request.approved" if approve else "join_request.declined",
        actor=actor.user,
        actor_role=ActorRole.FACILITATOR,
        subject=row,
        data={"space": row.space.slug, "role": row.role},
    )
    join_request.refresh_from_db()
    return row


@transaction.atomic
def join_request_approve(*, actor: Actor, join_request: JoinRequest) -> JoinRequest:
    """Accept a pending request: the person becomes a member in the role they asked for."""
    return _decide_join_request(actor=actor, join_request=join_request, approve=True)


@transaction.atomic
def join_request_decline(*, actor: Actor, join_request: JoinRequest) -> JoinRequest:
    """Decline a pending request."""
    return _decide_join_request(actor=actor, join_request=join_request, approve=False)
