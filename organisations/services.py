"""Every change to organisations and their editors. Each service checks the actor's
permission (organisations/rules.py) and the current state, locks what it changes, writes
in one transaction and appends its history event in that same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

import rules
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.authority import Actor
from accounts.models import User
from core.errors import Conflict, DomainError, NotPermitted
from history.models import ActorRole
from history.services import append
from notifications.services import notify, notify_many
from organisations.models import Organisation, OrganisationEditor


def require(rule: str, actor: Actor, target: object = None, *, message: str | None = None) -> None:
    """Raise NotPermitted unless ``actor`` passes ``rule`` on ``target``."""
    if not rules.test_rule(rule, actor, target):
        if actor.is_anonymous:
            raise NotPermitted(_("Sign in first."))
        raise NotPermitted(message or _("You do not have permission to do this."))


def after(moment: datetime) -> datetime:
    """Now, or just after ``moment`` if the clock has not moved past it (a frozen test
    clock, or a coarse one): the CHECK constraints need an end strictly after a start."""
    return max(timezone.now(), moment + timedelta(microseconds=1))


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
    if slug in ("register", "review"):
        raise DomainError(
            _("The short address %(slug)s is reserved. Choose another one.") % {"slug": slug}
        )
    if Organisation.objects.filter(slug=slug).exists():
        raise Conflict(
            _("The short address %(slug)s is taken. Choose another one.") % {"slug": slug}
        )
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name, slug=slug, description=description.strip(), registered_by=actor.user
            )
    except IntegrityError:
        raise Conflict(
            _("The short address %(slug)s is taken. Choose another one.") % {"slug": slug}
        ) from None
    OrganisationEditor.objects.create(
        organisation=organisation, user=actor.user, added_by=actor.user
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
    body = (
        _("The organisation %(name)s was approved. Its editors can now draft proposals.")
        if approve
        else _("The organisation %(name)s was not approved. Reason: %(reason)s")
    ) % {"name": locked.name, "reason": reason or "-"}
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
    return _decide(actor=actor, organisation=organisation, approve=False, reason=reason.strip())


@transaction.atomic
def organisation_editor_add(
    *, actor: Actor, organisation: Organisation, user: User
) -> OrganisationEditor:
    """Add an editor; only the organisation's current editors may. One open row per person."""
    require("organisations.manage_editors", actor, organisation)
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.status == Organisation.Status.REJECTED:
        raise Conflict(_("This organisation was not approved; it cannot take new editors."))
    if not user.is_active:
        raise DomainError(_("This account is closed."))
    if locked.editors.filter(user=user, left_at__isnull=True).exists():
        raise Conflict(
            _("%(name)s already edits for this organisation.") % {"name": user.public_name}
        )
    row = OrganisationEditor.objects.create(organisation=locked, user=user, added_by=actor.user)
    notify(
        recipient=user,
        kind="organisation.editor_added",
        body=_("You can now edit for the organisation %(name)s on Real Voice.")
        % {"name": locked.name},
    )
    append(
        kind="organisation.editor_added",
        actor=actor.user,
        actor_role=ActorRole.EDITOR,
        subject=locked,
        data={"editor": str(user.public_id)},
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
        raise Conflict(_("An organisation needs at least one editor. Add another editor first."))
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
