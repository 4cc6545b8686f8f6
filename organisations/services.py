"""Every change to organisations and their editors. Each service checks the actor's
permission (organisations/rules.py) and the current state, locks what it changes, writes
in one transaction and appends its history event in that same transaction."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.authority import Actor
from core import onetime
from core.clock import after, db_now
from core.errors import Conflict, DomainError
from core.links import with_link
from core.rules import require
from core.slugs import create_at_slug
from core.text import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, require_fits
from history.models import ActorRole
from history.services import append
from notifications.services import notify, notify_many
from organisations.models import EditorInvitation, Organisation, OrganisationEditor


@transaction.atomic
def organisation_register(
    *, actor: Actor, name: str, description: str = "", slug: str = ""
) -> Organisation:
    """Register an organisation, pending until site staff approve it.

    The person registering becomes its first editor. Any signed-in person may register.
    """
    require("organisations.register", actor)
    assert actor.user is not None
    name = name.strip()
    slug = slugify(slug or name)[:60]
    if not name or not slug:
        raise DomainError(_("Give the organisation a name."))
    require_fits(description=(description.strip(), DESCRIPTION_MAX_LENGTH))
    organisation = create_at_slug(
        Organisation,
        slug=slug,
        reserved=RESERVED_SLUGS,
        name=name,
        description=description.strip(),
        registered_by=actor.user,
    )
    OrganisationEditor.objects.create(
        organisation=organisation, user=actor.user, added_by=actor.user, joined_at=db_now()
    )
    append(
        kind="organisation.registered",
        actor=actor.user,
        actor_role=ActorRole.MEMBER,
        subject=organisation,
        data={"name": organisation.name, "slug": organisation.slug},
    )
    return organisation


def _decide(
    *, actor: Actor, organisation: Organisation, approve: bool, reason: str
) -> Organisation:
    require(
        "organisations.decide",
        actor,
        message=_("Only site staff, signed in with their second factor, can decide this."),
    )
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.status != Organisation.Status.PENDING:
        raise Conflict(
            _("This organisation was already decided (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    if approve:
        locked.status = Organisation.Status.APPROVED
        locked.approved_by = actor.user
        locked.approved_at = timezone.now()
    else:
        locked.status = Organisation.Status.REJECTED
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    editors = [
        row.user for row in locked.editors.filter(left_at__isnull=True).select_related("user")
    ]

    def body() -> str:
        text = (
            _("The organisation %(name)s was approved. Its editors can now draft proposals.")
            if approve
            else _("The organisation %(name)s was not approved. Reason: %(reason)s")
        ) % {"name": locked.name, "reason": reason or "-"}
        return with_link(text, locked.get_absolute_url())

    notify_many(recipients=editors, kind="organisation.decided", body=body)
    append(
        kind="organisation.approved" if approve else "organisation.rejected",
        actor=actor.user,
        actor_role=ActorRole.STAFF,
        subject=locked,
        data={"slug": locked.slug, "reason": reason},
    )
    organisation.refresh_from_db()
    return locked


@transaction.atomic
def organisation_approve(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Approve a pending organisation (site staff with a second factor)."""
    return _decide(actor=actor, organisation=organisation, approve=True, reason="")


@transaction.atomic
def organisation_reject(
    *, actor: Actor, organisation: Organisation, reason: str = ""
) -> Organisation:
    """Decline a pending organisation (site staff with a second factor), with a reason."""
    require_fits(reason=(reason.strip(), NOTE_MAX_LENGTH))
    return _decide(actor=actor, organisation=organisation, approve=False, reason=reason.strip())


EDITOR_INVITATION_DAYS = 14
# Addresses under /organisations/ that are pages, not organisations.
RESERVED_SLUGS = {"register", "review", "editor-invitations"}


def _hash_code(code: str) -> str:
    return onetime.secret_hash(code, purpose="editor-invitation")


def _only_approved_editors_invite() -> str:
    return _("Only the editors of an approved organisation can invite editors.")


def _editor_invitation_used() -> str:
    return _("This editor invitation has already been used. Ask an editor for a new one.")


