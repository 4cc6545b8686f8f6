"""Advisory review rounds: opening them and giving reviews. Each service runs inside the
caller's transaction or its own, locks what it changes and appends its history event in
that transaction (reviews are sealed: theirs come at the close).

Recusals, closing by the arithmetic and the response come with the rest of the round.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from advisory.models import Review, Round, Seat
from core.clock import db_now
from core.errors import Conflict, DomainError, NotPermitted
from history.models import ActorRole
from history.services import append
from organisations.models import OrganisationEditor
from proposals.models import Proposal, ProposalVersion
from spaces.models import LeaveOfAbsence, Membership, Role
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


class ReviewInvalid(DomainError):
    """A review that cannot be saved; ``fields`` maps each field to its messages."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(next(iter(fields.values()))[0], code="invalid")
        self.fields = fields


MAX_CONDITIONS = 20


@transaction.atomic
def review_give(
    *,
    actor: Actor,
    round: Round,
    verdict: str,
    rationale: str,
    conditions: list[str] | None = None,
    shown_as_advisory_member: bool = False,
) -> Review:
    """Give or change one's review in an open round.

    Only a member of the round's frozen board who has not stepped aside, and who is
    still on the space's board and not on leave now, may review; one review per member,
    changeable until the round closes. Nothing is appended to the history yet: reviews
    are sealed until the round closes, and their events are appended then.
    """
    if actor.user is None:
        raise NotPermitted(_("Sign in to review."))
    user = actor.user
    locked = Round.objects.select_for_update().select_related("proposal").get(pk=round.pk)
    if locked.closed_at is not None:
        raise Conflict(_("This round is closed; its reviews can no longer change."))
    if locked.proposal.current_version_id != locked.version_id:
        raise Conflict(_("This round is for an earlier version; review the current one."))
    seat = Seat.objects.filter(round=locked, user=user).first()
    if seat is None:
        raise NotPermitted(
            _(
                "Only the members of the advisory board when this round opened, and not on "
                "leave then, review in it."
            )
        )
    if seat.recused_at is not None:
        raise Conflict(_("You stepped aside from this round, so you do not review in it."))
    membership = Membership.objects.filter(
        space_id=locked.proposal.space_id, user=user, role=Role.BOARD, left_at__isnull=True
    ).first()
    if membership is None:
        raise NotPermitted(_("You are no longer on this space's advisory board."))
    if LeaveOfAbsence.objects.filter(membership=membership, ended_at__isnull=True).exists():
        raise Conflict(_("You are on leave; end your leave of absence to review."))
    clean = _clean_review(verdict=verdict, rationale=rationale, conditions=conditions)
    now = timezone.now()
    review, created = Review.objects.get_or_create(
        round=locked,
        user=user,
        defaults={
            **clean,
            "shown_as_advisory_member": bool(shown_as_advisory_member),
            "created_at": now,
            "updated_at": now,
        },
    )
    if not created:
        for name, value in clean.items():
            setattr(review, name, value)
        review.shown_as_advisory_member = bool(shown_as_advisory_member)
        review.updated_at = now
        review.save()
    return review


def _clean_review(*, verdict: str, rationale: str, conditions: list[str] | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if verdict not in Review.Verdict.values:
        errors["verdict"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Review.Verdict.values)}
        ]
    text = rationale.strip() if isinstance(rationale, str) else ""
    if not text:
        errors["rationale"] = [_("Give the reasons for your review.")]
    elif len(text) > 10_000:
        errors["rationale"] = [_("Keep the rationale to 10,000 characters or fewer.")]
    items = [c.strip() for c in conditions or [] if isinstance(c, str) and c.strip()]
    if verdict == Review.Verdict.ENDORSE_WITH_CONDITIONS:
        if not items:
            errors["conditions"] = [_("List each condition of your endorsement.")]
        elif len(items) > MAX_CONDITIONS or any(len(c) > 2_000 for c in items):
            errors["conditions"] = [
                _("List at most %(count)s conditions of 2,000 characters or fewer.")
                % {"count": MAX_CONDITIONS}
            ]
    elif items:
        errors["conditions"] = [_("Conditions belong to an endorsement with conditions.")]
    if errors:
        raise ReviewInvalid(errors)
    return {"verdict": verdict, "rationale": text, "conditions": items}
