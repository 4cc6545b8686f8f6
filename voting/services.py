"""Votes: scheduling, opening, casting and changing a ballot, the 24-hour reminder, and
finalisation (the tally, the published result and the receipts list). Each service
locks what it changes (the proposal row, then the vote row, as the advisory services
do), writes in one transaction and appends its history event in it; casting appends
none, so the public chain never tells who voted when.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.authority import Actor
from accounts.models import User
from core.clock import db_now
from core.errors import Conflict, DomainError, NotPermitted
from core.links import absolute_url
from core.moments import format_moment
from history.models import ActorRole
from history.services import append
from notifications.services import notify_many
from proposals.models import Proposal
from proposals.selectors import proposal_authors
from spaces.models import Role
from spaces.rules import facilitates
from spaces.selectors import board_for_quorum, members_at
from spaces.selectors import electorate_at as space_electorate_at
from spaces.services import rulebook_current
from voting import arithmetic
from voting.models import (
    OPENING_FLOOR,
    Ballot,
    Choice,
    Elector,
    Participation,
    Vote,
    voting_rules,
)
from voting.receipts import (
    ReceiptError,
    ballot_hash,
    new_receipt,
    normalise_receipt,
    receipts_csv,
    voter_hash,
    voter_hash_matches,
)

logger = logging.getLogger(__name__)

REMINDER_BEFORE_CLOSE = datetime.timedelta(hours=24)

if TYPE_CHECKING:
    from advisory.models import Round


def _proposal_path(proposal: Proposal) -> str:
    """The proposal page's absolute address, for e-mails (core.links)."""
    return absolute_url(
        reverse("proposals:detail", kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk})
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
    later than scheduled, never in the past, never less than the rulebook's floor for
    the delay after the response was published (``Vote.earliest_opening``), and only before the
    vote opened. A refusal changes nothing."""
    if not facilitates(actor, vote.proposal):
        raise NotPermitted(_("Only the space's facilitators set an earlier opening."))
    locked = _lock(vote)
    if locked.opened_at is not None:
        raise Conflict(_("This vote has opened already."))
    if locked.proposal.state != Proposal.State.AWAITING_VOTE:
        raise Conflict(
            _("This proposal is %(state)s; its vote will not open.")
            % {"state": locked.proposal.get_shown_state_display()}
        )
    now = db_now()
    if opens_at >= locked.opens_at:
        raise DomainError(_("A vote can open earlier than scheduled, never later."))
    if opens_at < now:
        raise DomainError(_("Choose a moment from now on."))
    earliest = locked.earliest_opening()
    if opens_at < earliest:
        raise DomainError(
            ngettext(
                "A vote opens at least %(days)s day after the response was published, so "
                "the electorate has time to read it: choose %(earliest)s or later.",
                "A vote opens at least %(days)s days after the response was published, so "
                "the electorate has time to read it: choose %(earliest)s or later.",
                OPENING_FLOOR.days,
            )
            % {"days": OPENING_FLOOR.days, "earliest": format_moment(earliest)}
        )
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
    """Who may vote if a vote opened at ``moment``: the space's electorate then (every
    voter and board member, each once: ``spaces.selectors.electorate_at``), each with
    whether they are in the advisory bloc: on the board and not on leave then, as for a
    round's quorum. A board member on leave votes as an ordinary elector."""
    space = proposal.space
    bloc = set(board_for_quorum(space=space, moment=moment).values_list("pk", flat=True))
    return {
        person.pk: (person, person.pk in bloc)
        for person in space_electorate_at(space=space, moment=moment)
    }


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
            **_deciding_data(voting_rules(rulebook), board_size),
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
            % {"close": format_moment(close_at), "path": _proposal_path(proposal)}
        ),
    )
    return True


def _deciding_data(rules: arithmetic.Rules, board_size: int) -> dict[str, object]:
    """Who decides the vote, for its opening and finalisation events: with dual majority
    on, whether the advisory bloc is counted apart or, being smaller than the minimum
    group size, the whole electorate decides."""
    apart = arithmetic.bloc_counted_apart(rules, board_size)
    return {
        "dual_majority": rules.dual_majority,
        "advisory_bloc_counted_apart": apart,
        "decided_by_whole_electorate": rules.dual_majority and not apart,
        "min_group_size": rules.min_group_size,
    }


def votes_open_due() -> int:
    """The minute sweep's share for scheduled votes: open every one whose time has come."""
    # A withdrawn proposal's vote never opens: the sweep leaves it alone.
    return _each_due(
        vote_open_if_due,
        Vote.objects.filter(
            opened_at__isnull=True,
            opens_at__lte=db_now(),
            proposal__state=Proposal.State.AWAITING_VOTE,
        ),
    )


