"""What the proposals services share: the lock on a proposal, whether it is still a
private draft, and the role its authors act in."""

from __future__ import annotations

from history.models import ActorRole
from proposals.models import Proposal

# A working copy is submitted from the states in which it may be edited.
SUBMITTABLE_STATES = Proposal.EDITABLE_STATES
COSIGNABLE_STATES = Proposal.COSIGNABLE_STATES


def is_private(proposal: Proposal) -> bool:
    """A draft never submitted is private to its authors and co-signers: what happens to
    it leaves no event in the public history, which would reveal that it exists and who
    supports it. Its first submission records the authors' and co-signers' part."""
    return proposal.first_submitted_at is None


def lock(proposal: Proposal) -> Proposal:
    """The proposal's row, locked: changes to one proposal wait for each other."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def author_role(proposal: Proposal) -> ActorRole:
    return ActorRole.BOARD_MEMBER if proposal.organisation_id is None else ActorRole.EDITOR
