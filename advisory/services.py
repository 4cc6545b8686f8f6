"""Advisory review rounds: opening, reviews and recusals, closing by the arithmetic, the
public thread and the authors' response. Each service runs inside the caller's
transaction or its own, locks the proposal and then the round (always in that order, as
``proposal_submit`` does, so two services never wait on each other), and appends its
history event in that transaction; reviews are sealed, so theirs come at the close.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.authority import Actor
from accounts.models import User
from advisory.arithmetic import Decision, Tally, decide
from advisory.models import Answer, Message, Response, Review, Round, Seat
from advisory.outcomes import RecusalDeclared, ResponsePublished, ReviewGiven, RoundState
from advisory.registry import vote_scheduler
from core.clock import db_now
from core.errors import Conflict, Invalid, NotPermitted
from core.links import absolute_url
from core.moments import format_moment
from core.text import NOTE_MAX_LENGTH, has_control_characters
from history.models import ActorRole
from history.services import append
from notifications.services import notify_many
from organisations.models import OrganisationEditor
from proposals.models import Proposal, ProposalVersion
from proposals.rules import is_author
from proposals.selectors import proposal_authors
from spaces.models import LeaveOfAbsence, Membership
from spaces.selectors import board_for_quorum
from spaces.services import rulebook_current

logger = logging.getLogger(__name__)

DEADLINE_REMINDER_BEFORE = datetime.timedelta(hours=48)
OVERDUE_REMINDER_EVERY = datetime.timedelta(days=7)


def _proposal_path(proposal: Proposal) -> str:
    """The proposal page's absolute address, for e-mails (core.links)."""
    return absolute_url(
        reverse("proposals:detail", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk})
    )


def _lock(round: Round) -> Round:
    """Lock the round's proposal, then the round, and return the round fresh."""
    Proposal.objects.select_for_update().filter(pk=round.proposal_id).first()
    return (
        # Only the round's row, not the space, rulebook and version it joins.
        Round.objects.select_for_update(of=("self",))
        .select_related("proposal__space", "rulebook", "version")
        .get(pk=round.pk)
    )


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
                "path": _proposal_path(proposal),
            }
        ),
    )
    _tell_if_unreachable(created, _decision(created, now=now))
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
    now = db_now()
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


class ReviewInvalid(Invalid):
    """A review that cannot be saved."""


MAX_CONDITIONS = 20


def seat_for_answer(actor: Actor, locked: Round, *, to_review: bool = False) -> Seat:
    """The actor's seat, if they may answer (review or step aside) in the round now, or
    the refusal: the round is open, not yet due to close at its deadline, for the current
    version; the person holds a seat, has not stepped aside, is still on the space's board
    and is not on leave. Only reads, so pages also use it to decide what to offer."""
    if actor.user is None:
        raise NotPermitted(_("Sign in to review."))
    user = actor.user
    if locked.closed_at is not None:
        raise Conflict(_("This round is closed; its reviews can no longer change."))
    if locked.proposal.current_version_id != locked.version_id:
        raise Conflict(_("This round is for an earlier version; review the current one."))
    if _decision(locked, now=db_now()).closes:
        # Quorum was met by the deadline: the round is closing, whatever the sweep's pace.
        raise Conflict(_("The deadline has passed with a quorum; this round is closing."))
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
    membership = (
        Membership.objects.board().filter(space_id=locked.proposal.space_id, user=user).first()
    )
    if membership is None:
        raise NotPermitted(_("You are no longer on this space's advisory board."))
    if LeaveOfAbsence.objects.filter(membership=membership, ended_at__isnull=True).exists():
        raise Conflict(_("You are on leave; end your leave of absence to review."))
    if to_review and (
        is_author(actor, locked.proposal)
        or locked.proposal.cosigners.filter(user=actor.user).exists()
    ):
        # Became an author (an editor of the organisation) after the round opened, when
        # authors were recused automatically: no one reviews their own proposal.
        raise Conflict(
            _(
                "You are now one of the proposal's authors, so you do not review it. You can "
                "step aside from this round."
            )
        )
    return seat


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
    locked = _lock(round)
    seat_for_answer(actor, locked, to_review=True)
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
    return ReviewGiven(review=review, created=created, round=_close_if_due(locked, by_answer=True))


@transaction.atomic
def recusal_declare(*, actor: Actor, round: Round, reason: str = "") -> RecusalDeclared:
    """Step aside from a round: public (an event says a member recused), with an optional
    reason that only the space's facilitators see. A recusal is final for the round and
    comes instead of a review, so a member who has reviewed changes the review (to abstain,
    say) rather than recusing. Closes the round if it completes the board; if too few
    seats remain for the quorum ever to be met, tells the facilitators (once). Returns the
    seat and the round's state after."""
    locked = _lock(round)
    seat = seat_for_answer(actor, locked)
    if Review.objects.filter(round=locked, user=seat.user_id).exists():
        raise Conflict(
            _(
                "You have already reviewed in this round. Change your review (to abstain, "
                "for example) instead of stepping aside."
            )
        )
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
    state = _close_if_due(locked, by_answer=True)
    _tell_if_unreachable(locked, state.decision)
    return RecusalDeclared(seat=seat, round=state)


def board_reviews(round: Round) -> QuerySet[Review]:
    """The round's reviews that count: those of members of its frozen board who did not
    step aside. Only these make the quorum and the consent, are published at the close and
    are answered by the response; a row written past the services for anyone else counts
    for nothing."""
    return Review.objects.filter(round=round).filter(
        Exists(Seat.objects.filter(round=round, user=OuterRef("user"), recused_at__isnull=True))
    )


VERDICT_ORDER = [verdict.value for verdict in Review.Verdict]


def published_reviews(round: Round) -> list[Review]:
    """The round's counted reviews in their published order, each with its ``number``:
    by verdict, then by a hash of the text. Never the order given: everyone saw the count
    of answers grow, and a thread post or a habit could tie a time to a person, and so an
    anonymous review to its author."""

    def place(review: Review) -> tuple[int, str, int]:
        text = "\x00".join([review.rationale, *map(str, review.conditions or [])])
        return (VERDICT_ORDER.index(review.verdict), sha256(text.encode()).hexdigest(), review.pk)

    reviews = sorted(board_reviews(round).select_related("user"), key=place)
    for number, review in enumerate(reviews, start=1):
        review.number = number
    return reviews


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


def tally_of(round: Round) -> Tally:
    counts = Counter(board_reviews(round).values_list("verdict", flat=True))
    return Tally(
        board_size=round.board_size,
        endorse=counts[Review.Verdict.ENDORSE],
        endorse_with_conditions=counts[Review.Verdict.ENDORSE_WITH_CONDITIONS],
        request_changes=counts[Review.Verdict.REQUEST_CHANGES],
        oppose=counts[Review.Verdict.OPPOSE],
        abstain=counts[Review.Verdict.ABSTAIN],
        recused=Seat.objects.filter(round=round, recused_at__isnull=False).count(),
    )


def _decision(
    round: Round,
    *,
    now: datetime.datetime,
    tally: Tally | None = None,
    overdue_before: bool = False,
) -> Decision:
    # The rulebook frozen onto the round at opening decides, never the current one.
    rulebook = round.rulebook
    return decide(
        tally if tally is not None else tally_of(round),
        quorum=rulebook.advisory_quorum,
        minimum_reviews=rulebook.minimum_reviews,
        consent=rulebook.consent_threshold,
        now=now,
        deadline=round.deadline_at,
        overdue_before=overdue_before,
    )


def decision_of(round: Round, *, now: datetime.datetime) -> Decision:
    """What the arithmetic says of ``round`` at ``now`` (pages and the API read this)."""
    return _decision(round, now=now)


