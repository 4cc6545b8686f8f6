"""Memberships: adding a person to a space, ending a membership, a board member's leave
of absence, and what happens to the memberships of a person who closes their account.

Lived-experience notes never go into history event data or notifications.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.authority import Actor
from accounts.models import User
from core.clock import after
from core.errors import Conflict, DomainError, Invalid
from core.links import with_link
from core.rules import require
from core.text import NOTE_MAX_LENGTH, require_fits
from history.models import ActorRole
from history.services import append
from notifications.services import notify
from organisations.models import OrganisationEditor
from spaces.ending import EndingPreview, ending_preview, reason_required, reason_required_message
from spaces.models import DecisionSpace, JoinRequest, LeaveOfAbsence, Membership, Role
from spaces.services.base import lock_space, membership_event, open_membership


class MembershipEndInvalid(Invalid):
    """An ending the rules refuse as asked (a board member without a reason)."""


END_MEMBERSHIP_MESSAGE = gettext_noop(
    "Ending a membership needs a facilitator who confirmed their identity in the "
    "last few minutes. Confirm it is you again (sign in again) and try once more."
)


@transaction.atomic
def membership_add(
    *, actor: Actor, space: DecisionSpace, user: User, role: str, lived_experience: str = ""
) -> Membership:
    """Add a person to a space in a role (facilitators with a second factor).

    One open membership per person and role; earlier periods stay as they were.
    """
    require("spaces.manage_members", actor, space)
    locked = lock_space(space)
    membership = open_membership(
        space=locked, user=user, role=role, added_by=actor.user, lived_experience=lived_experience
    )
    notify(
        recipient=user,
        kind="space.membership_added",
        body=lambda: with_link(
            _("You were added to the decision space %(space)s as %(role)s.")
            % {"space": locked.name, "role": Role(role).label},
            locked.get_absolute_url(),
        ),
    )
    membership_event(
        "membership.added", actor_user=actor.user, role=ActorRole.FACILITATOR, membership=membership
    )
    return membership


def _end_open_leave(membership: Membership, *, by: User | None) -> LeaveOfAbsence | None:
    leave = (
        LeaveOfAbsence.objects.select_for_update()
        .filter(membership=membership, ended_at__isnull=True)
        .first()
    )
    if leave is None:
        return None
    leave.ended_at = after(leave.started_at)
    leave.ended_by = by
    leave.save(update_fields=["ended_at", "ended_by"])
    return leave


def _require_end(actor: Actor, membership: Membership) -> None:
    require("spaces.end_membership", actor, membership.space, message=_(END_MEMBERSHIP_MESSAGE))


def _ending_refused(row: Membership) -> DomainError | None:
    """Why ``row`` cannot end now, or None: the one guard the confirmation page and the
    ending itself share."""
    if row.left_at is not None:
        return Conflict(_("This membership has already ended."))
    if (
        row.role == Role.FACILITATOR
        and not Membership.objects.facilitators()
        .filter(space_id=row.space_id)
        .exclude(pk=row.pk)
        .exists()
    ):
        return Conflict(_("A space needs at least one facilitator. Add another facilitator first."))
    return None


def membership_end_preview(*, actor: Actor, membership: Membership) -> EndingPreview:
    """What ending ``membership`` would change, for the facilitator to confirm first.
    Same permission as the ending itself; changes nothing."""
    _require_end(actor, membership)
    row = Membership.objects.select_related("space", "user").get(pk=membership.pk)
    refusal = _ending_refused(row)
    if refusal is not None:
        raise refusal
    return ending_preview(membership=row)


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership, reason: str = "") -> Membership:
    """End a membership (kept, never deleted) and blank its private lived-experience note.
    Facilitators with a second factor who signed in again recently. A space always keeps
    at least one facilitator; a board member's ending needs a public reason. Rounds already
    open keep the board they froze; the ones opened after it are without the person."""
    _require_end(actor, membership)
    space = lock_space(membership.space)
    row = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    refusal = _ending_refused(row)
    if refusal is not None:
        raise refusal
    reason = reason.strip()
    if reason_required(row) and not reason:
        raise MembershipEndInvalid({"reason": [reason_required_message()]})
    require_fits(reason=(reason, NOTE_MAX_LENGTH))
    _end_open_leave(row, by=actor.user)
    row.left_at = after(row.joined_at)
    row.lived_experience = ""  # private, and needed only while the person sits on the board
    row.save(update_fields=["left_at", "lived_experience"])
    notify(
        recipient=row.user,
        kind="space.membership_ended",
        body=lambda: with_link(
            _("Your membership of the decision space %(space)s as %(role)s has ended.")
            % {"space": space.name, "role": Role(row.role).label},
            space.get_absolute_url(),
        ),
    )
    membership_event(
        "membership.ended",
        actor_user=actor.user,
        role=ActorRole.FACILITATOR,
        membership=row,
        reason=reason,
    )
    membership.refresh_from_db()
    return row


def _leave_locked(actor: Actor, membership: Membership) -> Membership:
    """The membership whose leave ``actor`` may start or end, locked."""
    require("spaces.manage_leave", actor, membership)
    return (
        Membership.objects.select_for_update().select_related("space", "user").get(pk=membership.pk)
    )


def _leave_event(kind: str, actor: Actor, row: Membership) -> None:
    """A leave is started or ended by the member themself or by a facilitator."""
    own = actor.user is not None and actor.user.pk == row.user_id
    role = ActorRole.BOARD_MEMBER if own else ActorRole.FACILITATOR
    membership_event(kind, actor_user=actor.user, role=role, membership=row)


@transaction.atomic
def leave_start(*, actor: Actor, membership: Membership) -> LeaveOfAbsence:
    """Start a board member's leave (the member themself, or a facilitator with powers).
    While on leave they do not count toward a quorum."""
    row = _leave_locked(actor, membership)
    if row.role != Role.BOARD:
        raise DomainError(_("Only advisory board members take a leave of absence."))
    if row.left_at is not None:
        raise Conflict(_("This membership has ended."))
    if row.leaves.filter(ended_at__isnull=True).exists():
        raise Conflict(_("This board member is already on leave."))
    leave = LeaveOfAbsence.objects.create(
        membership=row, started_at=after(row.joined_at), started_by=actor.user
    )
    _leave_event("membership.leave_started", actor, row)
    return leave


@transaction.atomic
def leave_end(*, actor: Actor, membership: Membership) -> LeaveOfAbsence:
    """End a board member's open leave (the member themself, or a facilitator with powers)."""
    row = _leave_locked(actor, membership)
    leave = _end_open_leave(row, by=actor.user)
    if leave is None:
        raise Conflict(_("This board member is not on leave."))
    _leave_event("membership.leave_ended", actor, row)
    return leave


