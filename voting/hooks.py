"""What the voting app plugs into the apps below it, registered from
``VotingConfig.ready()``: its share of the minute sweep, the vote a published
response schedules, what a withdrawal ends here (the vote) and the vote on the proposal
page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisory import registry as advisory_registry
from core import sweep
from proposals import registry as proposals_registry
from proposals.registry import Ended

if TYPE_CHECKING:
    from proposals.models import Proposal


def votes_sweep_step() -> str:
    from voting.services import votes_sweep

    votes = votes_sweep()
    return f"votes opened: {votes.opened}, reminded: {votes.reminded}, finalised: {votes.finalised}"


def vote_end_on_withdrawal(*, proposal: Proposal) -> Ended:
    from voting.services import vote_end_for_withdrawal

    counted, cancelled = vote_end_for_withdrawal(proposal=proposal)
    return Ended(vote_counted=counted, vote_cancelled=cancelled)


def register() -> None:
    from voting.services import vote_schedule
    from voting.views import vote_section

    proposals_registry.on_withdrawn.register("voting", vote_end_on_withdrawal, order=20)
    proposals_registry.page_sections.register("voting", vote_section, order=20)

    advisory_registry.vote_scheduler.register(vote_schedule)
    sweep.steps.register("voting", votes_sweep_step, order=20)
