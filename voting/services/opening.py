"""Opening a scheduled vote when its time has come: the frozen rules, the electorate's
snapshot and the close."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.moments import format_moment
from notifications.services import notify_many
from proposals.models import Proposal
from spaces.services import rulebook_current
from voting.models import Elector, Vote, voting_rules
from voting.selectors import electorate_at
from voting.services import base


@transaction.atomic
def vote_open_if_due(*, vote: Vote) -> bool:
    """Open a scheduled vote once ``opens_at`` has come on the database clock (the sweep
    calls this): freeze the voting rules (the space's current rulebook), snapshot the
    electorate and the advisory bloc, set the close, move the proposal to voting, append
    the event and tell the electorate, in one transaction. A guarded update opens it
    once. Returns whether this call opened it."""
    locked = base.lock_vote(vote)
    proposal = locked.proposal
    now = base.db_now()
    if locked.opened_at is not None or now < locked.opens_at:
        return False
    if proposal.state != Proposal.State.AWAITING_VOTE:
        return False  # withdrawn meanwhile: nothing to open
    rulebook = rulebook_current(space=proposal.space)
    people = electorate_at(proposal=proposal, moment=now)
    board_size = sum(1 for _person, in_bloc in people.values() if in_bloc)
    close_at = now + datetime.timedelta(days=rulebook.voting_window_days)
    opened = Vote.objects.filter(pk=locked.pk, opened_at__isnull=True).update(
        opened_at=now,
        close_at=close_at,
        rulebook=rulebook,
        electorate_size=len(people),
        board_size=board_size,
    )
    if opened != 1:
        return False
    Elector.objects.bulk_create(
        Elector(vote=locked, user=person, on_board=on_board) for person, on_board in people.values()
    )
    Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.AWAITING_VOTE).update(
        state=Proposal.State.VOTING
    )
    base.vote_event(
        "vote.opened",
        locked,
        {
            "rulebook": rulebook.version,
            "electorate_size": len(people),
            "board_size": board_size,
            "close_at": close_at.isoformat(),
            **base.deciding_data(voting_rules(rulebook), board_size),
        },
    )
    notify_many(
        recipients=[person for person, _on_board in people.values()],
        kind="vote.opened",
        body=lambda: (
            _(
                "A vote you can take part in is open until %(close)s. Read the proposal, "
                "the board's reviews and the authors' response, and vote here: %(path)s"
            )
            % {"close": format_moment(close_at), "path": base.proposal_path(proposal)}
        ),
    )
    return True
