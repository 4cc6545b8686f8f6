"""The close of a vote, raced from separate processes released at a barrier: casts around
``close_at`` on the real database clock, finalisations racing those casts, and many
finalisations of one closed vote at once.

What the brief promises and these tests hold the services to: "A cast counts if it is
accepted before ``close_at``, checked under a lock on the vote row. Finalisation is a
guarded ``UPDATE … WHERE finalised_at IS NULL AND close_at <= now()``": every cast that
returned a receipt is in the tally and the receipts list, every refused one left nothing,
and a vote is finalised exactly once, with one event and one set of counts.

PostgreSQL only, like test_cast_race.py: the guard is row locks between concurrent
transactions (``voting.services.base.lock_vote``: the proposal's row, then the vote's), and the
clock is the database's (``core.clock.db_now``, ``realvoice_now()``). SQLite
serialises every writer and has no row locks, so there is no race to test there.

The casts around the close use the real database clock: the vote is opened by the
service on that clock (its opening brought to now with a raw update first, as setting up
a test may), then its close is moved, by a raw update allowed by the model's checks
(``close_at > opened_at``), to a few seconds ahead. Each process waits on the database
clock until its own moment, spread from 1.2 s before the close to 1.2 s after it, so some
casts come before the close and some after, whatever the set-up took. A cast holds its
transaction for ``HOLD`` seconds after writing the participation, as a busy server
would: casts then queue on the locks across the close, and a cast that is not kept out
by them overlaps another, or the finalisation.

The finalisations of a closed vote share one moment after the close (the clock set,
as in test_cast_race.py); the one that finalises holds its transaction for ``HOLD``
seconds after its guarded update, so the others, unless kept out by the locks, overlap it.

Guard experiments (PostgreSQL 15, 2026-11-27, three runs each; each guard replaced by
monkeypatching from a scratch pytest plugin outside the repository, voting/services.py
never edited; the full table is in docs/ballot-secrecy.md, "How this is tested"):
  - row locks removed from ``_lock``: the finalisation racing the casts fails every run,
    a cast that got a receipt is not counted (14 counted, 15 receipts) or ends in the
    ballot trigger's IntegrityError; eight finalisations at once end in IntegrityErrors
    (the ballot trigger, or with the triggers disabled the unique ballot hash);
  - the clock check on casting removed: the first test fails (no cast refused);
  - the early return in ``vote_finalise_if_due`` removed: the finalisations fail with
    the ballot trigger's IntegrityError (with the triggers disabled, the guarded update's
    Conflict "finalised already"); with ``finalised_at IS NULL`` removed too and the
    triggers disabled, every finaliser finalises and appends its event;
  - ``finalised_at IS NULL`` removed alone: all pass; under the locks the early return
    is the guard, and that condition a further line.
"""

from __future__ import annotations

import datetime
import multiprocessing
import time
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models.functions import Now

from accounts.models import User
from advisory import services as advisory_services
from advisory.models import Round
from core.clock import clock_set, db_now
from core.errors import Conflict
from history.models import Event
from history.verification import verify
from spaces.models import Membership, Role
from tests.advisory.conftest import Board, Cast, actor
from tests.concurrency import run_at_barrier
from voting import services
from voting.models import Ballot, Choice, Participation, Vote
from voting.receipts import ballot_hash, voter_hash
from voting.selectors import receipts_list

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.usefixtures("no_delivery_queued"),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): the race is between row locks "
        "of concurrent transactions and the database's clock; SQLite has no row locks",
    ),
    pytest.mark.django_db(transaction=True),
]

CLOSED = "This vote has closed."
VOTERS = 30
# Each voter's moment, relative to the close: from -1.16 s to +1.16 s, 80 ms apart.
SPREAD = 0.08
# The close, this far ahead of the raw update that sets it: time enough to fork the
# processes and connect them before the first voter's moment.
CLOSE_AHEAD = datetime.timedelta(seconds=4)
HOLD = 0.05
FINALISERS = 8
FINALISE_HOLD = 0.3


# --- Set-up --------------------------------------------------------------------------


def _electorate(cast: Cast, count: int) -> list[User]:
    """``count`` people in the space's electorate (no e-mail address: nothing to send)."""
    User.objects.bulk_create(
        User(username=f"closer{n:02}", public_name=f"Closer {n:02}", password="!")
        for n in range(count)
    )
    people = list(User.objects.filter(username__startswith="closer").order_by("username"))
    Membership.objects.bulk_create(
        Membership(space=cast.space, user=person, role=Role.ELECTORATE) for person in people
    )
    return people


