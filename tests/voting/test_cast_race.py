"""Many processes cast ballots in one open vote at once (``voting.services.vote_cast``):
one voter casting fifty times at once casts once, and two hundred voters casting at once
all cast, each with their own receipt.

PostgreSQL only: the guard is row locks (``select_for_update`` on the proposal row, then
the vote row, in ``_lock``) between concurrent transactions, with the unique
participation per voter and vote as a second line; SQLite serialises every writer and
has no row locks, so there is no race to test there.

The vote is built through the services before forking (three board members endorse the
round, the authors publish their response, which schedules the vote, and it is opened
with the database clock set past its opening, ``clock_set``); the children share that
clock, committed in the database, so the vote is open for them, and only see committed data.

Each child watches its own queries (a connection execute wrapper; nothing in the
services is patched): it counts the IntegrityErrors the database raised,
and the cast that writes the participation holds its transaction open for ``HOLD``
seconds, so that casts not kept out by a lock would overlap it. Under the locks every
refusal comes from the check made under them, none from the unique constraint, and the
fifty-casts test asserts so: that is what makes it fail when the locks go.

Guard experiments (PostgreSQL 15, 2026-11-26, in scratch copies of the repository with
``_lock`` locking ``of=("self",)`` as now; voting/services.py itself was never edited),
on the fifty-casts test:
  - both ``select_for_update`` removed from ``_lock`` (failed 8 runs of 8): still one
    participation, one ballot and 49 Conflicts with the same message, but 35 to 49 of
    the refusals came from the unique constraint (the IntegrityError caught around
    ``Participation.objects.create`` and turned into the Conflict), not from the check:
    the casts were no longer serialised. Without ``HOLD`` the overlap is left to chance
    (0 to 13 such refusals; 3 runs of 11 had none and passed).
  - the locks removed and that try/except too (failed 4 runs of 4): 41 to 49 of the 50
    processes ended in an uncaught IntegrityError "duplicate key value violates unique
    constraint voting_participation_once": a server error for the voter, not a 409.
  - only the try/except removed, locks kept (passed 3 runs of 3): under the locks the
    constraint is never reached, so the try/except and the constraint are a second line.

This test first met a ``_lock`` taking ``select_for_update()`` over
``select_related("rulebook")``, a nullable key and so an outer join, which PostgreSQL
refuses ("FOR UPDATE cannot be applied to the nullable side of an outer join", in
``vote_open_if_due`` already); it now locks ``of=("self",)``, the vote's row only.
"""

from __future__ import annotations

import datetime
import multiprocessing
import time
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError, connection

from accounts.models import User
from advisory import services as advisory_services
from advisory.models import Round
from core.clock import clock_set
from core.errors import Conflict
from spaces.models import Membership, Role
from tests.advisory.conftest import Board, Cast, actor
from tests.concurrency import run_at_barrier
from voting import services
from voting.models import Ballot, Choice, Elector, Participation, Vote
from voting.receipts import ballot_hash, voter_hash

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): the race is between row locks "
        "of concurrent transactions, and SQLite has neither (it serialises every writer)",
    ),
    pytest.mark.django_db(transaction=True),
]

ALREADY_VOTED = "You have voted in this vote"

# One voter, this many processes casting at once.
SAME_VOTER_RACERS = 50

# How long a cast holds its transaction open after writing the participation (see
# ``_watching_the_queries``). Only the cast that gets through writes one, so this is
# paid once: under the locks the other 49 wait for it, then find that the voter voted.
HOLD = 0.5

# Two hundred voters casting at once. PostgreSQL here allows 100 connections
# (max_connections) and the machine has two cores, so two hundred processes, one
# connection each, cannot all be connected at once: forty processes are released
# together at the barrier and each casts for five voters in a loop, so all two hundred
# casts contend for the same locks in one burst (forty transactions queued at a time).
VOTERS = 200
VOTER_PROCESSES = 40
VOTERS_PER_PROCESS = VOTERS // VOTER_PROCESSES


