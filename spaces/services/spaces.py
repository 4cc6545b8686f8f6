"""Creating a decision space with its first facilitators and rulebook."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.authority import Actor
from accounts.models import User
from core.errors import DomainError, Invalid
from core.links import with_link
from core.money import CURRENCIES, DEFAULT_CURRENCY
from core.rules import require
from core.slugs import create_at_slug
from core.text import DESCRIPTION_MAX_LENGTH, require_fits
from history.models import ActorRole
from history.services import append
from notifications.services import notify_many
from spaces import rulebook as rb
from spaces.models import DecisionSpace, Membership, Role, Rulebook
from spaces.services import base

# Addresses under /spaces/ that are pages, not spaces.
RESERVED_SLUGS = {"new", "invitations"}


class SpaceInvalid(Invalid):
    """A space's details the rules refuse."""


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
    space = create_at_slug(
        DecisionSpace,
        slug=slug,
        reserved=RESERVED_SLUGS,
        name=name,
        description=description.strip(),
        currency=currency,
        created_by=actor.user,
    )
    Rulebook.objects.create(space=space, version=1, created_by=actor.user)
    unique = {person.pk: person for person in facilitators}
    for person in unique.values():
        Membership.objects.create(
            space=space,
            user=person,
            role=Role.FACILITATOR,
            added_by=actor.user,
            joined_at=base.db_now(),
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
