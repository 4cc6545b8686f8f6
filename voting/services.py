"""Votes: scheduling, opening, casting and changing a ballot. Each service locks what it
changes (the proposal row, then the vote row, as the advisory services do), writes in
one transaction and appends its history event in it; casting appends none, so the public
chain never tells who voted when.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.authority import Actor
from accounts.models import User
from core.clock import db_now
from core.errors import Conflict, DomainError, NotPermitted
from history.models import ActorRole
from history.services import append
from notifications.services import notify_many
from proposals.models import Proposal
from spaces.models import Role
from spaces.rules import facilitates
from spaces.selectors import board_size_for_quorum, members_at
from spaces.services import rulebook_current
from voting.models import Ballot, Choice, Elector, Participation, Vote
from voting.receipts import (
    ReceiptError,
    ballot_hash,
    new_receipt,
    normalise_receipt,
    voter_hash,
    voter_hash_matches,
)

if TYPE_CHECKING:
    from advisory.models import Round


def _proposal_path(proposal: Proposal) -> str:
    return reverse(
        "proposals:detail", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk}
    )


def _lock(vote: Vote) -> Vote:
    """Lock the vote's proposal, then the vote, and return the vote fresh."""
    Proposal.objects.select_for_update().filter(pk=vote.proposal_id).first()
    return (
        # Only the vote's row: its rulebook is empty until opening (an outer join).
        Vote.objects.select_for_update(of=("self",))
        .select_related("proposal__space", "version", "rulebook")
        .get(pk=vote.pk)
    )


def vote_schedule(*, round: Round, response_published_at: datetime.datetime) -> Vote:
    """Schedule the vote on a passed round's version once its response is published
    (called by ``advisory.services.response_publish``, inside its transaction and
    locks). It opens the space's rulebook delay after the response; a facilitator may
    bring that earlier, never later."""
    proposal = round.proposal
    rulebook = rulebook_current(space=proposal.space)
    opens_at = response_published_at + datetime.timedelta(days=rulebook.vote_delay_days)
    vote = Vote.objects.create(
        proposal=proposal, round=round, version=round.version, opens_at=opens_at
    )
    append(
        kind="vote.scheduled",
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=proposal,
        data={
            "vote": str(vote.public_id),
            "version": round.version.number,
            "content_hash": round.version.content_hash,
            "opens_at": opens_at.isoformat(),
        },
    )
    return vote


@transaction.atomic
def vote_bring_forward(*, actor: Actor, vote: Vote, opens_at: datetime.datetime) -> Vote:
    """Set an earlier opening (facilitators of the space, with their powers). Never
    later than scheduled, never in the past, and only before the vote opened."""
    if not facilitates(actor, vote.proposal):
        raise NotPermitted(_("Only the space's facilitators set an earlier opening."))
    locked = _lock(vote)
    if locked.opened_at is not None:
        raise Conflict(_("This vote has opened already."))
    if locked.proposal.state != Proposal.State.AWAITING_VOTE:
        raise Conflict(
            _("This proposal is %(state)s; its vote will not open.")
            % {"state": locked.proposal.get_state_display()}
        )
    now = db_now()
    if opens_at > locked.opens_at:
        raise DomainError(_("A vote can open earlier than scheduled, never later."))
    if opens_at < now:
        raise DomainError(_("Choose a moment from now on."))
    previous = locked.opens_at
    locked.opens_at = opens_at
    locked.save(update_fields=["opens_at"])
    append(
        kind="vote.brought_forward",
        actor=actor.user,
        actor_role=ActorRole.FACILITATOR,
        subject=locked.proposal,
        data={
            "vote": str(locked.public_id),
            "from": previous.isoformat(),
            "to": opens_at.isoformat(),
        },
    )
    return locked


def electorate_at(*, proposal: Proposal, moment: datetime.datetime) -> dict[int, tuple[User, bool]]:
    """Who may vote if a vote opened at ``moment``: the space's electorate and its board
    members then, each once, with whether they are on the board (the advisory bloc)."""
    space = proposal.space
    people: dict[int, tuple[User, bool]] = {
        person.pk: (person, False)
        for person in members_at(space=space, role=Role.ELECTORATE, moment=moment)
    }
    for person in members_at(space=space, role=Role.BOARD, moment=moment):
        people[person.pk] = (person, True)
    return people


