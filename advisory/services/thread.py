"""The round's public thread, between the board and the proposal's authors."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authority import Actor
from advisory.models import Message, Round
from advisory.rules import may_post_in_thread
from advisory.services.base import MAX_MESSAGE, ReviewInvalid, lock_round
from core.errors import Conflict, NotPermitted
from core.text import has_control_characters
from history.models import ActorRole
from history.services import append
from proposals.models import Proposal
from proposals.rules import is_author
from spaces.models import Membership


@transaction.atomic
def message_post(
    *, actor: Actor, round: Round, body: str, shown_as_advisory_member: bool = False
) -> Message:
    """Post in the round's public thread. Open from the round's opening until the next
    round or the proposal's end (withdrawn, or a final vote); a board member may post as
    "an advisory member". The post is public at once and appended to the history."""
    if actor.user is None:
        raise NotPermitted(_("Sign in to take part in the discussion."))
    locked = lock_round(round)
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