def _scheduled(cast: Cast, board: Board, open_round: Round) -> Vote:
    """The board endorses, the authors publish their response: the vote is scheduled."""
    for member in board.members:
        advisory_services.review_give(
            actor=actor(member), round=open_round, verdict="endorse", rationale="Yes"
        )
    advisory_services.response_publish(
        actor=actor(cast.olu), round=Round.objects.get(pk=open_round.pk), answers={}, statement="-"
    )
    return Vote.objects.get(proposal_id=open_round.proposal_id)


def _open_now_closing_soon(vote: Vote) -> Vote:
    """Opened by the service on the real database clock, closing ``CLOSE_AHEAD`` from now."""
    Vote.objects.filter(pk=vote.pk).update(opens_at=Now())
    assert services.vote_open_if_due(vote=vote) is True
    Vote.objects.filter(pk=vote.pk).update(close_at=Now() + CLOSE_AHEAD)
    return Vote.objects.get(pk=vote.pk)


def _connected_then_together(count: int) -> Any:
    """Work for ``run_at_barrier`` that connects first, then waits for all ``count``
    processes to be connected (see test_cast_race.py)."""
    together = multiprocessing.get_context("fork").Barrier(count)

    def run(then: Any) -> Any:
        def work(index: int) -> Any:
            connection.ensure_connection()
            together.wait(timeout=60)
            return then(index)

        return work

    return run


def _wait_until(moment: datetime.datetime) -> None:
    """Sleep until ``moment`` on the database clock."""
    ahead = (moment - db_now()).total_seconds()
    if ahead > 0:
        time.sleep(ahead)


def _holding_after(table: str, hold: float) -> Any:
    """An execute wrapper that holds the transaction ``hold`` seconds after a statement
    writing ``table`` (an INSERT or an UPDATE), as a busy server would."""

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if sql.startswith((f'INSERT INTO "{table}"', f'UPDATE "{table}"')):
            time.sleep(hold)
        return result

    return wrapper


def _cast_at(vote: Vote, voter: User, choice: str, moment: datetime.datetime) -> dict[str, Any]:
    _wait_until(moment)
    outcome: dict[str, Any] = {"voter": voter.pk, "choice": choice}
    with connection.execute_wrapper(_holding_after("voting_participation", HOLD)):
        try:
            outcome["receipt"] = services.vote_cast(
                actor=actor(voter), vote=vote, choice=choice
            ).receipt
        except Conflict as refused:
            outcome["refused"] = refused.message
    return outcome


def _finalise_until_done(vote: Vote, start: datetime.datetime, until: datetime.datetime) -> int:
    """From ``start``, try to finalise every 10 ms until one try does or ``until``
    passes; returns how many tries finalised it (0 or 1)."""
    _wait_until(start)
    while db_now() < until:
        if services.vote_finalise_if_due(vote=vote):
            return 1
        time.sleep(0.01)
    return 0


def _errors(outcomes: list[tuple[int, str, Any]]) -> list[str]:
    return [value for _, status, value in outcomes if status != "ok"]


# --- Casts racing the close --------------------------------------------------------


def _cast_around_the_close(
    cast: Cast,
    board: Board,
    open_round: Round,
    finalisers: int,
) -> tuple[Vote, list[dict[str, Any]], int]:
    """``VOTERS`` processes cast around the close, and ``finalisers`` more try to finalise
    from just before it. Returns the vote, each voter's outcome, and how many of the
    finalisers finalised it."""
    voters = _electorate(cast, VOTERS)
    vote = _open_now_closing_soon(_scheduled(cast, board, open_round))
    close_at = vote.close_at
    assert close_at is not None
    choices = list(Choice.values)

    def work(index: int) -> Any:
        if index >= VOTERS:
            return _finalise_until_done(
                vote,
                close_at - datetime.timedelta(milliseconds=100),
                close_at + datetime.timedelta(seconds=3),
            )
        offset = datetime.timedelta(seconds=(index - (VOTERS - 1) / 2) * SPREAD)
        return _cast_at(vote, voters[index], choices[index % 3], close_at + offset)

    count = VOTERS + finalisers
    outcomes = run_at_barrier(count, _connected_then_together(count)(work))
    errors = _errors(outcomes)
    assert errors == [], "\n".join(errors)
    results = [value for index, _status, value in outcomes if index < VOTERS]
    finalised = sum(value for index, _status, value in outcomes if index >= VOTERS)
    return vote, results, finalised