def _each_due(step: Callable[..., bool], due: QuerySet[Vote]) -> int:
    """Run ``step`` on each due vote; one failing vote is logged and does not stop the
    others (the next sweep tries it again). Returns how many it changed."""
    changed = 0
    for vote in due.order_by("pk"):
        try:
            if step(vote=vote):
                changed += 1
        except Exception:
            logger.exception("The sweep could not handle vote %s.", vote.public_id)
    return changed


def _takes_no_ballots(proposal: Proposal) -> Conflict:
    return Conflict(
        _("This proposal is %(state)s; its vote takes no ballots.")
        % {"state": proposal.get_shown_state_display()}
    )


def _elector_for_ballot(actor: Actor, locked: Vote) -> Elector:
    """The checks casting and changing share, under the vote's row lock: the vote is
    open on the database clock, its proposal still being voted on, and the person is in
    the snapshot taken at opening."""
    if actor.user is None:
        raise NotPermitted(_("Sign in to vote."))
    if locked.opened_at is None or locked.close_at is None:
        raise Conflict(_("This vote has not opened yet."))
    if locked.proposal.state == Proposal.State.WITHDRAWN:
        raise _takes_no_ballots(locked.proposal)
    # Read after the lock was granted: a cast counts only if it is accepted before the
    # close, and the finalisation, which waits for this lock, then counts it.
    if locked.finalised_at is not None or db_now() >= locked.close_at:
        raise Conflict(_("This vote has closed."))
    if locked.proposal.state != Proposal.State.VOTING:
        raise _takes_no_ballots(locked.proposal)
    elector = Elector.objects.filter(vote=locked, user=actor.user).first()
    if elector is None:
        raise NotPermitted(
            _(
                "Only the people in the electorate when this vote opened vote in it; you "
                "joined later or are not in it."
            )
        )
    return elector


def receipt_problem(error: ReceiptError) -> str:
    """What is wrong with a typed receipt, in the reader's language (``voting.receipts``
    says the same in English for the recount script)."""
    messages = {
        "empty": _("The receipt is empty."),
        "alphabet": _(
            "A receipt has only the letters A to Z and the digits 2 to 7; it cannot "
            "contain %(wrong)s."
        ),
        "length": _(
            "A receipt has %(expected)s letters and digits, not counting spaces and "
            "dashes; this one has %(found)s."
        ),
        "check": _(
            "This receipt has a typing mistake: its check characters do not match. "
            "Compare it with the one you saved, character by character."
        ),
    }
    return messages[error.code] % error.details


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
        vote=locked,
        ballot_hash=ballot_hash(receipt),
        choice=clean,
        on_board=elector.on_board and locked.marks_bloc_ballots,
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
        raise DomainError(receipt_problem(error), code="invalid") from None
    if not voter_hash_matches(normal, participation.voter_hash):
        raise NotPermitted(_("This receipt is not the one you were given when you voted."))
    changed = Ballot.objects.filter(vote=locked, ballot_hash=ballot_hash(normal)).update(
        choice=clean
    )
    if changed != 1:  # the two hashes come from one receipt: a broken database
        raise Conflict(_("Your ballot could not be found; nothing was changed."))


# --- Closing -----------------------------------------------------------------------


def _counts(vote: Vote) -> tuple[arithmetic.Counts, arithmetic.Counts]:
    """Everyone's and the advisory bloc's counts, in one grouped query."""
    everyone = dict.fromkeys(Choice.values, 0)
    bloc = dict(everyone)
    for row in (
        Ballot.objects.filter(vote=vote)
        .order_by()
        .values("choice", "on_board")
        .annotate(ballots=Count("id"))
    ):
        everyone[row["choice"]] += row["ballots"]
        if row["on_board"]:
            bloc[row["choice"]] += row["ballots"]
    return arithmetic.Counts(**everyone), arithmetic.Counts(**bloc)