def _close_if_due(locked: Round, *, by_answer: bool = False) -> RoundState:
    """Close ``locked`` (held under its proposal's and its own row lock) if the arithmetic
    says so at this moment on the database clock. One transaction (the caller's) holds
    the outcome, the proposal's move, every review's event, the close event and the
    authors' notification. ``by_answer``: an answer was just given or a member stepped
    aside; past the deadline it can only have been given while the round was overdue, so
    a close then comes from the quorum reached late. Returns the round's state after."""
    now = db_now()
    tally = tally_of(locked)
    if locked.closed_at is not None:
        return RoundState.of(locked, tally, Decision(closes=False), closed_now=False)
    # One reading of the answers decides and is recorded.
    decision = _decision(
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
            % {"path": _proposal_path(locked.proposal)}
        ),
    )
    return RoundState.of(locked, tally, decision, closed_now=True)


def _tell_if_unreachable(locked: Round, decision: Decision) -> bool:
    """Tell the space's facilitators, once per round, that too few seats remain on an open
    round's board for it ever to reach its quorum, so the board needs members. The
    guarded update marks it sent, so two callers never send it twice."""
    if locked.closed_at is not None or not decision.unreachable:
        return False
    if not Round.objects.filter(pk=locked.pk, unreachable_notice_sent_at__isnull=True).update(
        unreachable_notice_sent_at=db_now()
    ):
        return False
    rulebook = locked.rulebook
    needed = tally_of(locked).quorum_needed(rulebook.advisory_quorum, rulebook.minimum_reviews)
    path = _proposal_path(locked.proposal)
    notify_many(
        recipients=_facilitators(locked.proposal.space_id),
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


@transaction.atomic
def round_close_if_due(*, round: Round) -> bool:
    """Close one round if its deadline or its answers say so (the sweep calls this)."""
    return _close_if_due(_lock(round)).closed_now


def _facilitators(space_id: int) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.facilitators()
        .filter(space_id=space_id)
        .select_related("user")
    ]


def _seated_without_answer(locked: Round) -> list[User]:
    return [
        seat.user
        for seat in Seat.objects.filter(round=locked, recused_at__isnull=True)
        .exclude(Exists(Review.objects.filter(round=locked, user=OuterRef("user"))))
        .select_related("user")
    ]


@transaction.atomic
def round_remind_if_due(*, round: Round) -> str:
    """Send a round's reminder if one is due: 48 hours before the deadline, to the seated
    members who have not answered; once overdue (past the deadline without quorum), to
    the whole board of the round and the space's facilitators, and again every week while
    it stays overdue; a round that can never reach its quorum instead tells the
    facilitators once that the board needs members. Returns the reminder sent
    ("deadline", "overdue", "unreachable") or "". Each is
    marked sent by a guarded update, so two sweeps never send the same one twice."""
    locked = _lock(round)
    if locked.closed_at is not None:
        return ""
    now = db_now()
    path = _proposal_path(locked.proposal)
    decision = _decision(locked, now=now)
    if decision.unreachable:
        # No answer can bring a quorum, so no "each answer counts": the facilitators are
        # told once that the board needs members (also for a round opened before the
        # minimum number of reviews was a rule).
        return "unreachable" if _tell_if_unreachable(locked, decision) else ""
    if now >= locked.deadline_at:
        if not decision.overdue:
            # Past the deadline with a quorum: closing, not overdue.
            return ""
        last = locked.overdue_reminder_sent_at
        if last is not None and now < last + OVERDUE_REMINDER_EVERY:
            return ""
        if not Round.objects.filter(pk=locked.pk, overdue_reminder_sent_at=last).update(
            overdue_reminder_sent_at=now
        ):
            return ""
        seated = [
            seat.user
            for seat in Seat.objects.filter(round=locked, recused_at__isnull=True).select_related(
                "user"
            )
        ]
        notify_many(
            recipients=seated + _facilitators(locked.proposal.space_id),
            kind="advisory.round_overdue",
            body=lambda: (
                _(
                    "An advisory review is past its deadline without a quorum, so it stays open "
                    "and the proposal cannot move on. Each answer counts: %(path)s"
                )
                % {"path": path}
            ),
        )
        return "overdue"
    if now < locked.deadline_at - DEADLINE_REMINDER_BEFORE or locked.deadline_reminder_sent_at:
        return ""
    if not Round.objects.filter(pk=locked.pk, deadline_reminder_sent_at__isnull=True).update(
        deadline_reminder_sent_at=now
    ):
        return ""
    notify_many(
        recipients=_seated_without_answer(locked),
        kind="advisory.deadline_near",
        body=lambda: (
            _(
                "A review you were asked for closes in less than two days, at %(deadline)s. "
                "You can review, abstain or step aside here: %(path)s"
            )
            % {"deadline": format_moment(locked.deadline_at), "path": path}
        ),
    )
    return "deadline"


