"""The database keeps a vote's record as written (voting migration 0003), on PostgreSQL
and SQLite: no raw statement rewrites a finalised result or the ballots behind it, and
who voted and who could vote are never changed or removed."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import User
from core.clock import clock_set
from tests.voting.conftest import MINUTE, Cast, actor
from voting import services
from voting.models import Ballot, Elector, Participation, Vote

HOUR = datetime.timedelta(hours=1)


def _refused(sql: str, params: list[int | str | bool]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _cast(who: User, vote: Vote, choice: str) -> None:
    assert vote.opened_at is not None
    with clock_set(vote.opened_at + HOUR):
        services.vote_cast(actor=actor(who), vote=vote, choice=choice)


@pytest.fixture
def finalised_vote(cast: Cast, open_vote: Vote) -> Vote:
    _cast(cast.dee, open_vote, "reject")
    assert open_vote.close_at is not None
    with clock_set(open_vote.close_at + MINUTE):
        assert services.vote_finalise_if_due(vote=open_vote)
    open_vote.refresh_from_db()
    return open_vote


def test_a_finalised_result_cannot_be_rewritten(finalised_vote: Vote) -> None:
    for sql in [
        "UPDATE voting_vote SET outcome = 'adopted', rule = 'passed' WHERE id = %s",
        "UPDATE voting_vote SET reject = 0, approve = 1 WHERE id = %s",
        "UPDATE voting_vote SET receipts_sha256 = repeat('0', 64) WHERE id = %s"
        if connection.vendor == "postgresql"
        else "UPDATE voting_vote SET receipts_sha256 = hex(zeroblob(32)) WHERE id = %s",
        "DELETE FROM voting_vote WHERE id = %s",
    ]:
        _refused(sql, [finalised_vote.pk])
    finalised_vote.refresh_from_db()
    assert (finalised_vote.outcome, finalised_vote.reject) == ("rejected", 1)


def test_the_ballots_of_a_finalised_vote_cannot_be_changed(finalised_vote: Vote) -> None:
    ballot = Ballot.objects.get(vote=finalised_vote)
    _refused("UPDATE voting_ballot SET choice = 'approve' WHERE vote_id = %s", [finalised_vote.pk])
    _refused("DELETE FROM voting_ballot WHERE vote_id = %s", [finalised_vote.pk])
    _refused(
        "INSERT INTO voting_ballot (id, vote_id, ballot_hash, choice, on_board) "
        "VALUES (%s, %s, %s, 'approve', %s)",
        ["0" * 32, finalised_vote.pk, "a" * 64, False],
    )
    assert list(Ballot.objects.values_list("id", "choice")) == [(ballot.pk, "reject")]


def test_while_open_only_a_ballots_choice_changes(cast: Cast, open_vote: Vote) -> None:
    _cast(cast.dee, open_vote, "reject")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE voting_ballot SET choice = 'approve' WHERE vote_id = %s", [open_vote.pk]
        )
    _refused(
        "UPDATE voting_ballot SET ballot_hash = %s WHERE vote_id = %s", ["b" * 64, open_vote.pk]
    )
    _refused("UPDATE voting_ballot SET on_board = %s WHERE vote_id = %s", [True, open_vote.pk])
    assert Ballot.objects.get().choice == "approve"


def test_who_voted_and_who_could_vote_are_kept(cast: Cast, open_vote: Vote) -> None:
    _cast(cast.dee, open_vote, "approve")
    electors = Elector.objects.count()
    _refused("DELETE FROM voting_participation WHERE vote_id = %s", [open_vote.pk])
    _refused("UPDATE voting_participation SET voter_hash = 'x' WHERE vote_id = %s", [open_vote.pk])
    _refused("DELETE FROM voting_elector WHERE vote_id = %s", [open_vote.pk])
    _refused("UPDATE voting_elector SET on_board = %s WHERE vote_id = %s", [True, open_vote.pk])
    assert Participation.objects.count() == 1
    assert Elector.objects.count() == electors
