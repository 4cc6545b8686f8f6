"""After a vote is finalised, nothing in the database, the sessions or the logs tells who
chose what: the brief's privacy target, "no database query recovers who chose what after
finalisation", tried attack by attack.

Twenty-seven people (twenty-four voters and the three board members) vote in a known
order with known choices, each signed in through the test client and casting through
the ballot page (through the service where the pages are missing), two of them change
their ballots through the page; the vote is finalised; then each test plays one
attacker who holds the whole database and knows the order in which people voted:

- joins on any column: no value of a ballot column (``id``, ``ballot_hash``) equals a
  value of any participation or elector column, and no table but ``voting_ballot``
  holds a ballot's key or hash (none holds a receipt at all);
- key order: the ballots' keys are all new at finalisation, and pairing ballots with
  participations by any order of keys or hashes guesses choices no better than chance;
- physical order (``ctid`` on PostgreSQL, ``rowid`` on SQLite): the ballots lie in a
  random order, unrelated to the casting; pairing them with the participations in their
  physical order guesses no better than chance;
- transaction ids (PostgreSQL): every ballot carries the finalising transaction's
  ``xmin``, which is no participation's;
- sessions, the messages cookie and the logs hold no receipt, ballot hash or ballot key.

"No better than chance", without flakiness: with 27 ballots (9 approve, 9 reject, 9
abstain) paired at random with the 27 voters, the number of right guesses is 9 on
average, and 24 or more with a probability of 7.5e-9 (computed exactly over the
27!/(9!)^3 orders); the tests allow at most 23. An attack that works guesses all 27.

On PostgreSQL the tests are ``transaction=True``: each cast commits on its own, as on
the site, so rows, transaction ids and physical order are what a real vote leaves.

Guard experiments (2026-11-27, PostgreSQL 15 and SQLite, alike but for ``xmin``;
voting/services.py never edited: each guard replaced by monkeypatching from a pytest
plugin outside the repository):
  - ``_rewrite_ballots_in_random_order`` made a no-op: the search of every table (the old
    keys remain), the new keys, pairing by order and physical order fail, and ``xmin`` on
    PostgreSQL;
  - the rewrite kept but not shuffled: pairing by order and physical order fail;
  - ``voter_hash`` made ``ballot_hash``: columns, the two hashes, the search of every
    table and pairing by order (hash against hash) fail;
  - each receipt logged at DEBUG: the sessions, cookie and logs test fails;
  - the receipt page also putting the receipt in the session: the search of every table
    and the sessions test fail; the "ballot changed" message carrying the receipt: the
    sessions test fails (on the messages cookie).
"""

from __future__ import annotations

import datetime
import itertools
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, RequestFactory

from accounts.models import User
from core.clock import clock_set
from tests.factories import MembershipFactory, UserFactory
from tests.voting.conftest import Board, Cast
from voting import arithmetic, services
from voting.models import Ballot, Choice, Elector, Participation, Vote
from voting.receipts import ballot_hash, receipt_bytes, voter_hash

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# On PostgreSQL each cast commits on its own, as on the site, so that transaction ids and
# physical order are what a real vote leaves. SQLite keeps no transaction id on rows and
# cannot flush the vote's tables after such a test (its triggers refuse the deletes), so
# there the scenario runs in the test's transaction: row order is the same either way.
pytestmark = [
    pytest.mark.django_db(transaction=ON_POSTGRES),
    pytest.mark.usefixtures("no_delivery_queued"),
]
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL (DATABASE_URL=postgres://…): ctid and xmin are PostgreSQL's",
)

VOTERS = 24  # besides the three board members
# Right guesses a pairing may make by chance (see the module's docstring): 24 or more of
# 27 has a probability of 7.5e-9 for a random order.
AT_MOST_BY_CHANCE = 23
SHOWN = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){6}")
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


@dataclass
class Finalised:
    """The finalised vote and what only the test knows: who voted in which order with
    which choice and which receipt, and the ballots' keys before finalisation."""

    vote: Vote
    order: list[tuple[User, str, str]]  # (voter, choice, receipt), in casting order
    keys_before: set[uuid.UUID]
    clients: list[Client]
    log: str

    @property
    def truth(self) -> dict[int, str]:
        return {voter.pk: choice for voter, choice, _receipt in self.order}

    @property
    def receipts(self) -> list[str]:
        return [receipt for _voter, _choice, receipt in self.order]


def _at(moment: Any) -> Any:
    return clock_set(moment)


def _vote_page(vote: Vote, action: str) -> str:
    return f"/spaces/{vote.proposal.space.slug}/proposals/{vote.proposal_id}/vote/{action}/"