def _every_receipt_counted_every_refusal_left_nothing(
    vote: Vote, results: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    accepted = [result for result in results if "receipt" in result]
    refused = [result for result in results if "refused" in result]
    assert len(accepted) + len(refused) == VOTERS
    # The spread puts casts on both sides of the close.
    assert accepted, "no cast came before the close: the set-up took too long"
    assert refused, "no cast came after the close"

    vote.refresh_from_db()
    assert vote.finalised_at is not None
    counts = vote.counts()
    assert counts.ballots == len(accepted)
    for choice in Choice.values:
        wanted = sum(1 for result in accepted if result["choice"] == choice)
        assert getattr(counts, choice) == wanted, choice
    # Each receipt's ballot, as cast, in the published list; nothing else in it.
    listed = receipts_list(vote).decode().splitlines()[1:]
    assert sorted(listed) == sorted(
        f"{ballot_hash(result['receipt'])},{result['choice']}" for result in accepted
    )
    assert Ballot.objects.filter(vote=vote).count() == len(accepted)
    # Each voter who got a receipt has its participation; the refused have none.
    assert dict(Participation.objects.filter(vote=vote).values_list("user_id", "voter_hash")) == {
        result["voter"]: voter_hash(result["receipt"]) for result in accepted
    }
    chain = verify()
    assert chain.ok, str(chain)
    return accepted, refused


def test_casts_around_the_close_count_if_accepted_before_it_and_leave_nothing_after(
    cast: Cast,
    board: Board,
    open_round: Round,
) -> None:
    vote, results, finalised = _cast_around_the_close(cast, board, open_round, finalisers=0)
    assert finalised == 0
    close_at = vote.close_at
    assert close_at is not None
    _wait_until(close_at)
    assert services.vote_finalise_if_due(vote=vote) is True

    accepted, refused = _every_receipt_counted_every_refusal_left_nothing(vote, results)
    assert {result["refused"] for result in refused} == {CLOSED}
    print(f"close race: {len(accepted)} casts counted, {len(refused)} refused as closed")


@pytest.mark.parametrize("finalisers", [1, 4], ids=["one finaliser", "four finalisers"])
def test_a_finalisation_at_the_close_counts_every_cast_accepted_before_it(
    cast: Cast,
    board: Board,
    open_round: Round,
    finalisers: int,
) -> None:
    """One process (or four, as when sweeps overlap) tries to finalise from 100 ms before
    the close, every 10 ms, while voters cast around it: the first try at or after the
    close waits for the casts holding the locks, and counts them. A cast after the
    finalisation finds the proposal decided and is refused for that."""
    vote, results, finalised = _cast_around_the_close(
        cast, board, open_round, finalisers=finalisers
    )
    assert finalised == 1
    assert services.vote_finalise_if_due(vote=vote) is False

    accepted, refused = _every_receipt_counted_every_refusal_left_nothing(vote, results)
    assert {result["refused"] for result in refused} <= {CLOSED}
    assert Event.objects.filter(kind="vote.finalised").count() == 1
    print(f"close race with finalisers: {len(accepted)} counted, {len(refused)} refused")


# --- Finalisations racing each other -----------------------------------------------


def test_eight_finalisations_at_once_finalise_once(
    cast: Cast,
    board: Board,
    open_round: Round,
) -> None:
    voters = _electorate(cast, 6)
    vote = _scheduled(cast, board, open_round)
    moment = vote.opens_at + datetime.timedelta(minutes=1)
    with clock_set(moment):
        assert services.vote_open_if_due(vote=vote) is True
        for n, person in enumerate([*voters, *board.members]):
            services.vote_cast(actor=actor(person), vote=vote, choice=Choice.values[n % 3])
    vote.refresh_from_db()
    assert vote.close_at is not None
    ballots_before = sorted(Ballot.objects.filter(vote=vote).values_list("ballot_hash", "choice"))
    assert len(ballots_before) == 9
    events_before = Event.objects.count()

    def finalise(index: int) -> bool:
        with connection.execute_wrapper(_holding_after("voting_vote", FINALISE_HOLD)):
            return services.vote_finalise_if_due(vote=vote)

    after_close = vote.close_at + datetime.timedelta(minutes=1)
    # Inherited by the forked children; the parent calls no service while they run.
    with clock_set(after_close):
        outcomes = run_at_barrier(FINALISERS, _connected_then_together(FINALISERS)(finalise))

    errors = _errors(outcomes)
    assert errors == [], "\n".join(errors)
    assert sorted(value for _, _, value in outcomes) == [False] * (FINALISERS - 1) + [True]
    vote.refresh_from_db()
    assert vote.finalised_at == after_close
    assert vote.counts().ballots == 9
    assert (vote.approve, vote.reject, vote.abstain) == (3, 3, 3)
    assert Event.objects.count() == events_before + 1
    (event,) = Event.objects.filter(kind="vote.finalised")
    assert event.occurred_at == vote.close_at
    assert sorted(Ballot.objects.filter(vote=vote).values_list("ballot_hash", "choice")) == (
        ballots_before
    )
    chain = verify()
    assert chain.ok, str(chain)
