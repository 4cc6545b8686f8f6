"""What the higher apps (``advisory``, ``voting``) plug into the proposals app.

A proposal's changes start work that belongs to them: a submission opens a review round,
a withdrawal ends the round and the vote, and the proposal page shows both. The
proposals app declares here what it calls, typed, and never imports those apps; each
registers its entries from its ``AppConfig.ready()``. Entries run in ``order`` (the
round before the vote) inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from core.registry import Registry, Slot

if TYPE_CHECKING:
    from accounts.authority import Actor
    from proposals.models import Proposal, ProposalVersion


class OnSubmitted(Protocol):
    """Called by ``proposal_submit`` with the proposal's row locked, once the version is
    frozen and its event written."""

    def __call__(self, *, proposal: Proposal, version: ProposalVersion) -> Any: ...


@dataclass(frozen=True)
class Ended:
    """What a withdrawal ended in one app (``Withdrawal`` gathers them)."""

    # An advisory round was open and is closed, without a verdict.
    round_ended: bool = False
    # A vote was open: it closed now and its count is published, marked withdrawn.
    vote_counted: bool = False
    # A vote was scheduled and had not opened: it never opens.
    vote_cancelled: bool = False


class OnWithdrawn(Protocol):
    """Called by ``proposal_withdraw`` with the proposal's row locked, after its event."""

    def __call__(self, *, proposal: Proposal) -> Ended: ...


class PageSection(Protocol):
    """Context the proposal page adds for one app (its round, its vote)."""

    def __call__(self, actor: Actor, proposal: Proposal) -> dict[str, Any]: ...


class SubmissionMessage(Protocol):
    """The success message after a submission, worded from what it started."""

    def __call__(self, version: ProposalVersion) -> str: ...


on_submitted: Registry[OnSubmitted] = Registry("What a submission starts")
on_withdrawn: Registry[OnWithdrawn] = Registry("What a withdrawal ends")
page_sections: Registry[PageSection] = Registry("The proposal page's sections")
submission_message: Slot[SubmissionMessage] = Slot("The message after a submission")