@dataclass
class SweepReport:
    closed: int = 0
    reminded: int = 0
    failed: int = 0


def rounds_sweep() -> SweepReport:
    """The minute sweep: close every open round that is due, then send due reminders.
    Each round is handled in its own transaction, so one failure stops no other."""
    report = SweepReport()
    now = db_now()
    # Only rounds within a reminder's reach of their deadline, or past it, have work due.
    due = Round.objects.filter(
        closed_at__isnull=True, deadline_at__lte=now + DEADLINE_REMINDER_BEFORE
    )
    for open_round in due.order_by("deadline_at"):
        try:
            if open_round.deadline_at <= now and round_close_if_due(round=open_round):
                report.closed += 1
                continue
            if round_remind_if_due(round=open_round):
                report.reminded += 1
        except Exception:
            # Its transaction rolled back; the next sweep tries again.
            logger.exception("The sweep could not handle advisory round %s.", open_round.pk)
            report.failed += 1
    return report


def _clean_review(*, verdict: str, rationale: str, conditions: list[str] | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if verdict not in Review.Verdict.values:
        errors["verdict"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Review.Verdict.values)}
        ]
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


MAX_MESSAGE = 5_000


def may_post_in_thread(actor: Actor, round: Round) -> bool:
    """The thread is between the board and the authors: current board members of the
    space and the proposal's current authors and co-signers may post."""
    if actor.user is None:
        return False
    proposal = round.proposal
    return (
        is_author(actor, proposal)
        or proposal.cosigners.filter(user=actor.user).exists()
        or Membership.objects.board().filter(space_id=proposal.space_id, user=actor.user).exists()
    )


