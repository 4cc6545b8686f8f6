"""A round's life: opening at a submission, ending at a withdrawal or a new version,
closing when the arithmetic says so (publishing its reviews), and telling the facilitators
when its board can never reach its quorum."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from advisory.arithmetic import Decision
from advisory.models import Round, Seat
from advisory.outcomes import RoundState
from advisory.selectors import decision_of, published_reviews, tally_of
from advisory.services import base
from advisory.services.base import facilitators, proposal_path
from core.moments import format_moment
from history.models import ActorRole
from history.services import append
from notifications.services import notify_many
from organisations.models import OrganisationEditor
from proposals.models import Proposal, ProposalVersion
from proposals.selectors import proposal_authors
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
    now = base.db_now()
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
    notify_many(
        recipients=[person for person in board if person.pk not in authors],
        kind="advisory.round_opened",
        body=lambda: (
            _(
                "A proposal is waiting for your review, until %(deadline)s. Read it and "
                "give your review here: %(path)s"
            )
            % {
                "deadline": format_moment(created.deadline_at),
                "path": proposal_path(proposal),
            }
        ),
    )
    tell_if_unreachable(created, decision_of(created, now=now))
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
def round_end_for_withdrawal(*, proposal: Proposal) -> bool:
    """End the round still open when its proposal is withdrawn (called by
    ``proposal_withdraw``, which holds the proposal's row lock); no verdict is given.
    Whether a round was open and is now closed."""
    now = base.db_now()
    ended = False
    for open_round in Round.objects.select_for_update().filter(
        proposal=proposal, closed_at__isnull=True
    ):
        ended |= _close_without_verdict(open_round, now=now, outcome=Round.Outcome.WITHDRAWN)
    return ended


def _close_without_verdict(open_round: Round, *, now: datetime.datetime, outcome: str) -> bool:
    # Guarded: only a round still open is closed, and only once.
    closed = Round.objects.filter(pk=open_round.pk, closed_at__isnull=True).update(
        closed_at=now, outcome=outcome
    )
    if closed != 1:
        return False
    # No verdict, so its reviews stay sealed: published, they would let authors unseal a
    # round by resubmitting, and show the board each other's reviews before the next one.
    append(
        kind="advisory.round_closed",
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=open_round.proposal,
        data={"version": open_round.version.number, "outcome": outcome},
    )
    return True


def _publish_reviews(locked: Round) -> None:
    """Append one event per counted review, in the published order (at the close)."""
    for review in published_reviews(locked):
        append(
            kind="advisory.review_published",
            actor=review.user,
            actor_role=ActorRole.BOARD_MEMBER,
            actor_shown=not review.shown_as_advisory_member,
            subject=locked.proposal,
            data={
                "version": locked.version.number,
                "number": review.number,
                "verdict": review.verdict,
                "rationale": review.rationale,
                "conditions": review.conditions,
            },
        )


def close_if_due(locked: Round, *, by_answer: bool = False) -> RoundState:
    """Close ``locked`` (held under its proposal's and its own row lock) if the arithmetic
    says so at this moment on the database clock. One transaction (the caller's) holds
    the outcome, the proposal's move, every review's event, the close event and the
    authors' notification. ``by_answer``: an answer was just given or a member stepped
    aside; past the deadline it can only have been given while the round was overdue, so
    a close then comes from the quorum reached late. Returns the round's state after."""
    now = base.db_now()
    tally = tally_of(locked)
    if locked.closed_at is not None:
        return RoundState.of(locked, tally, Decision(closes=False), closed_now=False)
    # One reading of the answers decides and is recorded.
    decision = decision_of(
        locked, now=now, tally=tally, overdue_before=by_answer and now >= locked.deadline_at
    )
    if not decision.closes:
        return RoundState.of(locked, tally, decision, closed_now=False)
    outcome = Round.Outcome.PASSED if decision.passed else Round.Outcome.NOT_PASSED
    # Guarded: only a round still open closes, and only once.
    closed = Round.objects.filter(pk=locked.pk, closed_at__isnull=True).update(
        closed_at=now, outcome=outcome
    )
    if closed != 1:
        return RoundState.of(locked, tally, Decision(closes=False), closed_now=False)
    locked.closed_at, locked.outcome = now, outcome
    # The only place a review moves a proposal on: passed → awaiting a vote (the gate
    # trigger checks the passed round just written), otherwise back to its authors.
    Proposal.objects.filter(
        pk=locked.proposal_id,
        current_version_id=locked.version_id,
        state=Proposal.State.ADVISORY_REVIEW,
    ).update(state=Proposal.State.AWAITING_VOTE if decision.passed else Proposal.State.REVISION)
    _publish_reviews(locked)
    rulebook = locked.rulebook
    append(
        kind="advisory.round_closed",
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=locked.proposal,
        data={
            "version": locked.version.number,
            "outcome": outcome,
            "closed_because": decision.reason,
            "board_size": tally.board_size,
            "endorse": tally.endorse,
            "endorse_with_conditions": tally.endorse_with_conditions,
            "request_changes": tally.request_changes,
            "oppose": tally.oppose,
            "abstain": tally.abstain,
            "recused": tally.recused,
            "quorum": str(rulebook.advisory_quorum),
            "minimum_reviews": rulebook.minimum_reviews,
            "consent_threshold": str(rulebook.consent_threshold),
            "rulebook": rulebook.version,
        },
    )
    notify_many(
        recipients=proposal_authors(locked.proposal),
        kind="advisory.round_closed",
        body=lambda: (
            (
                _(
                    "The advisory board has finished its review and let the proposal through. "
                    "Publish your response to the board before a vote can be scheduled: %(path)s"
                )
                if decision.passed
                else _(
                    "The advisory board has finished its review; the proposal goes back to you "
                    "for revision. Read the reviews here: %(path)s"
                )
            )
            % {"path": proposal_path(locked.proposal)}
        ),
    )
    return RoundState.of(locked, tally, decision, closed_now=True)


def tell_if_unreachable(locked: Round, decision: Decision) -> bool:
    """Tell the space's facilitators, once per round, that too few seats remain on an open
    round's board for it ever to reach its quorum, so the board needs members. The
    guarded update marks it sent, so two callers never send it twice."""
    if locked.closed_at is not None or not decision.unreachable:
        return False
    if not Round.objects.filter(pk=locked.pk, unreachable_notice_sent_at__isnull=True).update(
        unreachable_notice_sent_at=base.db_now()
    ):
        return False
    rulebook = locked.rulebook
    needed = tally_of(locked).quorum_needed(rulebook.advisory_quorum, rulebook.minimum_reviews)
    path = proposal_path(locked.proposal)
    notify_many(
        recipients=facilitators(locked.proposal.space_id),
        kind="advisory.board_needs_members",
        body=lambda: (
            _(
                "An advisory review can never reach its quorum: it needs at least %(needed)d "
                "reviews, and too few members of the board frozen at its opening can still "
                "answer. It will not pass with fewer. The board needs members; a round opened "
                "after they join counts them: %(path)s"
            )
            % {"needed": needed, "path": path}
        ),
    )
    return True
