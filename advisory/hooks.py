"""What the advisory app plugs into the apps below it, registered from
``AdvisoryConfig.ready()``: its share of the minute sweep, and what a proposal's
submission and withdrawal start and end here (a round), and the round on its page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import sweep
from proposals import registry as proposals_registry
from proposals.registry import Ended

if TYPE_CHECKING:
    from proposals.models import Proposal, ProposalVersion


def rounds_sweep_step() -> str:
    from advisory.services import rounds_sweep

    rounds = rounds_sweep()
    return f"rounds closed: {rounds.closed}, reminders sent: {rounds.reminded}"


def round_end_on_withdrawal(*, proposal: Proposal) -> Ended:
    from advisory.services import round_end_for_withdrawal

    return Ended(round_ended=round_end_for_withdrawal(proposal=proposal))


def submission_message(version: ProposalVersion) -> str:
    """Worded from the round the submission opened, not a guess at what it will be."""
    from advisory.outcomes import submission_message

    return submission_message(version.round)


def register() -> None:
    from advisory.services import round_open
    from advisory.views import round_section

    proposals_registry.on_submitted.register("advisory", round_open, order=10)
    proposals_registry.on_withdrawn.register("advisory", round_end_on_withdrawal, order=10)
    proposals_registry.page_sections.register("advisory", round_section, order=10)
    proposals_registry.submission_message.register(submission_message)
    sweep.steps.register("advisory", rounds_sweep_step, order=10)