@transaction.atomic
def message_post(
    *, actor: Actor, round: Round, body: str, shown_as_advisory_member: bool = False
) -> Message:
    """Post in the round's public thread. Open from the round's opening until the next
    round or the proposal's end (withdrawn, or a final vote); a board member may post as
    "an advisory member". The post is public at once and appended to the history."""
    if actor.user is None:
        raise NotPermitted(_("Sign in to take part in the discussion."))
    locked = _lock(round)
    proposal = locked.proposal
    if not may_post_in_thread(actor, locked):
        raise NotPermitted(
            _("Only the advisory board and the proposal's authors post in this thread.")
        )
    if proposal.state in Proposal.FINAL_STATES:
        raise Conflict(
            _("This proposal is %(state)s; its discussion is closed.")
            % {"state": proposal.get_shown_state_display()}
        )
    if proposal.current_version_id != locked.version_id:
        raise Conflict(_("A newer version has its own round; discuss it there."))
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        raise ReviewInvalid({"body": [_("Write a message.")]})
    if len(text) > MAX_MESSAGE or has_control_characters(text):
        raise ReviewInvalid(
            {"body": [_("Keep a message to 5,000 characters of plain text or fewer.")]}
        )
    on_board = (
        Membership.objects.board().filter(space_id=proposal.space_id, user=actor.user).exists()
    )
    speaks_as_author = (
        is_author(actor, proposal) or proposal.cosigners.filter(user=actor.user).exists()
    )
    role = Message.Role.AUTHOR if speaks_as_author else Message.Role.BOARD_MEMBER
    if shown_as_advisory_member and (role != Message.Role.BOARD_MEMBER or not on_board):
        raise ReviewInvalid(
            {
                "shown_as_advisory_member": [
                    _('Only a board member who is not an author posts as "an advisory member".')
                ]
            }
        )
    message = Message.objects.create(
        round=locked,
        author=actor.user,
        role=role,
        body=text,
        shown_as_advisory_member=bool(shown_as_advisory_member),
        posted_at=timezone.now(),
    )
    append(
        kind="advisory.message_posted",
        actor=actor.user,
        # The role the person holds, not the side they speak for: an organisation's
        # editor (author or co-signer from another organisation) or a board member (a
        # co-signer from the board, or the author of a community proposal).
        actor_role=(
            ActorRole.EDITOR
            if (proposal.organisation_id and is_author(actor, proposal))
            or (speaks_as_author and not on_board)
            else ActorRole.BOARD_MEMBER
        ),
        actor_shown=not message.shown_as_advisory_member,
        subject=proposal,
        data={"version": locked.version.number, "message": message.pk, "body": text},
    )
    return message


@dataclass(frozen=True)
class ToAnswer:
    """One item the response must answer: a condition (``condition_index`` set) or a
    request for changes (``condition_index`` None)."""

    review: Review
    condition_index: int | None

    @property
    def key(self) -> str:
        suffix = "request" if self.condition_index is None else f"c{self.condition_index}"
        return f"{self.review.number}-{suffix}"

    @property
    def text(self) -> str:
        if self.condition_index is None:
            return self.review.rationale
        return str(self.review.conditions[self.condition_index])


def items_to_answer(round: Round) -> list[ToAnswer]:
    """Every condition of every endorsement with conditions, then every request for
    changes, in the reviews' published order."""
    reviews = published_reviews(round)
    items = [
        ToAnswer(review, index)
        for review in reviews
        if review.verdict == Review.Verdict.ENDORSE_WITH_CONDITIONS
        for index in range(len(review.conditions))
    ]
    items += [
        ToAnswer(review, None)
        for review in reviews
        if review.verdict == Review.Verdict.REQUEST_CHANGES
    ]
    return items


MAX_ANSWER = 5_000


