"""Answers in a round: a review given or changed, or a member stepping aside."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.authority import Actor
from advisory.arithmetic import Decision
from advisory.models import Review, Round, Seat
from advisory.outcomes import RecusalDeclared, ReviewGiven
from advisory.rules import recusal_refusal, review_refusal
from advisory.selectors import decision_of
from advisory.services import base
from advisory.services.base import MAX_CONDITIONS, ReviewInvalid, lock_round
from advisory.services.rounds import close_if_due, tell_if_unreachable
from core.guards import refuse_if
from core.text import NOTE_MAX_LENGTH, choose_one_of, has_control_characters
from history.models import ActorRole
from history.services import append


def _decision_now(locked: Round) -> Decision:
    """What the arithmetic says of the locked round now, on the database clock: a round
    due to close at its deadline takes no more answers."""
    return decision_of(locked, now=base.db_now())


@transaction.atomic
def review_give(
    *,
    actor: Actor,
    round: Round,
    verdict: str,
    rationale: str,
    conditions: list[str] | None = None,
    shown_as_advisory_member: bool = False,
) -> ReviewGiven:
    """Give or change one's review in an open round.

    Only a member of the round's frozen board who has not stepped aside, and who is
    still on the space's board and not on leave now, may review; one review per member,
    changeable until the round closes. Nothing is appended to the history yet: reviews
    are sealed until the round closes, and their events are appended then. If this
    answer completes the board, or brings a quorum to an overdue round, the round closes
    in the same transaction. Returns the review, whether it is new, and the round's
    state after it (closed and why, or still open and how many have answered).
    """
    locked = lock_round(round)
    refuse_if(review_refusal(actor=actor, round=locked, decision=_decision_now(locked)))
    assert actor.user is not None
    clean = _clean_review(verdict=verdict, rationale=rationale, conditions=conditions)
    now = timezone.now()
    review, created = Review.objects.get_or_create(
        round=locked,
        user=actor.user,
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
    return ReviewGiven(review=review, created=created, round=close_if_due(locked, by_answer=True))


@transaction.atomic
def recusal_declare(*, actor: Actor, round: Round, reason: str = "") -> RecusalDeclared:
    """Step aside from a round: public (an event says a member recused), with an optional
    reason that only the space's facilitators see. A recusal is final for the round and
    comes instead of a review, so a member who has reviewed changes the review (to abstain,
    say) rather than recusing. Closes the round if it completes the board; if too few
    seats remain for the quorum ever to be met, tells the facilitators (once). Returns the
    seat and the round's state after."""
    locked = lock_round(round)
    refuse_if(recusal_refusal(actor=actor, round=locked, decision=_decision_now(locked)))
    seat = Seat.objects.get(round=locked, user=actor.user)
    text = reason.strip() if isinstance(reason, str) else ""
    if len(text) > NOTE_MAX_LENGTH or has_control_characters(text):
        raise ReviewInvalid(
            {
                "reason": [
                    _("Keep the reason to %(limit)s characters of plain text or fewer.")
                    % {"limit": number_format(NOTE_MAX_LENGTH, force_grouping=True)}
                ]
            }
        )
    seat.recused_at = timezone.now()
    seat.recusal_reason = text
    seat.save(update_fields=["recused_at", "recusal_reason"])
    append(
        kind="advisory.member_recused",
        actor=actor.user,
        actor_role=ActorRole.BOARD_MEMBER,
        subject=locked.proposal,
        data={"version": locked.version.number},
    )
    state = close_if_due(locked, by_answer=True)
    tell_if_unreachable(locked, state.decision)
    return RecusalDeclared(seat=seat, round=state)


def _clean_review(*, verdict: str, rationale: str, conditions: list[str] | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if verdict not in Review.Verdict.values:
        errors["verdict"] = [choose_one_of(Review.Verdict.values)]
    text = rationale.strip() if isinstance(rationale, str) else ""
    if not text:
        errors["rationale"] = [_("Give the reasons for your review.")]
    elif len(text) > 10_000 or has_control_characters(text):
        errors["rationale"] = [_("Keep the rationale to 10,000 characters of plain text or fewer.")]
    items = [c.strip() for c in conditions or [] if isinstance(c, str) and c.strip()]
    if verdict == Review.Verdict.ENDORSE_WITH_CONDITIONS:
        if not items:
            errors["conditions"] = [_("List each condition of your endorsement.")]
        elif len(items) > MAX_CONDITIONS or any(
            len(c) > NOTE_MAX_LENGTH or has_control_characters(c) for c in items
        ):
            errors["conditions"] = [
                _("List at most %(count)s conditions of %(limit)s characters or fewer.")
                % {
                    "count": MAX_CONDITIONS,
                    "limit": number_format(NOTE_MAX_LENGTH, force_grouping=True),
                }
            ]
    elif items:
        errors["conditions"] = [_("Conditions belong to an endorsement with conditions.")]
    if errors:
        raise ReviewInvalid(errors)
    return {"verdict": verdict, "rationale": text, "conditions": items}
