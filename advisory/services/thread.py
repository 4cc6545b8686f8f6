"""The round's public thread, between the board and the proposal's authors."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from advisory.models import Message, Round
from advisory.rules import message_refusal
from advisory.services.base import MAX_MESSAGE, ReviewInvalid, lock_round
from core.guards import refuse_if
from core.text import has_control_characters
from history.models import ActorRole
from history.services import append
from proposals.rules import is_author
from spaces.models import Membership


@transaction.atomic
def message_post(
    *, actor: Actor, round: Round, body: str, shown_as_advisory_member: bool = False
) -> Message:
    """Post in the round's public thread. Open from the round's opening until the next
    round or the proposal's end (withdrawn, or a final vote); a board member may post as
    "an advisory member". The post is public at once and appended to the history."""
    locked = lock_round(round)
    refuse_if(message_refusal(actor=actor, round=locked))
    assert actor.user is not None
    proposal = locked.proposal
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