def _cast(client: Client, vote: Vote, choice: str) -> str:
    """Cast as the signed-in voter through the page; the receipt is read from the page
    it answers with."""
    response = client.post(_vote_page(vote, "cast"), {"choice": choice})
    assert response.status_code == 200, response.status_code
    shown = set(SHOWN.findall(response.content.decode()))
    assert len(shown) == 1, f"expected the one receipt on the page, found {len(shown)}"
    return shown.pop()


def _change(client: Client, vote: Vote, receipt: str, choice: str) -> None:
    """Change the ballot as the signed-in voter through the page (it answers with a
    redirect and a message, kept in the messages cookie)."""
    response = client.post(_vote_page(vote, "change"), {"receipt": receipt, "choice": choice})
    assert response.status_code == 302, response.status_code


@pytest.fixture
def finalised(
    cast: Cast, board: Board, scheduled_vote: Vote, caplog: pytest.LogCaptureFixture
) -> Finalised:
    """Twenty-four voters join the electorate before the vote opens (so they are in its
    snapshot); the vote opens; they and the board vote in a known order, 9 approve, 9
    reject, 9 abstain, each signed in with a session of their own; two of them change
    their ballots; the vote is finalised at its close. Everything is logged at DEBUG
    into ``caplog``."""
    caplog.set_level(logging.DEBUG)
    voters: list[User] = [
        MembershipFactory(
            space=cast.space, user=UserFactory(username=f"voter{n:02}"), role="electorate"
        ).user
        for n in range(VOTERS)
    ]
    moment = scheduled_vote.opens_at + MINUTE
    with _at(moment):
        assert services.vote_open_if_due(vote=scheduled_vote)
    vote = Vote.objects.select_related("proposal__space").get(pk=scheduled_vote.pk)
    assert vote.close_at is not None
    electors = set(Elector.objects.filter(vote=vote).values_list("user_id", flat=True))
    # Board members in the middle of the order, so the bloc is not simply "the first".
    people: list[User] = [
        *voters[:8],
        board.marcus,
        *voters[8:16],
        board.ama,
        *voters[16:],
        board.ben,
    ]
    assert {person.pk for person in people} <= electors
    choices = list(itertools.islice(itertools.cycle(Choice.values), len(people)))

    order: list[tuple[User, str, str]] = []
    clients = []
    with _at(moment + HOUR):
        for person, choice in zip(people, choices, strict=True):
            client = Client()
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
            clients.append(client)
            order.append((person, choice, _cast(client, vote, choice)))
        # The first two voters swap sides with their receipts (the counts stay 9, 9, 9):
        # a change leaves a message, which must not carry the receipt either.
        (first, was_first, receipt_first), (second, was_second, receipt_second) = order[:2]
        _change(clients[0], vote, receipt_first, was_second)
        _change(clients[1], vote, receipt_second, was_first)
        order[:2] = [(first, was_second, receipt_first), (second, was_first, receipt_second)]
    keys_before = set(Ballot.objects.filter(vote=vote).values_list("id", flat=True))
    assert len(keys_before) == len(people)

    with _at(vote.close_at):
        assert services.vote_finalise_if_due(vote=vote) is True
    vote.refresh_from_db()
    assert vote.counts() == arithmetic.Counts(9, 9, 9)
    return Finalised(
        vote=vote, order=order, keys_before=keys_before, clients=clients, log=caplog.text
    )


def _right_guesses(truth: dict[int, str], people: list[int], choices: list[str]) -> int:
    """How many choices an attacker gets right by pairing the i-th person with the i-th
    ballot."""
    assert len(people) == len(choices)
    return sum(truth[person] == choice for person, choice in zip(people, choices, strict=True))