@transaction.atomic
def vote_open_if_due(*, vote: Vote) -> bool:
    """Open a scheduled vote once ``opens_at`` has come on the database clock (the sweep
    calls this): freeze the voting rules (the space's current rulebook), snapshot the
    electorate and the advisory bloc, set the close, move the proposal to voting, append
    the event and tell the electorate, in one transaction. A guarded update opens it
    once. Returns whether this call opened it."""
    locked = _lock(vote)
    proposal = locked.proposal
    now = db_now()
    if locked.opened_at is not None or now < locked.opens_at:
        return False
    if proposal.state != Proposal.State.AWAITING_VOTE:
        return False  # withdrawn meanwhile: nothing to open
    rulebook = rulebook_current(space=proposal.space)
    people = electorate_at(proposal=proposal, moment=now)
    board_size = board_size_for_quorum(space=proposal.space, moment=now)
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
    append(
        kind="vote.opened",
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=proposal,
        data={
            "vote": str(locked.public_id),
            "version": locked.version.number,
            "content_hash": locked.version.content_hash,
            "rulebook": rulebook.version,
            "electorate_size": len(people),
            "board_size": board_size,
            "close_at": close_at.isoformat(),
        },
    )
    notify_many(
        recipients=[person for person, _on_board in people.values()],
        kind="vote.opened",
        body=_(
            "A vote you can take part in is open until %(close)s (UTC). Read the proposal, "
            "the board's reviews and the authors' response, and vote here: %(path)s"
        )
        % {"close": f"{close_at:%Y-%m-%d %H:%M}", "path": _proposal_path(proposal)},
    )
    return True


def votes_open_due() -> int:
    """The minute sweep's share: open every scheduled vote whose time has come."""
    opened = 0
    for due in Vote.objects.filter(opened_at__isnull=True, opens_at__lte=db_now()):
        if vote_open_if_due(vote=due):
            opened += 1
    return opened


def _elector_for_ballot(actor: Actor, locked: Vote) -> Elector:
    """The checks casting and changing share, under the vote's row lock: the vote is
    open on the database clock, its proposal still being voted on, and the person is in
    the snapshot taken at opening."""
    if actor.user is None:
        raise NotPermitted(_("Sign in to vote."))
    if locked.opened_at is None or locked.close_at is None:
        raise Conflict(_("This vote has not opened yet."))
    if db_now() >= locked.close_at:
        raise Conflict(_("This vote has closed."))
    if locked.proposal.state != Proposal.State.VOTING:
        raise Conflict(
            _("This proposal is %(state)s; its vote takes no ballots.")
            % {"state": locked.proposal.get_state_display()}
        )
    elector = Elector.objects.filter(vote=locked, user=actor.user).first()
    if elector is None:
        raise NotPermitted(
            _(
                "Only the people in the electorate when this vote opened vote in it; you "
                "joined later or are not in it."
            )
        )
    return elector


def _clean_choice(choice: str) -> str:
    if choice not in Choice.values:
        raise DomainError(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Choice.values)},
            code="invalid",
        )
    return choice


@dataclass(frozen=True)
class Cast:
    """What a cast returns, once: the receipt. The site keeps only its two hashes."""

    receipt: str


@transaction.atomic
def vote_cast(*, actor: Actor, vote: Vote, choice: str) -> Cast:
    """Cast one's ballot. One per person in the snapshot: the participation row (who)
    and the ballot (what) are written apart, linked only by the receipt, which is
    returned here once and kept nowhere. No history event: the chain never tells who
    voted when."""
    locked = _lock(vote)
    elector = _elector_for_ballot(actor, locked)
    assert actor.user is not None
    clean = _clean_choice(choice)
    if Participation.objects.filter(vote=locked, user=actor.user).exists():
        raise Conflict(_("You have voted in this vote. To change your ballot, use your receipt."))
    receipt = new_receipt()
    try:
        with transaction.atomic():
            Participation.objects.create(
                vote=locked, user=actor.user, voter_hash=voter_hash(receipt)
            )
    except IntegrityError:
        raise Conflict(
            _("You have voted in this vote. To change your ballot, use your receipt.")
        ) from None
    Ballot.objects.create(
        vote=locked, ballot_hash=ballot_hash(receipt), choice=clean, on_board=elector.on_board
    )
    return Cast(receipt=receipt)


@transaction.atomic
def vote_change(*, actor: Actor, vote: Vote, receipt: str, choice: str) -> None:
    """Change one's ballot while the vote is open: needs both the voter's sign-in and
    the receipt given at the cast; someone else's receipt, or a mistyped one, is
    refused and nothing changes."""
    locked = _lock(vote)
    _elector_for_ballot(actor, locked)
    clean = _clean_choice(choice)
    participation = Participation.objects.filter(vote=locked, user=actor.user).first()
    if participation is None:
        raise Conflict(_("You have not voted in this vote yet."))
    try:
        normal = normalise_receipt(receipt)
    except ReceiptError as error:
        raise DomainError(str(error), code="invalid") from None
    if not voter_hash_matches(normal, participation.voter_hash):
        raise NotPermitted(_("This receipt is not the one you were given when you voted."))
    changed = Ballot.objects.filter(vote=locked, ballot_hash=ballot_hash(normal)).update(
        choice=clean
    )
    if changed != 1:  # the two hashes come from one receipt: a broken database
        raise Conflict(_("Your ballot could not be found; nothing was changed."))