@transaction.atomic
def editor_invitation_create(
    *, actor: Actor, organisation: Organisation
) -> tuple[EditorInvitation, str]:
    """Make a one-time code that lets whoever redeems it edit for ``organisation``.

    Only the current editors of an approved organisation may. Returns the invitation and
    its code, which is shown once and never stored: only its hash is. Expires after
    EDITOR_INVITATION_DAYS days; single use.
    """
    require(
        "organisations.invite_editors",
        actor,
        organisation,
        message=_only_approved_editors_invite(),
    )
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.status != Organisation.Status.APPROVED:
        raise Conflict(_only_approved_editors_invite())
    code = onetime.new_code()
    now = timezone.now()
    invitation = EditorInvitation.objects.create(
        organisation=locked,
        secret_hash=_hash_code(code),
        created_by=actor.user,
        created_at=now,
        expires_at=now + timedelta(days=EDITOR_INVITATION_DAYS),
    )
    append(
        kind="organisation.editor_invited",
        actor=actor.user,
        actor_role=ActorRole.EDITOR,
        subject=locked,
        data={"slug": locked.slug, "invitation": invitation.pk},
    )
    return invitation, onetime.format_code(code)


def _usable_editor_invitation(invitation: EditorInvitation) -> EditorInvitation:
    onetime.refuse_if_spent(
        invitation,
        used=_editor_invitation_used(),
        expired=_("This editor invitation has expired. Ask an editor for a new one."),
    )
    return invitation


def editor_invitation_check(*, code: str) -> EditorInvitation:
    """The unused, unexpired editor invitation a code belongs to, or a DomainError saying
    what is wrong (unknown, used or expired). Changes nothing."""
    normalised = onetime.normalise_code(code)
    invitation = (
        EditorInvitation.objects.select_related("organisation")
        .filter(secret_hash=_hash_code(normalised))
        .first()
        if normalised
        else None
    )
    if invitation is None:
        raise DomainError(
            _("This code is not known. Check it for typing mistakes, or ask an editor."),
            code="invitation_unknown",
        )
    return _usable_editor_invitation(invitation)


@transaction.atomic
def editor_invitation_redeem(*, actor: Actor, code: str) -> OrganisationEditor:
    """Redeem an editor invitation: the signed-in actor becomes an editor of its
    organisation, by their own consent. Atomic and once: the invitation is claimed with a
    guarded UPDATE, so two people racing with one code get one editor row between them.
    The organisation must still be approved and the inviter still one of its editors.
    """
    require("organisations.redeem_editor_invitation", actor)
    user = actor.user
    assert user is not None
    found = editor_invitation_check(code=code)
    organisation = Organisation.objects.select_for_update().get(pk=found.organisation_id)
    invitation = EditorInvitation.objects.select_for_update().get(pk=found.pk)
    _usable_editor_invitation(invitation)
    inviter_still_edits = invitation.created_by_id is not None and (
        organisation.editors.filter(user_id=invitation.created_by_id, left_at__isnull=True).exists()
    )
    if organisation.status != Organisation.Status.APPROVED or not inviter_still_edits:
        raise Conflict(_("This editor invitation is no longer valid. Ask an editor for a new one."))
    if organisation.editors.filter(user=user, left_at__isnull=True).exists():
        raise Conflict(_("You already edit for %(name)s.") % {"name": organisation.name})
    row = OrganisationEditor.objects.create(
        organisation=organisation, user=user, added_by=invitation.created_by, joined_at=db_now()
    )
    claimed = EditorInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now(), used_by=user, editor=row
    )
    if claimed != 1:
        raise Conflict(_editor_invitation_used())
    if invitation.created_by is not None:
        notify(
            recipient=invitation.created_by,
            kind="organisation.editor_joined",
            body=lambda: with_link(
                _("Someone accepted your invitation to edit for %(name)s on Real Voice.")
                % {"name": organisation.name},
                organisation.get_absolute_url(),
            ),
        )
    append(
        kind="organisation.editor_added",
        actor=user,
        actor_role=ActorRole.MEMBER,
        subject=organisation,
        data={"editor": str(user.public_id), "invitation": invitation.pk},
    )
    return row


@transaction.atomic
def organisation_editor_remove(*, actor: Actor, editor: OrganisationEditor) -> OrganisationEditor:
    """End an editor's row (kept, never deleted). An organisation keeps at least one editor."""
    organisation = Organisation.objects.select_for_update().get(pk=editor.organisation_id)
    require("organisations.manage_editors", actor, organisation)
    row = OrganisationEditor.objects.select_for_update().get(pk=editor.pk)
    if row.left_at is not None:
        raise Conflict(_("This person no longer edits for the organisation."))
    if organisation.editors.filter(left_at__isnull=True).exclude(pk=row.pk).count() == 0:
        raise Conflict(_("An organisation needs at least one editor. Invite another editor first."))
    row.left_at = after(row.joined_at)
    row.save(update_fields=["left_at"])
    append(
        kind="organisation.editor_removed",
        actor=actor.user,
        actor_role=ActorRole.EDITOR,
        subject=organisation,
        data={"editor": str(row.user.public_id)},
    )
    editor.refresh_from_db()
    return row