def _rewrite_ballots_in_random_order(vote: Vote, kept: list[tuple[str, str, bool]]) -> None:
    """Delete the vote's ballots and insert them again, shuffled, under new random keys,
    in the finalising transaction: no physical row order, key or transaction id then
    follows the order of casting."""
    if connection.vendor == "postgresql":
        # In SQL, ordered by gen_random_uuid() (a strong random source): a million
        # ballots in seconds instead of a round trip through Python.
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE voting_rewrite ON COMMIT DROP AS "
                "SELECT ballot_hash, choice, on_board FROM voting_ballot WHERE vote_id = %s",
                [vote.pk],
            )
            cursor.execute("DELETE FROM voting_ballot WHERE vote_id = %s", [vote.pk])
            cursor.execute(
                "INSERT INTO voting_ballot (id, vote_id, ballot_hash, choice, on_board) "
                "SELECT gen_random_uuid(), %s, ballot_hash, choice, on_board "
                "FROM voting_rewrite ORDER BY gen_random_uuid()",
                [vote.pk],
            )
            cursor.execute("DROP TABLE voting_rewrite")
        return
    shuffled = list(kept)
    secrets.SystemRandom().shuffle(shuffled)
    Ballot.objects.filter(vote=vote).delete()
    Ballot.objects.bulk_create(
        (
            Ballot(vote_id=vote.pk, ballot_hash=hashed, choice=choice, on_board=on_board)
            for hashed, choice, on_board in shuffled
        ),
        batch_size=5000,
    )


def _finalise(locked: Vote, *, now: datetime.datetime, withdrawn: bool) -> None:
    """Tally, rewrite the ballots, store the result by a guarded update, move the
    proposal, append the event (timestamped ``close_at``) and tell the people concerned.
    The caller holds the proposal's and the vote's row locks and the transaction."""
    assert locked.rulebook is not None
    assert locked.close_at is not None
    assert locked.electorate_size is not None
    assert locked.board_size is not None
    everyone, bloc = _counts(locked)
    rules = locked.rules()
    result = arithmetic.decide(
        arithmetic.Tally(
            everyone=everyone,
            bloc=bloc,
            electorate=locked.electorate_size,
            board_size=locked.board_size,
        ),
        rules,
    )
    kept = list(Ballot.objects.filter(vote=locked).values_list("ballot_hash", "choice", "on_board"))
    with_choices = locked.rulebook.publish_receipt_choices
    receipts_sha256 = hashlib.sha256(
        receipts_csv(((hashed, choice) for hashed, choice, _b in kept), with_choices=with_choices)
    ).hexdigest()
    # Rewritten before the result is stored: a finalised vote's ballots never change.
    _rewrite_ballots_in_random_order(locked, kept)
    finalised = Vote.objects.filter(
        pk=locked.pk, finalised_at__isnull=True, close_at__lte=now
    ).update(
        finalised_at=now,
        withdrawn=withdrawn,
        outcome=result.outcome,
        rule=result.rule,
        approve=everyone.approve,
        reject=everyone.reject,
        abstain=everyone.abstain,
        bloc_approve=bloc.approve,
        bloc_reject=bloc.reject,
        bloc_abstain=bloc.abstain,
        receipts_sha256=receipts_sha256,
    )
    if finalised != 1:
        # The checks under the row lock make this unreachable; refuse rather than publish
        # a second result, and undo the rewrite with the caller's transaction.
        raise Conflict(_("This vote has been finalised already."))
    proposal = locked.proposal
    if not withdrawn:
        Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.VOTING).update(
            state=result.outcome
        )
    published = arithmetic.publication(everyone, bloc, min_group_size=rules.min_group_size)
    data: dict[str, object] = {
        "vote": str(locked.public_id),
        "version": locked.version.number,
        "content_hash": locked.version.content_hash,
        "withdrawn": withdrawn,
        "outcome": result.outcome,
        "rule": result.rule,
        "electorate_size": locked.electorate_size,
        "turnout": result.turnout,
        "turnout_needed": result.turnout_needed,
        "counts": _counts_data(everyone),
        "approval": str(result.approval),
        "approval_threshold": str(rules.approval),
        **_deciding_data(rules, locked.board_size),
        "receipts_sha256": receipts_sha256,
        "choices_published": with_choices,
    }
    if result.bloc_turnout_needed is not None:
        data["advisory_turnout_needed"] = result.bloc_turnout_needed
        data["advisory_turnout_met"] = result.bloc_turnout >= result.bloc_turnout_needed
    if published.bloc is not None and published.everyone_else is not None:
        # The bloc's turnout is a count by group too: with the overall counts and the
        # deciding rule it could give away a small group's choices.
        data["advisory_turnout"] = result.bloc_turnout
        data["counts_advisory_board"] = _counts_data(published.bloc)
        data["counts_everyone_else"] = _counts_data(published.everyone_else)
    append(
        kind="vote.finalised",
        actor=None,
        actor_role=ActorRole.SYSTEM,
        subject=proposal,
        data=data,
        occurred_at=locked.close_at,
    )
    _notify_result(locked, withdrawn=withdrawn)


def _counts_data(counts: arithmetic.Counts) -> dict[str, int]:
    return {"approve": counts.approve, "reject": counts.reject, "abstain": counts.abstain}


