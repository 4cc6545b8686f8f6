"""Casting and changing a ballot. The participation row (who) and the ballot (what) are
written apart, linked only by the receipt, which the cast returns once and the site
keeps nowhere. No history event: the chain never tells who voted when."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.authority import Actor
from core.errors import Conflict, DomainError, NotPermitted
from core.guards import refuse_if
from core.text import choose_one_of
from voting.models import Ballot, Choice, Elector, Participation, Vote
from voting.receipts import (
    ReceiptError,
    ballot_hash,
    new_receipt,
    normalise_receipt,
    voter_hash,
    voter_hash_matches,
)
from voting.rules import cast_refusal, change_refusal, voted_already
from voting.services import base


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
        raise DomainError(choose_one_of(Choice.values), code="invalid")
    return choice


def _elector(actor: Actor, locked: Vote) -> Elector | None:
    """The person's place in the snapshot taken at opening, if they have one."""
    if actor.user is None:
        return None
    return Elector.objects.filter(vote=locked, user=actor.user).first()


@dataclass(frozen=True)
class Cast:
    """What a cast returns, once: the receipt. The site keeps only its two hashes."""

    receipt: str


@transaction.atomic
def vote_cast(*, actor: Actor, vote: Vote, choice: str) -> Cast:
    """Cast one's ballot (``voting.rules.cast_refusal`` says who may, checked under the
    vote's row lock on the database clock read after it). One per person in the
    snapshot: the participation row (who) and the ballot (what) are written apart,
    linked only by the receipt, which is returned here once and kept nowhere. No
    history event: the chain never tells who voted when."""
    locked = base.lock_vote(vote)
    # Read after the lock was granted: a cast counts only if it is accepted before the
    # close, and the finalisation, which waits for this lock, then counts it.
    now = base.db_now()
    elector = _elector(actor, locked)
    has_voted = (
        elector is not None and Participation.objects.filter(vote=locked, user=actor.user).exists()
    )
    refuse_if(
        cast_refusal(
            actor=actor,
            vote=locked,
            now=now,
            in_electorate=elector is not None,
            has_voted=has_voted,
        )
    )
    assert actor.user is not None
    assert elector is not None
    clean = _clean_choice(choice)
    receipt = new_receipt()
    try:
        with transaction.atomic():
            Participation.objects.create(
                vote=locked, user=actor.user, voter_hash=voter_hash(receipt)
            )
    except IntegrityError:
        raise voted_already() from None
    Ballot.objects.create(
        vote=locked,
        ballot_hash=ballot_hash(receipt),
        choice=clean,
        on_board=elector.on_board and locked.marks_bloc_ballots,
    )
    return Cast(receipt=receipt)


@transaction.atomic
def vote_change(*, actor: Actor, vote: Vote, receipt: str, choice: str) -> None:
    """Change one's ballot while the vote is open (``voting.rules.change_refusal``):
    needs both the voter's sign-in and the receipt given at the cast; someone else's
    receipt, or a mistyped one, is refused and nothing changes."""
    locked = base.lock_vote(vote)
    now = base.db_now()
    elector = _elector(actor, locked)
    participation = (
        None
        if elector is None
        else Participation.objects.filter(vote=locked, user=actor.user).first()
    )
    refuse_if(
        change_refusal(
            actor=actor,
            vote=locked,
            now=now,
            in_electorate=elector is not None,
            has_voted=participation is not None,
        )
    )
    assert participation is not None
    clean = _clean_choice(choice)
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
