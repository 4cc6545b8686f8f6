"""Who may do what with organisations. Predicates take an ``Actor`` (accounts.authority)
and the object acted on; services, pages and the API all test these same rule names."""

from __future__ import annotations

from typing import Any

import rules

from accounts.authority import Actor
from core.rules import can_use_powers, is_signed_in, is_site_staff


@rules.predicate
def is_organisation_editor(actor: Actor, organisation: Any) -> bool:
    if actor.user is None or organisation is None:
        return False
    return organisation.editors.filter(user=actor.user, left_at__isnull=True).exists()


@rules.predicate
def is_approved_organisation(actor: Actor, organisation: Any) -> bool:
    return organisation is not None and organisation.status == "approved"


rules.add_rule("organisations.register", is_signed_in)
rules.add_rule("organisations.decide", is_site_staff & can_use_powers)
rules.add_rule("organisations.manage_editors", is_signed_in & is_organisation_editor)
# Editors join by consent only: an editor of an approved organisation hands over a
# one-time code, and the invitee redeems it while signed in. Nobody is added by name.
rules.add_rule(
    "organisations.invite_editors",
    is_signed_in & is_organisation_editor & is_approved_organisation,
)
rules.add_rule("organisations.redeem_editor_invitation", is_signed_in)