@transaction.atomic
def response_publish(
    *, actor: Actor, round: Round, answers: dict[str, dict[str, str]], statement: str = ""
) -> ResponsePublished:
    """Publish the authors' response to a passed round (authors only, once).

    ``answers`` maps each item's key (``ToAnswer.key``) to {"decision": "accepted" or
    "declined", "text": reasons} for a condition, or {"text": answer} for a request for
    changes. Every item must be answered: a declined condition and a request for changes
    need words; an unknown key is refused. Guarantees: the response and every answer are
    written whole, never change (database triggers), the event is appended and the board
    is told, and the vote is scheduled, all in one transaction. Returns the response
    and the scheduled vote (its ``opens_at`` is when it opens), for the message.
    """
    if actor.user is None:
        raise NotPermitted(_("Sign in to respond to the board."))
    locked = _lock(round)
    proposal = locked.proposal
    if not is_author(actor, proposal):
        raise NotPermitted(_("Only the proposal's authors respond to the board."))
    if proposal.state == Proposal.State.WITHDRAWN:
        raise Conflict(_("This proposal was withdrawn; there is nothing to respond to."))
    if not locked.passed or proposal.current_version_id != locked.version_id:
        raise Conflict(
            _("A response answers a round that passed, for the proposal's current version.")
        )
    if proposal.state != Proposal.State.AWAITING_VOTE:
        raise Conflict(
            _("The response comes before the vote; this proposal is %(state)s.")
            % {"state": proposal.get_shown_state_display()}
        )
    if Response.objects.filter(round=locked).exists():
        raise Conflict(_("The response to this round is already published; it does not change."))
    rows, errors = _clean_answers(items_to_answer(locked), answers)
    text = statement.strip() if isinstance(statement, str) else ""
    if len(text) > MAX_ANSWER or has_control_characters(text):
        errors["statement"] = [_("Keep the statement to 5,000 characters of plain text.")]
    if errors:
        raise ReviewInvalid(errors)
    response = Response.objects.create(
        round=locked, statement=text, published_by=actor.user, published_at=db_now()
    )
    Answer.objects.bulk_create(
        Answer(response=response, review=item.review, condition_index=item.condition_index, **row)
        for item, row in rows
    )
    append(
        kind="advisory.response_published",
        actor=actor.user,
        actor_role=ActorRole.EDITOR if proposal.organisation_id else ActorRole.BOARD_MEMBER,
        subject=proposal,
        data={
            "version": locked.version.number,
            "statement": text,
            "answers": [
                {
                    "condition": item.text if item.condition_index is not None else None,
                    "request_for_changes": item.condition_index is None,
                    "decision": row["decision"],
                    "text": row["text"],
                }
                for item, row in rows
            ],
        },
    )
    notify_many(
        recipients=[
            seat.user
            for seat in Seat.objects.filter(round=locked)
            .exclude(user=actor.user)
            .select_related("user")
        ],
        kind="advisory.response_published",
        body=lambda: (
            _("The authors have published their response to the advisory board's review: %(path)s")
            % {"path": _proposal_path(proposal)}
        ),
    )
    # Only now can a vote be scheduled: it opens the rulebook's delay after the response.
    vote = vote_scheduler.get()(round=locked, response_published_at=response.published_at)
    return ResponsePublished(response=response, vote=vote)


def _clean_answers(
    items: list[ToAnswer], answers: Any
) -> tuple[list[tuple[ToAnswer, dict[str, str]]], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(answers, dict):
        return [], {"answers": [_("Answer each condition and each request for changes.")]}
    known = {item.key for item in items}
    unknown = sorted(str(key) for key in answers if key not in known)
    if unknown:
        errors["answers"] = [
            _("These are not items of this round: %(keys)s.") % {"keys": ", ".join(unknown)}
        ]
    rows: list[tuple[ToAnswer, dict[str, str]]] = []
    for item in items:
        given = answers.get(item.key)
        given = given if isinstance(given, dict) else {}
        raw_text = given.get("text", "")
        text = raw_text.strip() if isinstance(raw_text, str) else ""
        if item.condition_index is None:
            decision = Answer.Decision.ANSWERED
            if not text:
                errors[item.key] = [_("Answer this request for changes.")]
        else:
            decision = given.get("decision", "")
            if decision not in (Answer.Decision.ACCEPTED, Answer.Decision.DECLINED):
                errors[item.key] = [
                    _("Accept this condition as a commitment, or decline it with reasons.")
                ]
            elif decision == Answer.Decision.DECLINED and not text:
                errors[item.key] = [_("Give the reasons for declining this condition.")]
        if item.key not in errors and (len(text) > MAX_ANSWER or has_control_characters(text)):
            errors[item.key] = [_("Keep an answer to 5,000 characters of plain text.")]
        rows.append((item, {"decision": str(decision), "text": text}))
    return rows, errors


def response_published(proposal: Proposal) -> bool:
    """Whether the round that let the proposal's current version through has its
    response: the condition for scheduling a vote."""
    return Response.objects.filter(
        round__proposal=proposal,
        round__version_id=proposal.current_version_id,
        round__outcome=Round.Outcome.PASSED,
    ).exists()
