"""Starting a draft and changing its working copy."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from core.guards import refuse_if
from core.rules import require
from history.services import append
from organisations.models import Organisation
from proposals.models import Proposal, ProposalDraft
from proposals.rules import DraftTarget, edit_refusal
from proposals.services.base import author_role, is_private, lock
from proposals.services.content import clean_fields
from spaces.models import DecisionSpace


@transaction.atomic
def proposal_create_draft(
    *,
    actor: Actor,
    space: DecisionSpace,
    title: str,
    organisation: Organisation | None = None,
) -> Proposal:
    """Start a private draft in a space, with an empty working copy but for its title.

    For an organisation: its current editors, once it is approved. For the community (no
    organisation): current board members of the space. Drafting needs no powers.
    """
    require(
        "proposals.create_draft",
        actor,
        DraftTarget(space=space, organisation=organisation),
        message=_(
            "Only current editors of an approved organisation, or advisory board members "
            "of this space, can draft a proposal here."
        )
        if organisation is None
        else _("Only current editors of this organisation can draft for it, once it is approved."),
    )
    assert actor.user is not None  # the rule requires a signed-in person
    clean = clean_fields({"title": title})
    proposal = Proposal.objects.create(
        space=space, organisation=organisation, created_by=actor.user
    )
    ProposalDraft.objects.create(proposal=proposal, title=clean["title"])
    # No history event: a new draft is private (see base.is_private).
    return proposal


@transaction.atomic
def proposal_update_draft(*, actor: Actor, proposal: Proposal, **fields: Any) -> ProposalDraft:
    """Change the working copy (authors only, in draft, advisory review or revision).

    Each field given must be valid; what is not given stays as it was. Submitted versions
    are never touched: the change reaches the public only at the next submission.
    """
    locked = lock(proposal)
    refuse_if(edit_refusal(actor=actor, proposal=locked))
    clean = clean_fields(fields)
    draft = ProposalDraft.objects.select_for_update().get(proposal=locked)
    for name, value in clean.items():
        setattr(draft, name, value)
    draft.updated_at = timezone.now()
    draft.save(update_fields=[*clean, "updated_at"])
    if is_private(locked):
        return draft
    append(
        kind="proposal.draft_updated",
        actor=actor.user,
        actor_role=author_role(locked),
        subject=locked,
        data={"fields": sorted(clean)},
    )
    return draft
