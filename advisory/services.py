"""Opening advisory review rounds. Each service runs inside the caller's transaction or
its own, locks what it changes and appends its history event in that transaction.

Reviews, recusals, closing and the response come with the rest of the round's services.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from advisory.models import Round, Seat
from core.clock import db_now
from history.models import ActorRole
from history.services import append
from organisations.models import OrganisationEditor
from proposals.models import Proposal, ProposalVersion
from spaces.selectors import board_for_quorum
from spaces.services import rulebook_current


@transaction.atomic
def round_open(*, proposal: Proposal, version: ProposalVersion) -> Round:
    """Open the round for a newly submitted ``version`` (called by ``proposal_submit``,
    which holds the proposal's row lock).

    Guarantees: a round still open for an earlier version is closed as superseded (its
    close event first); the new round freezes the space's current rulebook and its board
    at this moment on the database clock, minus members on leave, each as a seat; the
    authors and co-signers on that board are recused automatically; the deadline is the
    rulebook's review window from opening; one event records the opening.
    """
    now = db_now()
    for earlier in Round.objects.select_for_update().filter(
        proposal=proposal, closed_at__isnull=True
    ):
        _close_without_verdict(earlier, now=now, outcome=Round.Outcome.SUPERSEDED)
    rulebook = rulebook_current(space=proposal.space)
    board = list(board_for_quorum(space=proposal.space, moment=now))
    created = Round.objects.create(
        proposal=proposal,
        version=version,
        rulebook=rulebook,
        board_size=len(board),
        opened_at=now,
        deadline_at=now + datetime.timedelta(days=rulebook.review_window_days),
    )
    authors = _authors_and_cosigners(proposal)
    Seat.objects.bulk_create(
        Seat(
            round=created,
            user=person,
            recused_at=now if person.pk in authors else None,
            recused_automatically=person.pk in authors,
        )
        for person in board
    )
    append(
        kind="advisory.round_opened",
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=proposal,
        data={
            "version": version.number,
            "content_hash": version.content_hash,
            "rulebook": rulebook.version,
            "board_size": len(board),
            "recused_automatically": sum(1 for person in board if person.pk in authors),
            "deadline_at": created.deadline_at.isoformat(),
        },
    )
    return created


def _authors_and_cosigners(proposal: Proposal) -> set[int]:
    people = {proposal.created_by_id}
    if proposal.organisation_id is not None:
        people |= set(
            OrganisationEditor.objects.filter(
                organisation_id=proposal.organisation_id, left_at__isnull=True
            ).values_list("user_id", flat=True)
        )
    people |= set(proposal.cosigners.values_list("user_id", flat=True))
    return people


@transaction.atomic
def round_end_for_withdrawal(*, proposal: Proposal) -> None:
    """End the round still open when its proposal is withdrawn (called by
    ``proposal_withdraw``, which holds the proposal's row lock); no verdict is given."""
    now = db_now()
    for open_round in Round.objects.select_for_update().filter(
        proposal=proposal, closed_at__isnull=True
    ):
        _close_without_verdict(open_round, now=now, outcome=Round.Outcome.WITHDRAWN)


def _close_without_verdict(open_round: Round, *, now: datetime.datetime, outcome: str) -> None:
    # Guarded: only a round still open is closed, and only once.
    closed = Round.objects.filter(pk=open_round.pk, closed_at__isnull=True).update(
        closed_at=now, outcome=outcome
    )
    if closed != 1:
        return
    append(
        kind="advisory.round_closed",
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=open_round.proposal,
        data={"version": open_round.version.number, "outcome": outcome},
    )