def _watching_the_queries(seen: list[int], hold: float) -> Any:
    """A connection execute wrapper that counts the IntegrityErrors the database raised
    and, after a participation row is written, holds the transaction open for ``hold``
    seconds, as a busy server would: it widens the window in which another cast, not
    kept out by a lock, reads that the voter has not voted yet."""

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        try:
            result = execute(sql, params, many, context)
        except IntegrityError:
            seen[0] += 1
            raise
        if hold and sql.startswith('INSERT INTO "voting_participation"'):
            time.sleep(hold)
        return result

    return wrapper


def _open_vote(cast: Cast, board: Board, open_round: Round) -> tuple[Vote, datetime.datetime]:
    """The board endorses the round (it passes), the authors publish their response (the
    vote is scheduled), and the vote is opened at a minute past its opening. Returns the
    opened vote and that moment, for the children's clock."""
    for member in board.members:
        advisory_services.review_give(
            actor=actor(member), round=open_round, verdict="endorse", rationale="Yes"
        )
    passed = Round.objects.get(pk=open_round.pk)
    assert passed.passed is True
    advisory_services.response_publish(
        actor=actor(cast.olu), round=passed, answers={}, statement="Thanks"
    )
    vote = Vote.objects.get(proposal_id=open_round.proposal_id)
    moment = vote.opens_at + datetime.timedelta(minutes=1)
    with clock_set(moment):
        assert services.vote_open_if_due(vote=vote) is True
    vote.refresh_from_db()
    assert vote.opened_at == moment
    return vote, moment


def _connected_then_together(count: int) -> Any:
    """Work for ``run_at_barrier`` that first connects, then waits for the ``count``
    processes to be connected, then runs ``then(index)``: a forked child opens its own
    connection on its first query, and that set-up, one process after another, would
    otherwise spread the casts out after the barrier's release."""
    together = multiprocessing.get_context("fork").Barrier(count)

    def run(then: Any) -> Any:
        def work(index: int) -> Any:
            connection.ensure_connection()
            together.wait(timeout=60)
            return then(index)

        return work

    return run


def _cast_once(vote: Vote, voter: User, choice: str, *, hold: float = 0.0) -> dict[str, Any]:
    """One cast; a Conflict is an answer (the refusal), anything else escapes to
    ``run_at_barrier`` as an error."""
    seen = [0]
    with connection.execute_wrapper(_watching_the_queries(seen, hold)):
        try:
            cast_ballot = services.vote_cast(actor=actor(voter), vote=vote, choice=choice)
            outcome: dict[str, Any] = {"receipt": cast_ballot.receipt}
        except Conflict as refused:
            outcome = {"refused": refused.message}
    outcome["integrity_errors"] = seen[0]
    return outcome


def test_fifty_casts_by_one_voter_at_once_store_one_ballot(
    cast: Cast,
    board: Board,
    open_round: Round,
) -> None:
    vote, moment = _open_vote(cast, board, open_round)
    voter = cast.dee
    assert Elector.objects.filter(vote=vote, user=voter).exists()

    started = time.monotonic()
    # Inherited by the forked children; the parent calls no service while they run.
    with clock_set(moment):
        outcomes = run_at_barrier(
            SAME_VOTER_RACERS,
            _connected_then_together(SAME_VOTER_RACERS)(
                lambda index: _cast_once(vote, voter, Choice.APPROVE, hold=HOLD)
            ),
        )
    elapsed = time.monotonic() - started

    # No child ended in anything but a receipt or a Conflict.
    errors = [value for _, status, value in outcomes if status != "ok"]
    assert errors == [], "\n".join(errors)
    results = [value for _, _, value in outcomes]
    receipts = [result["receipt"] for result in results if "receipt" in result]
    refusals = [result["refused"] for result in results if "refused" in result]

    # Exactly one cast got through; the other 49 were told they have voted.
    assert len(receipts) == 1
    assert len(refusals) == SAME_VOTER_RACERS - 1
    assert all(message.startswith(ALREADY_VOTED) for message in refusals), set(refusals)

    # One participation and one ballot, and they are the receipt's.
    (receipt,) = receipts
    participations = list(Participation.objects.filter(vote=vote))
    assert [(p.user_id, p.voter_hash) for p in participations] == [(voter.pk, voter_hash(receipt))]
    ballots = list(Ballot.objects.filter(vote=vote))
    assert [(b.ballot_hash, b.choice, b.on_board) for b in ballots] == [
        (ballot_hash(receipt), Choice.APPROVE, False)
    ]

    # Under the locks the casts take turns: each refusal is the check made under them,
    # never the unique constraint (the second line, see the module's docstring).
    by_constraint = sum(1 for result in results if result["integrity_errors"])
    assert by_constraint == 0, f"{by_constraint} casts reached the unique constraint"
    print(
        f"cast race, one voter: {SAME_VOTER_RACERS} processes in {elapsed:.1f} s; "
        f"{len(refusals)} refused, {by_constraint} of them by the unique constraint"
    )


