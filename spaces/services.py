"""Every change to decision spaces, their memberships, invitations, requests to join and
rulebooks. Each service checks the actor's permission (spaces/rules.py) and the current
state, locks what it changes, writes in one transaction and appends its history event in
that same transaction. A refusal raises a ``core.errors.DomainError`` and changes nothing.

Lived-experience notes never go into history event data or notifications.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.authority import Actor
from accounts.models import User
from core import onetime
from core.clock import after, db_now
from core.errors import Conflict, DomainError, Invalid, NotPermitted
from core.links import absolute_url, with_link
from core.money import CURRENCIES, DEFAULT_CURRENCY
from core.rules import require
from core.text import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, require_fits
from history.models import ActorRole
from history.services import append
from notifications.services import (
    language_of,
    notification_give_up,
    notify,
    notify_address,
    notify_many,
)
from organisations.models import OrganisationEditor
from spaces import rulebook as rb
from spaces.ending import EndingPreview, ending_preview, reason_required, reason_required_message
from spaces.models import (
    DecisionSpace,
    Invitation,
    JoinRequest,
    LeaveOfAbsence,
    Membership,
    Role,
    Rulebook,
)

INVITATION_DAYS = 14
# Addresses under /spaces/ that are pages, not spaces.
RESERVED_SLUGS = {"new", "invitations"}


class RulebookInvalid(Invalid):
    """A rulebook change below a floor."""


class SpaceInvalid(Invalid):
    """A space's details the rules refuse."""


# --- Spaces ---------------------------------------------------------------------------------


@transaction.atomic
def space_create(
    *,
    actor: Actor,
    name: str,
    facilitators: list[User],
    description: str = "",
    slug: str = "",
    currency: str = DEFAULT_CURRENCY,
) -> DecisionSpace:
    """Create a decision space with its first facilitators, the default rulebook (v1) and
    the currency its proposals' costs are in (an ISO 4217 code the site knows).

    Site staff with a second factor only. A space always starts with a facilitator.
    """
    require(
        "spaces.create",
        actor,
        message=_("Only site staff, signed in with their second factor, can create spaces."),
    )
    name = name.strip()
    slug = slugify(slug or name)[:60]
    if not name or not slug:
        raise DomainError(_("Give the space a name."))
    if not facilitators:
        raise DomainError(_("Appoint at least one facilitator for the new space."))
    require_fits(description=(description.strip(), DESCRIPTION_MAX_LENGTH))
    if currency not in CURRENCIES:
        raise SpaceInvalid(
            {
                "currency": [
                    _("Choose one of these currencies: %(codes)s.")
                    % {"codes": ", ".join(CURRENCIES)}
                ]
            }
        )
    if slug in RESERVED_SLUGS:
        raise DomainError(
            _("The short address %(slug)s is reserved. Choose another one.") % {"slug": slug}
        )
    if DecisionSpace.objects.filter(slug=slug).exists():
        raise Conflict(
            _("The short address %(slug)s is taken. Choose another one.") % {"slug": slug}
        )
    try:
        with transaction.atomic():
            space = DecisionSpace.objects.create(
                name=name,
                slug=slug,
                description=description.strip(),
                currency=currency,
                created_by=actor.user,
            )
    except IntegrityError:
        raise Conflict(
            _("The short address %(slug)s is taken. Choose another one.") % {"slug": slug}
        ) from None
    Rulebook.objects.create(space=space, version=1, created_by=actor.user)
    unique = {person.pk: person for person in facilitators}
    for person in unique.values():
        Membership.objects.create(
            space=space, user=person, role=Role.FACILITATOR, added_by=actor.user, joined_at=db_now()
        )
    notify_many(
        recipients=unique.values(),
        kind="space.facilitator_appointed",
        body=lambda: with_link(
            _("You are now a facilitator of the decision space %(name)s on Real Voice.")
            % {"name": space.name},
            space.get_absolute_url(),
        ),
    )
    append(
        kind="space.created",
        actor=actor.user,
        actor_role=ActorRole.STAFF,
        subject=space,
        data={
            "name": space.name,
            "slug": space.slug,
            "currency": space.currency,
            "facilitators": sorted(str(p.public_id) for p in unique.values()),
            "rulebook": rb.DEFAULTS,
        },
    )
    return space


# --- Memberships ----------------------------------------------------------------------------


def _lock_space(space: DecisionSpace) -> DecisionSpace:
    return DecisionSpace.objects.select_for_update().get(pk=space.pk)


