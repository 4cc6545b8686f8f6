"""Every change to proposals: drafting, co-signing, submitting and withdrawing. Each
service locks the proposal, asks the action's guard (proposals/rules.py) who may act and
whether the state allows it, writes in one transaction and appends its history event last
in that same transaction. A refusal raises a ``core.errors.DomainError`` and changes
nothing.

Drafts are private, so their history events carry no content; submission publishes the
version number and its content hash.

One module per part of a proposal's life: ``drafts`` (starting one, editing the working
copy), ``cosigning`` (co-signing and the requests to), ``submission`` and ``withdrawal``;
what a proposal's content must be is in ``content``, and what they share in ``base``.
Callers import every service from here.
"""

from __future__ import annotations

from proposals.services.content import ProposalInvalid, not_a_proposal_field
from proposals.services.cosigning import (
    no_request_to_take_back,
    proposal_cosign,
    proposal_decline_cosign,
    proposal_invite_cosigner,
    proposal_revoke_cosign_request,
)
from proposals.services.drafts import proposal_create_draft, proposal_update_draft
from proposals.services.submission import proposal_submit, submission_refusal
from proposals.services.withdrawal import proposal_withdraw

__all__ = [
    "ProposalInvalid",
    "no_request_to_take_back",
    "not_a_proposal_field",
    "proposal_cosign",
    "proposal_create_draft",
    "proposal_decline_cosign",
    "proposal_invite_cosigner",
    "proposal_revoke_cosign_request",
    "proposal_submit",
    "proposal_update_draft",
    "proposal_withdraw",
    "submission_refusal",
]
