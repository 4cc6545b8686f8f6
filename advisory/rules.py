"""Who may act in an advisory round, and why not: one guard per action (``core.guards``).

Each guard only reads and returns the refusal (its message and status) or None. The
service raises it under its locks; ``advisory.selectors.round_view`` offers the action
only when it returns None and carries the refusal, so a page shows the very words the
service would give. Where a guard needs the round's arithmetic, the caller passes its
``decision`` (``advisory.selectors.decision_of``), so this module reads no selector.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.authority import Actor
from advisory.arithmetic import Decision
from advisory.models import Response, Review, Round, Seat
from core.errors import Conflict, DomainError, NotPermitted
from core.guards import guard
from proposals.models import Proposal
from proposals.rules import is_author
from spaces.models import LeaveOfAbsence, Membership


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


def answer_refusal(*, actor: Actor, round: Round, decision: Decision) -> DomainError | None:
    """Why the actor may not answer (review or step aside) in ``round`` now, or None: the
    round is open, for the current version, and not due to close at its deadline; the
    person holds a seat in it, has not stepped aside, is still on the space's board and is
    not on leave. ``advisory.selectors.answerable_seats`` says the same for many seats."""
    if actor.user is None:
        return NotPermitted(_("Sign in to review."))
    user = actor.user
    if round.closed_at is not None:
        return Conflict(_("This round is closed; its reviews can no longer change."))
    if round.proposal.current_version_id != round.version_id:
        return Conflict(_("This round is for an earlier version; review the current one."))
    if decision.closes:
        # Quorum was met by the deadline: the round is closing, whatever the sweep's pace.
        return Conflict(_("The deadline has passed with a quorum; this round is closing."))
    seat = Seat.objects.filter(round=round, user=user).first()
    if seat is None:
        return NotPermitted(
            _(
                "Only the members of the advisory board when this round opened, and not on "
                "leave then, review in it."
            )
        )
    if seat.recused_at is not None:
        return Conflict(_("You stepped aside from this round, so you do not review in it."))
    membership = (
        Membership.objects.board().filter(space_id=round.proposal.space_id, user=user).first()
    )
    if membership is None:
        return NotPermitted(_("You are no longer on this space's advisory board."))
    if LeaveOfAbsence.objects.filter(membership=membership, ended_at__isnull=True).exists():
        return Conflict(_("You are on leave; end your leave of absence to review."))
    return None


@guard("advisory.review")
def review_refusal(*, actor: Actor, round: Round, decision: Decision) -> DomainError | None:
    """Why the actor may not give or change a review in ``round`` now, or None: they may
    answer in it (``answer_refusal``) and do not author or co-sign the proposal."""
    refusal = answer_refusal(actor=actor, round=round, decision=decision)
    if refusal is not None:
        return refusal
    if (
        is_author(actor, round.proposal)
        or round.proposal.cosigners.filter(user=actor.user).exists()
    ):
        # Became an author (an editor of the organisation) after the round opened, when
        # authors were recused automatically: no one reviews their own proposal.
        return Conflict(
            _(
                "You are now one of the proposal's authors, so you do not review it. You can "
                "step aside from this round."
            )
        )
    return None


@guard("advisory.recuse")
def recusal_refusal(*, actor: Actor, round: Round, decision: Decision) -> DomainError | None:
    """Why the actor may not step aside from ``round`` now, or None: they may answer in it
    (``answer_refusal``) and have not reviewed, since a recusal comes instead of a
    review."""
    refusal = answer_refusal(actor=actor, round=round, decision=decision)
    if refusal is not None:
        return refusal
    if Review.objects.filter(round=round, user=actor.user).exists():
        return Conflict(
            _(
                "You have already reviewed in this round. Change your review (to abstain, "
                "for example) instead of stepping aside."
            )
        )
    return None


@guard("advisory.post_message")
def message_refusal(*, actor: Actor, round: Round) -> DomainError | None:
    """Why the actor may not post in ``round``'s thread now, or None: they are on the board
    or author the proposal (``may_post_in_thread``), and the thread is open, from the
    round's opening until the next round or the proposal's end."""
    if actor.user is None:
        return NotPermitted(_("Sign in to take part in the discussion."))
    proposal = round.proposal
    if not may_post_in_thread(actor, round):
        return NotPermitted(
            _("Only the advisory board and the proposal's authors post in this thread.")
        )
    if proposal.state in Proposal.FINAL_STATES:
        return Conflict(
            _("This proposal is %(state)s; its discussion is closed.")
            % {"state": proposal.get_shown_state_display()}
        )
    if proposal.current_version_id != round.version_id:
        return Conflict(_("A newer version has its own round; discuss it there."))
    return None


@guard("advisory.respond")
def response_refusal(*, actor: Actor, round: Round) -> DomainError | None:
    """Why the actor may not publish the response to ``round`` now, or None: they author
    the proposal, the round passed for its current version, the proposal awaits its vote
    and the round has no response yet."""
    if actor.user is None:
        return NotPermitted(_("Sign in to respond to the board."))
    proposal = round.proposal
    if not is_author(actor, proposal):
        return NotPermitted(_("Only the proposal's authors respond to the board."))
    if proposal.state == Proposal.State.WITHDRAWN:
        return Conflict(_("This proposal was withdrawn; there is nothing to respond to."))
    if not round.passed or proposal.current_version_id != round.version_id:
        return Conflict(
            _("A response answers a round that passed, for the proposal's current version.")
        )
    if proposal.state != Proposal.State.AWAITING_VOTE:
        return Conflict(
            _("The response comes before the vote; this proposal is %(state)s.")
            % {"state": proposal.get_shown_state_display()}
        )
    if Response.objects.filter(round=round).exists():
        return Conflict(_("The response to this round is already published; it does not change."))
    return None