def _electorate(cast: Cast, count: int) -> list[User]:
    """``count`` people in the space's electorate, created in bulk (no e-mail address, so
    the opening notifies none of them: nothing to deliver)."""
    User.objects.bulk_create(
        User(username=f"voter{n:03}", public_name=f"Voter {n:03}", password="!")
        for n in range(count)
    )
    voters = list(User.objects.filter(username__startswith="voter").order_by("username"))
    assert len(voters) == count
    Membership.objects.bulk_create(
        Membership(space=cast.space, user=person, role=Role.ELECTORATE) for person in voters
    )
    return voters


def test_two_hundred_voters_casting_at_once_each_store_their_own_ballot(
    cast: Cast,
    board: Board,
    open_round: Round,
) -> None:
    started = time.monotonic()
    # In the electorate before the vote opens, so in its snapshot.
    voters = _electorate(cast, VOTERS)
    vote, moment = _open_vote(cast, board, open_round)
    assert Elector.objects.filter(vote=vote, user__in=voters).count() == VOTERS
    choices = list(Choice.values)
    wanted = {voter.pk: choices[n % len(choices)] for n, voter in enumerate(voters)}
    set_up = time.monotonic() - started

    def cast_for_five(index: int) -> list[dict[str, Any]]:
        mine = voters[index * VOTERS_PER_PROCESS : (index + 1) * VOTERS_PER_PROCESS]
        outcomes = []
        for voter in mine:
            outcome = _cast_once(vote, voter, wanted[voter.pk])
            outcome["voter"] = voter.pk
            outcomes.append(outcome)
        return outcomes

    started = time.monotonic()
    with clock_set(moment):
        outcomes = run_at_barrier(
            VOTER_PROCESSES, _connected_then_together(VOTER_PROCESSES)(cast_for_five)
        )
    elapsed = time.monotonic() - started

    errors = [value for _, status, value in outcomes if status != "ok"]
    assert errors == [], "\n".join(errors)
    results = [result for _, _, values in outcomes for result in values]
    assert sorted(result["voter"] for result in results) == sorted(wanted)

    # Every cast got through, each with its own receipt.
    refused = [result for result in results if "receipt" not in result]
    assert refused == []
    receipts = {result["voter"]: result["receipt"] for result in results}
    assert len(set(receipts.values())) == VOTERS

    # 200 participations, one per voter, each with its receipt's voter hash.
    participations = dict(
        Participation.objects.filter(vote=vote).values_list("user_id", "voter_hash")
    )
    assert Participation.objects.filter(vote=vote).count() == VOTERS
    assert participations == {voter: voter_hash(receipt) for voter, receipt in receipts.items()}

    # 200 ballots, exactly the receipts' ballot hashes, each with the voter's choice.
    ballots = dict(Ballot.objects.filter(vote=vote).values_list("ballot_hash", "choice"))
    assert Ballot.objects.filter(vote=vote).count() == VOTERS
    assert ballots == {ballot_hash(receipts[voter]): wanted[voter] for voter in receipts}

    print(
        f"cast race, {VOTERS} voters: {VOTER_PROCESSES} processes x {VOTERS_PER_PROCESS} "
        f"casts in {elapsed:.1f} s (set-up {set_up:.1f} s)"
    )