@transaction.atomic
def memberships_end_for_departing_person(*, user: User) -> int:
    """End every open membership, editor row and leave of a person whose account is being
    deleted, decline their waiting requests to join (each with its history event), and
    blank what they wrote privately: the lived-experience notes on all their memberships
    and the messages of all their requests to join. Returns how many memberships and
    editor rows were ended.

    Called by account deletion, which has already checked who may delete the account, so
    no permission is checked here. The last-facilitator rule does not hold a person back:
    a space left without a facilitator is reported to site staff through the history.
    """
    ended = 0
    for row in (
        Membership.objects.select_for_update()
        .select_related("space", "user")
        .filter(user=user, left_at__isnull=True)
    ):
        _end_open_leave(row, by=None)
        row.left_at = after(row.joined_at)
        row.lived_experience = ""
        row.save(update_fields=["left_at", "lived_experience"])
        membership_event(
            "membership.ended",
            actor_user=None,
            role=ActorRole.SYSTEM,
            membership=row,
            reason="account closed",
        )
        ended += 1
    # Notes kept on memberships that ended earlier go too.
    Membership.objects.filter(user=user).exclude(lived_experience="").update(lived_experience="")
    for editor in (
        OrganisationEditor.objects.select_for_update()
        .select_related("organisation")
        .filter(user=user, left_at__isnull=True)
    ):
        editor.left_at = after(editor.joined_at)
        editor.save(update_fields=["left_at"])
        append(
            kind="organisation.editor_removed",
            actor=None,
            actor_role=ActorRole.SYSTEM,
            subject=editor.organisation,
            data={"editor": str(user.public_id), "reason": "account closed"},
        )
        ended += 1
    # Nobody is left to accept: a waiting request would only show facilitators a name
    # that no longer exists. Each decline is recorded, as a facilitator's would be (never
    # with the message, which is private and blanked below).
    for request in (
        JoinRequest.objects.select_for_update()
        .select_related("space")
        .filter(user=user, status=JoinRequest.Status.PENDING)
        .order_by("pk")
    ):
        request.status = JoinRequest.Status.DECLINED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        append(
            kind="join_request.declined",
            actor=None,
            actor_role=ActorRole.SYSTEM,
            subject=request,
            data={"space": request.space.slug, "role": request.role, "reason": "account closed"},
        )
    JoinRequest.objects.filter(user=user).exclude(message="").update(message="")
    return ended
