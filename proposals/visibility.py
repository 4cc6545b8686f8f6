"""Who may see a proposal, as one query expression: every proposal ever submitted, and
an unsubmitted draft only to its authors, its co-signers and the people asked to co-sign
it (until they decline, or stop being someone who may co-sign). Lists filter by it
(``proposals.selectors.proposals_visible_to``) and the ``proposals.view`` rule tests one
proposal against it, so the two can never disagree."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from accounts.authority import Actor
from accounts.models import User
from organisations.models import OrganisationEditor
from proposals.models import CosignInvitation, Proposal, ProposalCosigner
from spaces.models import Membership


def authored_by(user: User, prefix: str = "") -> Q:
    """Proposals ``user`` authors (proposals.rules.is_author): the creator of a community
    proposal, the current editors of an organisation's. ``prefix`` reaches the proposal
    from another model ("proposal__")."""
    editing = OrganisationEditor.objects.filter(
        organisation_id=OuterRef(f"{prefix}organisation_id"), user=user, left_at__isnull=True
    )
    return Q(**{f"{prefix}created_by": user, f"{prefix}organisation__isnull": True}) | Q(
        Exists(editing)
    )


def asked_to_cosign(user: User) -> Q:
    """Drafts ``user`` was asked to co-sign and may still co-sign (proposals.rules.
    is_asked_to_cosign): not declined, and on the space's board or editing for another
    approved organisation."""
    asked = CosignInvitation.objects.filter(
        proposal_id=OuterRef("pk"), user=user, declined_at__isnull=True
    )
    on_board = Membership.objects.board().filter(space_id=OuterRef("space_id"), user=user)
    approved_editing = OrganisationEditor.objects.filter(
        user=user, left_at__isnull=True, organisation__status="approved"
    )
    still_eligible = (
        Q(Exists(on_board))
        | (Q(organisation__isnull=True) & Q(Exists(approved_editing)))
        | Q(Exists(approved_editing.exclude(organisation_id=OuterRef("organisation_id"))))
    )
    return Q(state=Proposal.State.DRAFT) & Q(Exists(asked)) & still_eligible


def visible_to(actor: Actor) -> Q:
    """The proposals ``actor`` may see."""
    visible = Q(first_submitted_at__isnull=False)
    if actor.user is not None:
        user = actor.user
        cosigning = ProposalCosigner.objects.filter(proposal_id=OuterRef("pk"), user=user)
        # A request shows a draft only while the person may still co-sign it.
        visible |= authored_by(user) | Q(Exists(cosigning)) | asked_to_cosign(user)
    return visible