def _open_membership(
    *,
    space: DecisionSpace,
    user: User,
    role: str,
    added_by: User | None,
    lived_experience: str = "",
) -> Membership:
    if role not in Role.values:
        raise DomainError(_("Choose a role: facilitator, advisory board member or voter."))
    if lived_experience and role != Role.BOARD:
        raise DomainError(_("A lived-experience note belongs to board members only."))
    require_fits(lived_experience=(lived_experience.strip(), NOTE_MAX_LENGTH))
    if not user.is_active:
        raise DomainError(_("This account is closed."))
    if Membership.objects.open().filter(space=space, user=user, role=role).exists():
        raise Conflict(
            _("%(name)s is already a %(role)s in this space.")
            % {"name": user.public_name, "role": Role(role).label}
        )
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
        raise Conflict(
            _("%(name)s is already a %(role)s in this space.")
            % {"name": user.public_name, "role": Role(role).label}
        ) from None


def _membership_event(
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


@transaction.atomic
def membership_add(
    *, actor: Actor, space: DecisionSpace, user: User, role: str, lived_experience: str = ""
) -> Membership:
    """Add a person to a space in a role (facilitators with a second factor).

    One open membership per person and role; earlier periods stay as they were.
    """
    require("spaces.manage_members", actor, space)
    locked = _lock_space(space)
    membership = _open_membership(
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
    _membership_event(
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


class MembershipEndInvalid(Invalid):
    """An ending the rules refuse as asked (a board member without a reason)."""


END_MEMBERSHIP_MESSAGE = gettext_noop(
    "Ending a membership needs a facilitator who confirmed their identity in the "
    "last few minutes. Confirm it is you again (sign in again) and try once more."
)


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
    space = _lock_space(membership.space)
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
    _membership_event(
        "membership.ended",
        actor_user=actor.user,
        role=ActorRole.FACILITATOR,
        membership=row,
        reason=reason,
    )
    membership.refresh_from_db()
    return row


@transaction.atomic
def leave_start(*, actor: Actor, membership: Membership) -> LeaveOfAbsence:
    """Start a board member's leave (the member themself, or a facilitator with powers).
    While on leave they do not count toward a quorum."""
    require("spaces.manage_leave", actor, membership)
    row = (
        Membership.objects.select_for_update().select_related("space", "user").get(pk=membership.pk)
    )
    if row.role != Role.BOARD:
        raise DomainError(_("Only advisory board members take a leave of absence."))
    if row.left_at is not None:
        raise Conflict(_("This membership has ended."))
    if row.leaves.filter(ended_at__isnull=True).exists():
        raise Conflict(_("This board member is already on leave."))
    leave = LeaveOfAbsence.objects.create(
        membership=row, started_at=after(row.joined_at), started_by=actor.user
    )
    own = actor.user is not None and actor.user.pk == row.user_id
    _membership_event(
        "membership.leave_started",
        actor_user=actor.user,
        role=ActorRole.BOARD_MEMBER if own else ActorRole.FACILITATOR,
        membership=row,
    )
    return leave


@transaction.atomic
def leave_end(*, actor: Actor, membership: Membership) -> LeaveOfAbsence:
    """End a board member's open leave (the member themself, or a facilitator with powers)."""
    require("spaces.manage_leave", actor, membership)
    row = (
        Membership.objects.select_for_update().select_related("space", "user").get(pk=membership.pk)
    )
    leave = _end_open_leave(row, by=actor.user)
    if leave is None:
        raise Conflict(_("This board member is not on leave."))
    own = actor.user is not None and actor.user.pk == row.user_id
    _membership_event(
        "membership.leave_ended",
        actor_user=actor.user,
        role=ActorRole.BOARD_MEMBER if own else ActorRole.FACILITATOR,
        membership=row,
    )
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
        _membership_event(
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


# --- Invitations ----------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return onetime.secret_hash(secret, purpose="invitation")


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
    if role not in Role.values:
        raise DomainError(_("Choose a role: facilitator, advisory board member or voter."))
    locked = _lock_space(space)
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
        secret_hash=_hash_secret(secret),
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


def _usable(invitation: Invitation) -> Invitation:
    if invitation.declined_at is not None:
        raise DomainError(
            _("This invitation was declined. Ask a facilitator for a new one."),
            code="invitation_declined",
        )
    if invitation.used_at is not None:
        raise DomainError(
            _("This invitation has already been used. Ask a facilitator for a new one."),
            code="invitation_used",
        )
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation has expired. Ask a facilitator for a new one."),
            code="invitation_expired",
        )
    return invitation


def invitation_check_code(*, code: str) -> Invitation:
    """The unused, unexpired invitation a one-time code belongs to, or a DomainError
    saying what is wrong (unknown, used or expired). Changes nothing."""
    normalised = onetime.normalise_code(code)
    invitation = (
        Invitation.objects.select_related("space")
        .filter(kind=Invitation.Kind.CODE, secret_hash=_hash_secret(normalised))
        .first()
        if normalised
        else None
    )
    if invitation is None:
        raise DomainError(
            _("This code is not known. Check it for typing mistakes, or ask a facilitator."),
            code="invitation_unknown",
        )
    return _usable(invitation)


def invitation_check_token(*, token: str) -> Invitation:
    """The unused, unexpired invitation an e-mail link's token belongs to."""
    invitation = (
        Invitation.objects.select_related("space")
        .filter(kind=Invitation.Kind.EMAIL, secret_hash=_hash_secret(token))
        .first()
    )
    if invitation is None:
        raise DomainError(
            _("This invitation link is not valid. Ask a facilitator for a new one."),
            code="invitation_unknown",
        )
    return _usable(invitation)


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
    _usable(locked)
    membership = _open_membership(
        space=locked.space, user=user, role=locked.role, added_by=locked.created_by
    )
    claimed = Invitation.objects.filter(pk=locked.pk, used_at__isnull=True).update(
        used_at=timezone.now(), used_by=user, membership=membership, email=None
    )
    if claimed != 1:  # raising rolls back the membership made above
        raise DomainError(
            _("This invitation has already been used. Ask a facilitator for a new one."),
            code="invitation_used",
        )
    _membership_event(
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
        raise NotPermitted(_("Sign in first."))
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
    _usable(locked)
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


# --- Requests to join -----------------------------------------------------------------------


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
    locked = _lock_space(space)
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
    _lock_space(join_request.space)
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
        membership = _open_membership(
            space=row.space, user=row.user, role=row.role, added_by=actor.user
        )
        _membership_event(
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


# --- Rulebook -------------------------------------------------------------------------------


def rulebook_current(*, space: DecisionSpace) -> Rulebook:
    rulebook = space.rulebooks.order_by("-version").first()
    if rulebook is None:  # every space gets v1 at creation; this is a broken database
        raise Conflict(_("This space has no rulebook."))
    return rulebook


def _notify_rulebook_changed(*, space: DecisionSpace, version: int) -> None:
    """Tell the board and the facilitators (each person once) that the rules changed."""
    people = {
        membership.user.pk: membership.user
        for membership in space.memberships.open()
        .filter(role__in=[Role.BOARD, Role.FACILITATOR])
        .select_related("user")
    }
    notify_many(
        recipients=people.values(),
        kind="space.rulebook_changed",
        body=lambda: (
            _(
                "The rules of the decision space %(space)s have changed (rulebook version "
                "%(version)d). They apply to reviews and votes that open from now on. Read the "
                "new rules on the space's page: %(path)s"
            )
            % {
                "space": space.name,
                "version": version,
                "path": absolute_url(reverse("spaces:detail", kwargs={"slug": space.slug})),
            }
        ),
    )


@transaction.atomic
def rulebook_change(*, actor: Actor, space: DecisionSpace, **values: Any) -> Rulebook:
    """Adopt a new rulebook version for a space (facilitators with a second factor who
    signed in again recently). Fields not given keep their current value. Refuses any
    value below a floor with a message per field; the database refuses it too. Running
    rounds and votes keep the version they opened with. The board and the facilitators
    are notified (neutral subject) in the same transaction."""
    require(
        "spaces.change_rulebook",
        actor,
        space,
        message=_(
            "Changing the rulebook needs a facilitator who confirmed their identity in the "
            "last few minutes. Confirm it is you again (sign in again) and try once more."
        ),
    )
    unknown = set(values) - set(rb.FIELDS)
    if unknown:
        raise DomainError(_("Unknown rule: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    locked = _lock_space(space)
    current = rulebook_current(space=locked)
    old = current.values()
    new = {**old, **values}
    errors = rb.validate(new)
    if errors:
        raise RulebookInvalid(errors)
    if new == old:
        raise Conflict(_("Nothing changed: the rulebook already says this."))
    rulebook = Rulebook.objects.create(
        space=locked, version=current.version + 1, created_by=actor.user, **new
    )
    changed = {
        field: {"old": old[field], "new": new[field]}
        for field in rb.FIELDS
        if old[field] != new[field]
    }
    _notify_rulebook_changed(space=locked, version=rulebook.version)
    append(
        kind="rulebook.changed",
        actor=actor.user,
        actor_role=ActorRole.FACILITATOR,
        subject=locked,
        data={"space": locked.slug, "version": rulebook.version, "changed": changed},
    )
    return rulebook


__all__ = [
    "NotPermitted",
    "RulebookInvalid",
    "invitation_check_code",
    "invitation_create",
    "invitation_redeem",
    "join_request_approve",
    "join_request_create",
    "join_request_decline",
    "leave_end",
    "leave_start",
    "membership_add",
    "membership_end",
    "memberships_end_for_departing_person",
    "rulebook_change",
    "space_create",
]