def _notify_result(vote: Vote, *, withdrawn: bool) -> None:
    """Tell the authors, the board and everyone in the snapshot, each once."""
    people: dict[int, User] = {person.pk: person for person in proposal_authors(vote.proposal)}
    for person in members_at(space=vote.proposal.space, role=Role.BOARD, moment=db_now()):
        people[person.pk] = person
    for elector in Elector.objects.filter(vote=vote).select_related("user"):
        people[elector.user_id] = elector.user
    notify_many(
        recipients=list(people.values()),
        kind="vote.result",
        body=lambda: (
            (
                _(
                    "A vote ended early because its proposal was withdrawn; its count is "
                    "published here: %(path)s"
                )
                if withdrawn
                else _("The result of a vote is published. Read it here: %(path)s")
            )
            % {"path": _proposal_path(vote.proposal)}
        ),
    )


@transaction.atomic
def vote_finalise_if_due(*, vote: Vote) -> bool:
    """Finalise a vote whose close has come on the database clock (the sweep calls
    this): under the vote's row lock, so every cast that was accepted before the close
    is in the tally and none after. A guarded update (``finalised_at IS NULL AND
    close_at <= now``) finalises it once; returns whether this call did."""
    locked = _lock(vote)
    if locked.finalised_at is not None or locked.close_at is None:
        return False
    now = db_now()
    if now < locked.close_at:
        return False
    _finalise(locked, now=now, withdrawn=False)
    return True


def vote_end_for_withdrawal(*, proposal: Proposal) -> tuple[bool, bool]:
    """End the open vote of a proposal being withdrawn (``proposal_withdraw`` calls this
    in its transaction, holding the proposal's row lock): it closes now and its count is
    published, marked withdrawn. A vote not yet open simply never opens. Once the close
    has come, the withdrawal is refused (and the caller's transaction undone): the vote
    is no longer under way and its result is fixed; the sweep publishes it.

    Returns (an open vote was closed and its count published, a scheduled vote will
    not open), for the message after the withdrawal."""
    counted = False
    for open_vote in Vote.objects.filter(
        proposal=proposal, opened_at__isnull=False, finalised_at__isnull=True
    ):
        locked = _lock(open_vote)
        now = db_now()
        assert locked.close_at is not None
        if now >= locked.close_at:
            raise Conflict(
                _(
                    "The vote has closed and is being counted; its result is published "
                    "within minutes, and the proposal can no longer be withdrawn."
                )
            )
        Vote.objects.filter(pk=locked.pk).update(close_at=now)
        locked.close_at = now
        _finalise(locked, now=now, withdrawn=True)
        counted = True
    cancelled = Vote.objects.filter(proposal=proposal, opened_at__isnull=True).exists()
    return counted, cancelled


@transaction.atomic
def vote_remind_if_due(*, vote: Vote) -> bool:
    """Once, 24 hours before the close: remind each person in the snapshot who has not
    voted, each by a notification of their own (nobody learns who else was reminded)."""
    locked = _lock(vote)
    if locked.close_at is None or locked.finalised_at is not None or locked.reminder_sent_at:
        return False
    now = db_now()
    if not locked.close_at - REMINDER_BEFORE_CLOSE <= now < locked.close_at:
        return False
    if not Vote.objects.filter(pk=locked.pk, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now
    ):
        return False
    voted = Participation.objects.filter(vote=locked).values("user_id")
    close_at = locked.close_at
    notify_many(
        recipients=[
            elector.user
            for elector in Elector.objects.filter(vote=locked)
            .exclude(user_id__in=voted)
            .select_related("user")
        ],
        kind="vote.closing_soon",
        body=lambda: (
            _(
                "A vote you can take part in closes in less than a day, at %(close)s. "
                "Read the proposal and vote here: %(path)s"
            )
            % {
                "close": format_moment(close_at),
                "path": _proposal_path(locked.proposal),
            }
        ),
    )
    return True


@dataclass(frozen=True)
class Sweep:
    """What one sweep of votes did."""

    opened: int
    reminded: int
    finalised: int


def votes_sweep() -> Sweep:
    """The minute sweep's share for votes: open what is due, remind 24 hours before a
    close, finalise what has closed."""
    opened = votes_open_due()
    now = db_now()
    reminded = _each_due(
        vote_remind_if_due,
        Vote.objects.filter(
            finalised_at__isnull=True,
            reminder_sent_at__isnull=True,
            close_at__gt=now,
            close_at__lte=now + REMINDER_BEFORE_CLOSE,
        ),
    )
    finalised = _each_due(
        vote_finalise_if_due, Vote.objects.filter(finalised_at__isnull=True, close_at__lte=now)
    )
    return Sweep(opened=opened, reminded=reminded, finalised=finalised)
