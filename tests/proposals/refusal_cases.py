"""The proposals refusal table: see tests/refusals.py.

Olu's organisation's draft (``draft``) is the proposal every row acts on; Marcus, a board
member, co-signs it where a row needs someone who can see a draft without authoring it.
"""

from __future__ import annotations

import pytest

from proposals import services
from proposals.models import Proposal
from tests.proposals.conftest import Cast, actor
from tests.refusals import Attempt, RefusalCase, Request


def _page(proposal: Proposal, action: str) -> str:
    return f"/spaces/city/proposals/{proposal.pk}/{action}"


def _api(proposal: Proposal, action: str = "") -> str:
    return f"/api/v1/spaces/city/proposals/{proposal.pk}/{action}"


def _cosigned(request: pytest.FixtureRequest) -> tuple[Cast, Proposal]:
    """The draft, co-signed by Marcus."""
    cast: Cast = request.getfixturevalue("cast")
    draft: Proposal = request.getfixturevalue("draft")
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    return cast, draft


def _a_cosigner_edits(request: pytest.FixtureRequest) -> Attempt:
    cast, draft = _cosigned(request)
    change = {"title": "Naloxone on every bus"}
    return Attempt(
        user=cast.marcus,
        service=lambda: services.proposal_update_draft(
            actor=actor(cast.marcus), proposal=draft, **change
        ),
        page=Request("post", _page(draft, "edit/"), change),
        api=Request("patch", _api(draft), change),
    )


def _a_cosigner_submits(request: pytest.FixtureRequest) -> Attempt:
    cast, draft = _cosigned(request)
    return Attempt(
        user=cast.marcus,
        service=lambda: services.proposal_submit(actor=actor(cast.marcus), proposal=draft),
        page=Request("post", _page(draft, "submit/")),
        api=Request("post", _api(draft, "submit/")),
    )


def _a_voter_withdraws(request: pytest.FixtureRequest) -> Attempt:
    cast: Cast = request.getfixturevalue("cast")
    draft: Proposal = request.getfixturevalue("draft")
    # Submitted, so that Dee, who only votes, can read it and try.
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    reason = {"reason": "Nobody asked for this."}
    return Attempt(
        user=cast.dee,
        service=lambda: services.proposal_withdraw(actor=actor(cast.dee), proposal=draft, **reason),
        page=Request("post", _page(draft, "withdraw/"), reason),
        api=Request("post", _api(draft, "withdraw/"), reason),
    )


def _a_cosigner_asks_someone_else(request: pytest.FixtureRequest) -> Attempt:
    cast, draft = _cosigned(request)
    person = {"person": str(cast.ngozi.public_id)}
    return Attempt(
        user=cast.marcus,
        service=lambda: services.proposal_invite_cosigner(
            actor=actor(cast.marcus), proposal=draft, user=cast.ngozi
        ),
        page=Request("post", _page(draft, "cosign-requests/"), person),
        api=Request("post", _api(draft, "cosign-requests/"), person),
    )


CASES: list[RefusalCase] = [
    RefusalCase("proposals.edit", "a co-signer edits the working copy", _a_cosigner_edits),
    RefusalCase("proposals.submit", "a co-signer submits the draft", _a_cosigner_submits),
    RefusalCase("proposals.withdraw", "a voter withdraws a submitted proposal", _a_voter_withdraws),
    RefusalCase(
        "proposals.invite_cosigner",
        "a co-signer asks someone else to co-sign",
        _a_cosigner_asks_someone_else,
    ),
]
