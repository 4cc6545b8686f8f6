"""What ending a membership changes, said before it is ended.

A facilitator confirms an ending on a page (or an API call) that says what it changes.
The spaces app knows memberships; the rounds and votes a person takes part in belong to
higher apps, which register what an ending means for them here (``register``), so this
app never imports them. Each registered function returns sentences for the person
confirming, already translated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.selectors import display_name
from spaces.models import Membership, Role

Consequence = Callable[[Membership], list[str]]

_CONSEQUENCES: list[Consequence] = []


def register(consequence: Consequence) -> Consequence:
    """Add what ending a membership means for a higher app (its rounds, its votes)."""
    if consequence not in _CONSEQUENCES:
        _CONSEQUENCES.append(consequence)
    return consequence


def reason_required(membership: Membership) -> bool:
    """A board member's departure changes who reviews the next proposals: the public
    record says why. Other endings may give a reason."""
    return membership.role == Role.BOARD


def reason_required_message() -> str:
    return _(
        "Give the reason a board member leaves the board. It is public, in the space's "
        "history, so write nothing private."
    )


@dataclass(frozen=True)
class EndingPreview:
    membership: Membership
    reason_required: bool
    changes: list[str] = field(default_factory=list)


def _roles_kept(membership: Membership) -> set[str]:
    """The roles the person keeps in the space once this membership ends."""
    return set(
        Membership.objects.open()
        .filter(space_id=membership.space_id, user_id=membership.user_id)
        .exclude(pk=membership.pk)
        .values_list("role", flat=True)
    )


def _electorate_change(membership: Membership, name: str) -> str:
    """Whether the person leaves the electorate (``ELECTORATE_ROLES``: voters and board
    members), said from the memberships they keep."""
    kept = _roles_kept(membership)
    if membership.role == Role.BOARD:
        if Role.ELECTORATE in kept:
            return _(
                "%(name)s stays in the electorate as a voter: votes opened from now on "
                "count %(name)s as a voter, not as a member of the advisory board."
            ) % {"name": name}
        return _(
            "%(name)s also leaves the electorate now, holding no voter's membership here. "
            "Votes already open keep the electorate they counted when they opened; votes "
            "opened from now on are without %(name)s."
        ) % {"name": name}
    if Role.BOARD in kept:
        return _(
            "%(name)s stops being a voter here but stays in the electorate as a member of "
            "the advisory board: votes opened from now on still count %(name)s, once."
        ) % {"name": name}
    return _(
        "%(name)s leaves the electorate now. Votes already open keep the electorate "
        "they counted when they opened; votes opened from now on are without "
        "%(name)s."
    ) % {"name": name}


def _role_changes(membership: Membership) -> list[str]:
    name = display_name(membership.user)
    if membership.role == Role.BOARD:
        return [
            _(
                "%(name)s leaves the advisory board now. Review rounds already open keep "
                "the board they froze when they opened; the rounds opened from now on are "
                "without %(name)s."
            )
            % {"name": name},
            _electorate_change(membership, name),
            _("The private lived-experience note on this membership is deleted.")
            if membership.lived_experience
            else "",
        ]
    if membership.role == Role.ELECTORATE:
        return [_electorate_change(membership, name)]
    return [_("%(name)s loses the facilitator powers in this space now.") % {"name": name}]


def ending_preview(*, membership: Membership) -> EndingPreview:
    """What ending ``membership`` would change, in sentences, and whether it needs a
    reason. Reads only; the caller has checked who may see it."""
    changes = [sentence for sentence in _role_changes(membership) if sentence]
    for consequence in _CONSEQUENCES:
        changes.extend(consequence(membership))
    changes.append(
        _("The membership stays in the record with its dates, and the reason you give is public.")
    )
    return EndingPreview(
        membership=membership, reason_required=reason_required(membership), changes=changes
    )