def _physical_order(table: str, column: str, vote: Vote) -> list[Any]:
    """``column`` of the vote's rows in ``table`` in the order they lie on disk: by
    ``ctid`` on PostgreSQL, by ``rowid`` on SQLite (an ordinary rowid table)."""
    place = "ctid" if ON_POSTGRES else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "{column}" FROM "{table}" WHERE vote_id = %s ORDER BY {place}',
            [vote.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def _kendall_tau(ranks: list[int]) -> float:
    """Kendall's tau between ``ranks`` and 0, 1, 2, …: 1 for the same order, -1 reversed,
    about 0 (standard deviation 0.14 for 27) for a random one."""
    pairs = list(itertools.combinations(range(len(ranks)), 2))
    concordant = sum(1 if ranks[i] < ranks[j] else -1 for i, j in pairs)
    return concordant / len(pairs)


def _text(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def _normal(value: Any) -> str:
    """A value as an attacker would compare it: lower case, no dashes (a UUID stored as
    32 hex digits on SQLite and with dashes on PostgreSQL compares equal)."""
    return _text(value).lower().replace("-", "")


def _rows(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')
        columns = [column[0] for column in cursor.description]
        return columns, cursor.fetchall()


# --- Joins on columns -------------------------------------------------------------


def test_no_ballot_column_shares_a_value_with_a_participation_or_elector_column(
    finalised: Finalised,
) -> None:
    """Every ballot column that tells one ballot from another, against every column of
    the participations and the electors, compared value by value as stored. The others
    give a join nothing: ``vote_id`` is the same on every ballot of the vote, and the
    ``on_board`` flag is the advisory bloc, by design (see the docs). A new column on
    ballots fails this test until it is added here, after thought."""
    ballot_columns, ballot_rows = _rows("voting_ballot")
    assert set(ballot_columns) == {"id", "vote_id", "ballot_hash", "choice", "on_board"}
    assert len(ballot_rows) == len(finalised.order)
    assert len({row[ballot_columns.index("vote_id")] for row in ballot_rows}) == 1
    for other in ("voting_participation", "voting_elector"):
        other_columns, other_rows = _rows(other)
        for ballot_column in ("id", "ballot_hash", "choice"):
            b = ballot_columns.index(ballot_column)
            ballot_values = {_normal(row[b]) for row in ballot_rows}
            for o, other_column in enumerate(other_columns):
                shared = ballot_values & {_normal(row[o]) for row in other_rows}
                assert not shared, (ballot_column, other, other_column, shared)


def test_a_voters_two_hashes_differ_and_neither_is_stored_beside_the_other(
    finalised: Finalised,
) -> None:
    participations = dict(
        Participation.objects.filter(vote=finalised.vote).values_list("user_id", "voter_hash")
    )
    ballots = set(Ballot.objects.filter(vote=finalised.vote).values_list("ballot_hash", flat=True))
    for voter, _choice, receipt in finalised.order:
        assert participations[voter.pk] == voter_hash(receipt)
        assert ballot_hash(receipt) in ballots
        assert voter_hash(receipt) != ballot_hash(receipt)
    assert not set(participations.values()) & ballots


def test_no_other_table_holds_a_receipt_or_a_ballots_key_or_hash(finalised: Finalised) -> None:
    """Every column of every table, read as text, searched for each receipt (as shown, as
    typed without dashes, and its 128 bits in hex), each ballot hash and key (now and
    before finalisation) and each voter hash. Sessions are stored signed and compressed,
    so they are searched decoded."""
    vote = finalised.vote
    receipts: set[str] = set()
    for receipt in finalised.receipts:
        receipts |= {_normal(receipt), receipt_bytes(receipt).hex()}
    ballot_values = {
        _normal(value)
        for row in Ballot.objects.filter(vote=vote).values_list("id", "ballot_hash")
        for value in row
    }
    old_keys = {_normal(key) for key in finalised.keys_before}
    voter_hashes = set(Participation.objects.filter(vote=vote).values_list("voter_hash", flat=True))
    allowed = {
        "voting_ballot": receipts | old_keys | voter_hashes,
        "voting_participation": receipts | ballot_values | old_keys,
    }
    everything = receipts | ballot_values | old_keys | voter_hashes
    tables = connection.introspection.table_names()
    assert "voting_ballot" in tables
    assert "django_session" in tables
    for table in tables:
        needles = allowed.get(table, everything)
        _columns, rows = _rows(table)
        if table == "django_session":
            rows = [(*row, repr(SessionStore().decode(row[1]))) for row in rows]
        for row in rows:
            text = " ".join(_normal(value) for value in row)
            found = [needle for needle in needles if needle in text]
            assert not found, (table, found[:3])


# --- Key order ----------------------------------------------------------------------


def test_finalisation_gives_every_ballot_a_new_random_key(finalised: Finalised) -> None:
    keys = list(Ballot.objects.filter(vote=finalised.vote).values_list("id", flat=True))
    assert len(keys) == len(finalised.keys_before)
    assert not set(keys) & finalised.keys_before
    assert all(key.version == 4 for key in keys)
    participation_keys = set(
        Participation.objects.filter(vote=finalised.vote).values_list("id", flat=True)
    )
    assert not set(keys) & participation_keys


def _orders_of_people(finalised: Finalised) -> dict[str, list[int]]:
    """The voters in each order an attacker can read from the rows about people, and the
    order of casting itself (which a person watching the site might know)."""
    vote = finalised.vote
    participations = Participation.objects.filter(vote=vote)
    elector_of = dict(Elector.objects.filter(vote=vote).values_list("user_id", "pk"))
    users = list(participations.values_list("user_id", flat=True))
    by_row = dict(participations.values_list("id", "user_id"))
    return {
        "casting": [voter.pk for voter, _choice, _receipt in finalised.order],
        "participation key": list(participations.order_by("id").values_list("user_id", flat=True)),
        "participation voter hash": list(
            participations.order_by("voter_hash").values_list("user_id", flat=True)
        ),
        "user id": sorted(users),
        "elector key": sorted(users, key=elector_of.__getitem__),
        "participation on disk": [
            by_row[_as_uuid(key)]
            for key in _physical_order("voting_participation", "id", finalised.vote)
        ],
    }


def _orders_of_ballots(finalised: Finalised) -> dict[str, list[str]]:
    ballots = Ballot.objects.filter(vote=finalised.vote)
    return {
        "ballot key": list(ballots.order_by("id").values_list("choice", flat=True)),
        "ballot hash": list(ballots.order_by("ballot_hash").values_list("choice", flat=True)),
        "ballot on disk": _physical_order("voting_ballot", "choice", finalised.vote),
    }


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def test_pairing_ballots_and_voters_in_any_order_guesses_no_better_than_chance(
    finalised: Finalised,
) -> None:
    """Each order of the people (casting, keys, hashes, user and elector ids, disk) against
    each order of the ballots (keys, hashes, disk): the i-th person is guessed to have
    made the i-th ballot's choice."""
    truth = finalised.truth
    results = {
        (people_order, ballot_order): _right_guesses(truth, people, choices)
        for (people_order, people), (ballot_order, choices) in itertools.product(
            _orders_of_people(finalised).items(), _orders_of_ballots(finalised).items()
        )
    }
    assert max(results.values()) <= AT_MOST_BY_CHANCE, results


# --- Physical order ----------------------------------------------------------------


def test_the_ballots_lie_on_disk_in_an_order_unrelated_to_the_casting(
    finalised: Finalised,
) -> None:
    """``ctid`` on PostgreSQL, ``rowid`` on SQLite. The casting order would give tau = 1;
    a random one gives |tau| > 0.75 with a probability under 1e-7."""
    cast_rank = {ballot_hash(receipt): n for n, receipt in enumerate(finalised.receipts)}
    on_disk = _physical_order("voting_ballot", "ballot_hash", finalised.vote)
    ranks = [cast_rank[hashed] for hashed in on_disk]
    assert sorted(ranks) == list(range(len(finalised.order)))
    assert ranks != sorted(ranks)
    assert abs(_kendall_tau(ranks)) < 0.75, ranks


# --- Transaction ids (PostgreSQL) ---------------------------------------------------


def _xmins(table: str, vote: Vote, *, key: str = "vote_id") -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT xmin::text FROM "{table}" WHERE {key} = %s', [vote.pk])
        return [row[0] for row in cursor.fetchall()]


@postgres_only
def test_every_ballot_carries_the_finalising_transactions_id_and_no_participation_does(
    finalised: Finalised,
) -> None:
    ballots = _xmins("voting_ballot", finalised.vote)
    participations = _xmins("voting_participation", finalised.vote)
    (finalising,) = _xmins("voting_vote", finalised.vote, key="id")
    assert len(ballots) == len(participations) == len(finalised.order)
    # Each cast committed on its own: one transaction id per participation.
    assert len(set(participations)) == len(participations)
    assert set(ballots) == {finalising}
    assert finalising not in participations


# --- Sessions, the messages cookie and the logs --------------------------------------


def test_no_session_cookie_or_log_line_holds_a_receipt_or_a_ballot(finalised: Finalised) -> None:
    vote = finalised.vote
    secrets_of_the_vote = {_normal(receipt) for receipt in finalised.receipts}
    secrets_of_the_vote |= {receipt_bytes(receipt).hex() for receipt in finalised.receipts}
    for row in Ballot.objects.filter(vote=vote).values_list("id", "ballot_hash"):
        secrets_of_the_vote |= {_normal(value) for value in row}
    secrets_of_the_vote |= {_normal(key) for key in finalised.keys_before}
    secrets_of_the_vote |= set(
        Participation.objects.filter(vote=vote).values_list("voter_hash", flat=True)
    )

    sessions = list(Session.objects.all())
    assert len(sessions) == len(finalised.order)  # one for each voter, signed in
    for session in sessions:
        text = _normal(repr(session.get_decoded()))
        assert not [s for s in secrets_of_the_vote if s in text]

    read = 0
    for client in finalised.clients:
        cookie = client.cookies.get(CookieStorage.cookie_name)
        if cookie is None or not cookie.value:
            continue
        request = RequestFactory().get("/")
        request.COOKIES[CookieStorage.cookie_name] = cookie.value
        messages = [str(message) for message in CookieStorage(request)]
        read += bool(messages)
        text = _normal(" ".join(messages))
        assert not [s for s in secrets_of_the_vote if s in text]
    # The two changes made through the page each left a message in its cookie.
    assert read == 2

    log = _normal(finalised.log)
    assert not [s for s in secrets_of_the_vote if s in log]
