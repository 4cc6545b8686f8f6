"""Co-signing a proposal, asking someone to, taking a request back and declining one.

Nothing of a request is public: a private draft becomes visible to the person asked
until they decline, and the co-signature itself is public from the first submission.
"""

from __future__ import annotations

import rules
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from accounts.models import User
from accounts.selectors import display_name
from core.errors import Conflict, Invalid, NotPermitted
from core.guards import refuse_if
from core.links import with_link
from core.rules import require
from history.models import ActorRole
from history.services import append
from notifications.services import notify
from proposals.models import CosignInvitation, Proposal, ProposalCosigner
from proposals.rules import invite_cosigner_refusal
from proposals.services.base import COSIGNABLE_STATES, is_private, lock
from spaces.models import Membership


def no_request_to_take_back() -> str:
    """The refusal to take back a request that is not open (or a person not known)."""
    return _("There is no open request to take back.")


@transaction.atomic
def proposal_cosign(*, actor: Actor, proposal: Proposal) -> ProposalCosigner:
    """Co-sign a proposal: board members of its space and editors of other organisations,
    before its first submission or during revision. Once per person."""
    require(
        "proposals.cosign",
        actor,
        proposal,
        message=_(
            "Advisory board members of this space and editors of other organisations can "
            "co-sign; authors cannot co-sign their own proposal."
        ),
    )
    assert actor.user is not None
    locked = lock(proposal)
    if locked.state not in COSIGNABLE_STATES:
        raise Conflict(
            _("A proposal can be co-signed only before it is submitted or during revision.")
        )
    already = Conflict(_("You already co-sign this proposal."))
    if ProposalCosigner.objects.filter(proposal=locked, user=actor.user).exists():
        raise already
    try:
        with transaction.atomic():
            cosigner = ProposalCosigner.objects.create(proposal=locked, user=actor.user)
    except IntegrityError:
        raise already from None
    if is_private(locked):
        return cosigner
    on_board = Membership.objects.board().filter(space_id=locked.space_id, user=actor.user).exists()
    append(
        kind="proposal.cosigned",
        actor=actor.user,
        actor_role=ActorRole.BOARD_MEMBER if on_board else ActorRole.EDITOR,
        subject=locked,
        data={},
    )
    return cosigner


@transaction.atomic
def proposal_invite_cosigner(*, actor: Actor, proposal: Proposal, user: User) -> CosignInvitation:
    """Ask one person to co-sign (authors only, while co-signing is open). The person must
    be someone who may co-sign: a board member of the space or an editor of another
    organisation. A private draft becomes visible to them until they decline; they are
    told by e-mail, and nothing is public (the co-signature itself is, from submission).
    Nobody is asked twice about the same proposal."""
    locked = lock(proposal)
    refuse_if(invite_cosigner_refusal(actor=actor, proposal=locked))
    assert actor.user is not None
    invitee = Actor(user=user)
    if not user.is_active or not rules.test_rule("proposals.cosign", invitee, locked):
        raise Invalid(
            {
                "person": [
                    _(
                        "Only advisory board members of this space and editors of other "
                        "organisations can co-sign; %(name)s cannot."
                    )
                    % {"name": display_name(user)}
                ]
            }
        )
    if ProposalCosigner.objects.filter(proposal=locked, user=user).exists():
        raise Conflict(_("%(name)s already co-signs this proposal.") % {"name": display_name(user)})
    existing = (
        CosignInvitation.objects.select_for_update().filter(proposal=locked, user=user).first()
    )
    if existing is not None and existing.declined_at is None:
        raise Conflict(
            _("%(name)s has already been asked to co-sign.") % {"name": display_name(user)}
        )
    if existing is not None:
        # No is an answer: nobody is asked twice about the same proposal.
        raise Conflict(
            _("%(name)s was asked before and will not be asked again about this proposal.")
            % {"name": display_name(user)}
        )
    invitation = CosignInvitation.objects.create(
        proposal=locked, user=user, invited_by=actor.user, created_at=timezone.now()
    )
    # Says nothing of the proposal or who asked: others may read the person's e-mail, and
    # the outbox is readable by site staff, who must not learn of a private draft.
    notify(
        recipient=user,
        kind="proposal.cosign_requested",
        body=lambda: with_link(
            _(
                "Someone asked you to co-sign a proposal on Real Voice. Sign in to read it and "
                "decide: your page lists the requests waiting for you."
            ),
            # The person's own page, not the draft's: the link names no space and no
            # proposal, and after signing in it lists the request.
            reverse("pages:me"),
        ),
    )
    return invitation


@transaction.atomic
def proposal_revoke_cosign_request(
    *, actor: Actor, proposal: Proposal, user: User
) -> CosignInvitation:
    """Take back an unanswered request to co-sign (authors only). A private draft is
    hidden from the person again; the row stays, as declined, so they are not asked
    again by mistake."""
    require(
        "proposals.edit",
        actor,
        proposal,
        message=_("Only the proposal's authors can take back a request to co-sign."),
    )
    return _close_open_request(lock(proposal), user, none_open=no_request_to_take_back())


@transaction.atomic
def proposal_decline_cosign(*, actor: Actor, proposal: Proposal) -> CosignInvitation:
    """Turn down a request to co-sign. A private draft is hidden from the person again."""
    if actor.user is None:
        raise NotPermitted(_("Sign in to answer a request to co-sign."))
    return _close_open_request(
        lock(proposal),
        actor.user,
        none_open=_("There is no open request for you to co-sign this proposal."),
    )


def _close_open_request(locked: Proposal, user: User, *, none_open: str) -> CosignInvitation:
    """Mark the person's unanswered request declined, whoever ends it: the row stays, so
    they are not asked again. A request already answered, or one the person has since
    co-signed, is refused with ``none_open``."""
    invitation = (
        CosignInvitation.objects.select_for_update()
        .filter(proposal=locked, user=user, declined_at__isnull=True)
        .first()
    )
    if invitation is None or ProposalCosigner.objects.filter(proposal=locked, user=user).exists():
        raise Conflict(none_open)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation
