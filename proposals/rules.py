"""Who may do what with proposals. Predicates take an ``Actor`` (accounts.authority) and
a proposal (or, for drafting, a ``DraftTarget``); services, pages and the API all test
these same rule names.

Authors are the person who created the proposal and, for an organisation's proposal, its
current editors. Co-signers support a proposal; they do not edit it. Drafting needs no
powers, so a personal API token may draft.

The guards at the end (``core.guards``) say, for one action each, why someone may not do
it now: the rule, then the proposal's state. The services raise what they return under
their lock; the pages and the API show the same refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.utils.translation import gettext as _

from accounts.authority import Actor
from core.errors import Conflict, DomainError, NotPermitted
from core.guards import guard
from core.rules import is_signed_in, sign_in_first
from organisations.rules import is_approved_organisation, is_organisation_editor
from proposals.models import Proposal
from proposals.visibility import visible_to


@dataclass(frozen=True)
class DraftTarget:
    """Where a new draft would go: a space and, optionally, the organisation drafting it."""

    space: Any
    organisation: Any = None


def _is_board_member(actor: Actor, space: Any) -> bool:
    if actor.user is None or space is None:
        return False
    return space.memberships.board().filter(user=actor.user).exists()


@rules.predicate
def may_draft_for(actor: Actor, target: DraftTarget) -> bool:
    """Editors of an approved organisation for it; board members of the space for the
    community (no organisation)."""
    if target.organisation is None:
        return _is_board_member(actor, target.space)
    return is_approved_organisation(actor, target.organisation) and is_organisation_editor(
        actor, target.organisation
    )


@rules.predicate
def is_author(actor: Actor, proposal: Any) -> bool:
    """An organisation's proposal is authored by its current editors (someone who left
    the organisation no longer speaks for it); a community proposal by its creator."""
    if actor.user is None or proposal is None:
        return False
    if proposal.organisation_id is not None:
        return is_organisation_editor(actor, proposal.organisation)
    return bool(proposal.created_by_id == actor.user.pk)


@rules.predicate
def is_cosigner(actor: Actor, proposal: Any) -> bool:
    if actor.user is None or proposal is None:
        return False
    return proposal.cosigners.filter(user=actor.user).exists()


@rules.predicate
def is_asked_to_cosign(actor: Actor, proposal: Any) -> bool:
    """Asked by an author to co-sign while co-signing is open, not declined, not yet
    co-signing, and still someone who may co-sign. A request lapses when the proposal
    is submitted or the person leaves the role that made them eligible."""
    if actor.user is None or proposal is None:
        return False
    if proposal.state not in proposal.COSIGNABLE_STATES:
        return False
    if not proposal.cosign_invitations.filter(user=actor.user, declined_at__isnull=True).exists():
        return False
    return not is_cosigner(actor, proposal) and may_cosign(actor, proposal)


@rules.predicate
def was_never_submitted(actor: Actor, proposal: Any) -> bool:
    return proposal is not None and proposal.first_submitted_at is None


@rules.predicate
def may_cosign(actor: Actor, proposal: Any) -> bool:
    """Board members of the proposal's space, and editors of organisations other than the
    proposal's own."""
    if actor.user is None or proposal is None:
        return False
    if _is_board_member(actor, proposal.space):
        return True
    # Only approved organisations: registering one takes no one's consent.
    editing = actor.user.editor_rows.filter(left_at__isnull=True, organisation__status="approved")
    if proposal.organisation_id is not None:
        editing = editing.exclude(organisation_id=proposal.organisation_id)
    return editing.exists()


@rules.predicate
def can_see_draft(actor: Actor, proposal: Any) -> bool:
    """The same expression that filters every list of proposals (proposals.visibility)."""
    if proposal is None or actor.user is None:
        return False
    return Proposal.objects.filter(visible_to(actor), pk=proposal.pk).exists()


