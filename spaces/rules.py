"""Who may do what in a decision space. Predicates take an ``Actor`` (accounts.authority)
and the object acted on (a space, or something in one); services, pages and the API all
test these same rule names.

Facilitator powers need ``actor.can_use_powers`` (a session that passed a second factor,
never a personal token); the sensitive ones also need a recent sign-in.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.authority import Actor
from core.rules import can_use_powers, is_signed_in, is_site_staff


def space_of(target: Any) -> Any:
    """The space a target belongs to: a space, or anything with a ``space`` or a membership."""
    if target is None:
        return None
    if hasattr(target, "memberships") and hasattr(target, "rulebooks"):
        return target
    if hasattr(target, "space_id"):
        return target.space
    if hasattr(target, "membership_id"):
        return target.membership.space
    return None


@rules.predicate
def is_facilitator(actor: Actor, target: Any) -> bool:
    space = space_of(target)
    if actor.user is None or space is None:
        return False
    return space.memberships.facilitators().filter(user=actor.user).exists()


@rules.predicate
def is_recently_authenticated(actor: Actor) -> bool:
    return actor.recently_authenticated


@rules.predicate
def is_the_board_member(actor: Actor, membership: Any) -> bool:
    """The person whose own open board membership this is."""
    return (
        actor.user is not None
        and membership is not None
        and getattr(membership, "role", None) == "board"
        and membership.user_id == actor.user.pk
    )


facilitates = is_signed_in & is_facilitator & can_use_powers

rules.add_rule("spaces.create", is_site_staff & can_use_powers)
rules.add_rule("spaces.manage_members", facilitates)
# Ending someone's membership is sensitive: the facilitator confirmed who they are lately.
rules.add_rule("spaces.end_membership", facilitates & is_recently_authenticated)
rules.add_rule("spaces.manage_leave", is_signed_in & (is_the_board_member | facilitates))
rules.add_rule("spaces.change_rulebook", facilitates & is_recently_authenticated)
rules.add_rule("spaces.view_private_member_details", facilitates)
rules.add_rule("spaces.request_to_join", is_signed_in)
