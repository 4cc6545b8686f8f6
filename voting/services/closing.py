"""Finalising a vote whose close has come: the tally, the ballots rewritten in random
order, the stored result, the proposal's new state, the event and the notifications."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict
from notifications.services import notify_many
from proposals.models import Proposal
from proposals.selectors import proposal_authors
from spaces.models import Role
from spaces.selectors import members_at
from voting import arithmetic
from voting.models import Ballot, Elector, Vote
from voting.receipts import receipts_csv
from voting.selectors import ballot_counts, decided
from voting.services import base


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


def finalise(locked: Vote, *, now: datetime.datetime, withdrawn: bool) -> None:
    """Tally, rewrite the ballots, store the result by a guarded update, move the
    proposal, append the event (timestamped ``close_at``) and tell the people concerned.
    The caller holds the proposal's and the vote's row locks and the transaction."""
    assert locked.rulebook is not None
    assert locked.close_at is not None
    assert locked.electorate_size is not None
    assert locked.board_size is not None
    everyone, bloc = ballot_counts(locked)
    rules = locked.rules()
    result = decided(locked, everyone, bloc)
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
        "withdrawn": withdrawn,
        "outcome": result.outcome,
        "rule": result.rule,
        "electorate_size": locked.electorate_size,
        "turnout": result.turnout,
        "turnout_needed": result.turnout_needed,
        "counts": _counts_data(everyone),
        "approval": str(result.approval),
        "approval_threshold": str(rules.approval),
        **base.deciding_data(rules, locked.board_size),
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
    base.vote_event("vote.finalised", locked, data, occurred_at=locked.close_at)
    _notify_result(locked, withdrawn=withdrawn)


def _counts_data(counts: arithmetic.Counts) -> dict[str, int]:
    return {"approve": counts.approve, "reject": counts.reject, "abstain": counts.abstain}


def _notify_result(vote: Vote, *, withdrawn: bool) -> None:
    """Tell the authors, the board and everyone in the snapshot, each once."""
    people: dict[int, User] = {person.pk: person for person in proposal_authors(vote.proposal)}
    for person in members_at(space=vote.proposal.space, role=Role.BOARD, moment=base.db_now()):
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
            % {"path": base.proposal_path(vote.proposal)}
        ),
    )


@transaction.atomic
def vote_finalise_if_due(*, vote: Vote) -> bool:
    """Finalise a vote whose close has come on the database clock (the sweep calls
    this): under the vote's row lock, so every cast that was accepted before the close
    is in the tally and none after. A guarded update (``finalised_at IS NULL AND
    close_at <= now``) finalises it once; returns whether this call did."""
    locked = base.lock_vote(vote)
    if locked.finalised_at is not None or locked.close_at is None:
        return False
    now = base.db_now()
    if now < locked.close_at:
        return False
    finalise(locked, now=now, withdrawn=False)
    return True