@rules.predicate
def was_submitted(actor: Actor, proposal: Any) -> bool:
    return proposal is not None and proposal.first_submitted_at is not None


rules.add_rule("proposals.create_draft", is_signed_in & may_draft_for)
rules.add_rule("proposals.edit", is_signed_in & is_author)
rules.add_rule("proposals.submit", is_signed_in & is_author)
rules.add_rule("proposals.withdraw", is_signed_in & is_author)
rules.add_rule("proposals.cosign", is_signed_in & ~is_author & may_cosign)
rules.add_rule("proposals.view", was_submitted | can_see_draft)
# The working copy: its authors; before the first submission also the co-signers and the
# people asked to co-sign. Once public, text being revised stays with the authors.
rules.add_rule(
    "proposals.view_working_copy",
    is_author | (was_never_submitted & (is_cosigner | is_asked_to_cosign)),
)


# --- The guards -------------------------------------------------------------------------------


def refused(
    rule: str, actor: Actor, proposal: Proposal, message: str, *, passes: bool | None = None
) -> NotPermitted | None:
    """The refusal ``core.rules.require`` raises when ``actor`` fails ``rule``, returned
    instead of raised: "Sign in first." when nobody is signed in, else ``message``.
    ``passes`` is the rule's answer when the caller has it already (a page that asks
    several guards about the same author)."""
    if passes is None:
        passes = rules.test_rule(rule, actor, proposal)
    if passes:
        return None
    if actor.is_anonymous:
        return NotPermitted(sign_in_first())
    return NotPermitted(message)


@guard("proposals.edit")
def edit_refusal(
    *, actor: Actor, proposal: Proposal, authored: bool | None = None
) -> DomainError | None:
    """Why ``actor`` may not change ``proposal``'s working copy now, or None: authors only,
    before a round has passed it. ``authored``: whether ``actor`` is one of its authors,
    when the caller knows."""
    refusal = refused(
        "proposals.edit",
        actor,
        proposal,
        _("Only the proposal's authors can edit it; co-signers support it."),
        passes=authored,
    )
    if refusal is not None:
        return refusal
    if proposal.state not in Proposal.EDITABLE_STATES:
        return Conflict(
            _(
                "A proposal can be edited only before a round has passed it: in draft, "
                "in advisory review or in revision. This one is %(state)s."
            )
            % {"state": proposal.get_shown_state_display()}
        )
    return None


@guard("proposals.withdraw")
def withdraw_refusal(
    *, actor: Actor, proposal: Proposal, authored: bool | None = None
) -> DomainError | None:
    """Why ``actor`` may not withdraw ``proposal`` now, or None: authors only, before a
    final state."""
    refusal = refused(
        "proposals.withdraw",
        actor,
        proposal,
        _("Only the proposal's authors can withdraw it."),
        passes=authored,
    )
    if refusal is not None:
        return refusal
    if proposal.is_final:
        return Conflict(
            _("This proposal is already %(state)s; it cannot be withdrawn.")
            % {"state": proposal.get_shown_state_display()}
        )
    return None


@guard("proposals.invite_cosigner")
def invite_cosigner_refusal(
    *, actor: Actor, proposal: Proposal, authored: bool | None = None
) -> DomainError | None:
    """Why ``actor`` may not ask anyone to co-sign ``proposal`` now, or None: authors only,
    while co-signing is open. Who is asked is checked by the service. The requests and
    the candidates are for the same authors (``NotPermitted`` alone closes them)."""
    if authored is None:
        authored = rules.test_rule("proposals.edit", actor, proposal)
    if not authored:
        # Not "Sign in first.": the API's lists of requests and candidates, which anyone
        # may ask for, have always refused everyone but the authors in these words.
        return NotPermitted(_("Only the proposal's authors can ask people to co-sign it."))
    if proposal.state not in Proposal.COSIGNABLE_STATES:
        return Conflict(
            _("People can be asked to co-sign only before submission or during revision.")
        )
    return None
