"""A space's rulebook: a change of rules is a new version, never an edit of the last."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.authority import Actor
from core.errors import Conflict, DomainError, Invalid
from core.links import absolute_url
from core.rules import require
from history.models import ActorRole
from history.services import append
from notifications.services import notify_many
from spaces import rulebook as rb
from spaces.models import DecisionSpace, Role, Rulebook
from spaces.selectors import rulebook_current
from spaces.services.base import lock_space


class RulebookInvalid(Invalid):
    """A rulebook change below a floor."""


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
    locked = lock_space(space)
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
