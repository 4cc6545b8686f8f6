"""Closing a vote: the database clock decides; the minute sweep finalises what has
closed, once, with the tally by the frozen rules, the ballots rewritten in random order,
the proposal moved and one event at ``close_at``; 24 hours before the close those who
have not voted are reminded; a withdrawal during the vote ends it with its count
published, marked withdrawn.

The electorate here is Dee, the board of three (Marcus, Ama, Ben) and the voters
added by ``electorate``. With the default rulebook's dual majority the advisory bloc
needs at least the minimum group size (5) of ballots, more than a board of three can
give, so most tests turn dual majority off before the vote opens (``single_majority``);
the tests of the bloc add board members instead."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from accounts.authority import Actor
from accounts.models import User
from core.clock import clock_set
from core.errors import Conflict
from history.chain import decode_data
from history.models import Event
from history.verification import verify
from notifications.models import Notification
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces import services as space_services
from spaces.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.support import recipient_name
from tests.voting.conftest import MINUTE, Board, Cast, actor
from voting import services
from voting.models import Ballot, Elector, Participation, Vote
from voting.receipts import ballot_hash, receipts_csv
from voting.selectors import receipts_list, result_document

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _at(moment: datetime.datetime) -> Any:
    return clock_set(moment)


def _open(vote: Vote) -> Vote:
    with _at(vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=vote)
    vote.refresh_from_db()
    return vote


def _cast(who: User, vote: Vote, choice: str) -> str:
    assert vote.opened_at is not None
    with _at(vote.opened_at + HOUR):
        return services.vote_cast(actor=actor(who), vote=vote, choice=choice).receipt


def _finalise_at_close(vote: Vote, after: datetime.timedelta = MINUTE) -> bool:
    assert vote.close_at is not None
    with _at(vote.close_at + after):
        finalised = services.vote_finalise_if_due(vote=vote)
    vote.refresh_from_db()
    return finalised


def _facilitator(cast: Cast) -> Actor:
    user = UserFactory(username="fay", public_name="Fay")
    MembershipFactory(space=cast.space, user=user, role="facilitator")
    return Actor(user=user, mfa=True, recently_authenticated=True)


def _event() -> dict[str, Any]:
    event = Event.objects.get(kind="vote.finalised")
    data = decode_data(event.content.data)
    assert data is not None
    return {"event": event, **data}


def _state(vote: Vote) -> str:
    return Proposal.objects.get(pk=vote.proposal_id).state


@pytest.fixture(autouse=True)
def _the_chain_verifies_after_each_scenario(db: None) -> Iterator[None]:
    yield
    result = verify()
    assert result.ok, str(result)


@pytest.fixture
def electorate(cast: Cast) -> list[User]:
    """Eight more people in the space's electorate, in before the vote opens."""
    return [
        MembershipFactory(
            space=cast.space, user=UserFactory(username=f"voter{n}"), role="electorate"
        ).user
        for n in range(8)
    ]


@pytest.fixture
def single_majority(cast: Cast) -> None:
    """The space's rulebook without dual majority, adopted before the vote opens."""
    space_services.rulebook_change(actor=_facilitator(cast), space=cast.space, dual_majority=False)


@pytest.fixture
def vote(scheduled_vote: Vote, electorate: list[User], single_majority: None) -> Vote:
    """Opened with 12 in the snapshot (Dee, the board, eight voters): quorum 3 (1/4)."""
    opened = _open(scheduled_vote)
    assert opened.electorate_size == 12
    return opened


# --- When ---


def test_nothing_is_finalised_before_the_close(cast: Cast, vote: Vote) -> None:
    _cast(cast.dee, vote, "approve")
    assert vote.close_at is not None
    with _at(vote.close_at - datetime.timedelta(microseconds=1)):
        assert not services.vote_finalise_if_due(vote=vote)
        assert services.votes_sweep().finalised == 0
    vote.refresh_from_db()
    assert vote.finalised_at is None
    assert vote.stage(vote.close_at - MINUTE) == "open"
    assert vote.stage(vote.close_at) == "counting"
    assert _state(vote) == Proposal.State.VOTING
    assert not Event.objects.filter(kind="vote.finalised").exists()


def test_at_its_close_the_sweep_finalises_the_vote_once(
    cast: Cast, board: Board, electorate: list[User], vote: Vote
) -> None:
    for who, choice in [
        (cast.dee, "approve"),
        (board.marcus, "approve"),
        (electorate[0], "approve"),
        (electorate[1], "reject"),
        (electorate[2], "abstain"),
    ]:
        _cast(who, vote, choice)
    assert vote.close_at is not None

    with _at(vote.close_at + MINUTE):
        assert services.votes_sweep().finalised == 1
        assert services.votes_sweep().finalised == 0
        assert not services.vote_finalise_if_due(vote=vote)

    vote.refresh_from_db()
    assert vote.finalised_at == vote.close_at + MINUTE
    assert (vote.approve, vote.reject, vote.abstain) == (3, 1, 1)
    # A board of three is below the minimum group size: its ballots are never marked.
    assert (vote.bloc_approve, vote.bloc_reject, vote.bloc_abstain) == (0, 0, 0)
    assert (vote.outcome, vote.rule) == ("adopted", "passed")
    assert not vote.withdrawn
    assert vote.stage(vote.close_at + HOUR) == "finalised"
    assert _state(vote) == Proposal.State.ADOPTED

    data = _event()
    assert Event.objects.filter(kind="vote.finalised").count() == 1
    # The event is dated at the close, not at the sweep that came after it.
    assert data["event"].occurred_at == vote.close_at
    assert data["event"].actor_role == "system"
    assert data["outcome"] == "adopted"
    assert data["rule"] == "passed"
    assert data["counts"] == {"approve": 3, "reject": 1, "abstain": 1}
    assert data["turnout"] == 5
    assert data["turnout_needed"] == 3
    assert data["electorate_size"] == 12
    assert data["approval"] == "3/4"
    assert data["approval_threshold"] == "1/2 (more than)"
    assert data["content_hash"] == vote.version.content_hash
    # Five ballots, only one from the board: no counts by group.
    assert "counts_advisory_board" not in data
    published = receipts_list(vote)
    assert data["receipts_sha256"] == vote.receipts_sha256
    assert vote.receipts_sha256 == hashlib.sha256(published).hexdigest()
    assert published.count(b"\n") == 6  # the header and five ballots


def test_the_result_summary_agrees_with_the_receipts_list(cast: Cast, vote: Vote) -> None:
    receipt = _cast(cast.dee, vote, "reject")
    _finalise_at_close(vote)
    published = receipts_list(vote)
    assert f"{ballot_hash(receipt)},reject\n".encode() in published
    summary = result_document(vote, published)
    assert b'"outcome": "failed"' in summary  # one ballot of twelve: no quorum
    assert hashlib.sha256(published).hexdigest().encode() in summary


@pytest.mark.parametrize(
    ("choices", "outcome", "rule", "state"),
    [
        (["approve", "approve", "reject"], "adopted", "passed", Proposal.State.ADOPTED),
        # Quorum 3 of 12: two ballots are no decision at all, however they lean.
        (["approve", "approve"], "failed", "no_quorum", Proposal.State.FAILED),
        # "More than 1/2": a tie does not pass.
        (["approve", "reject", "abstain"], "rejected", "threshold", Proposal.State.REJECTED),
        (["approve", "approve", "reject", "reject"], "rejected", "threshold", "rejected"),
        # Everyone abstaining makes a quorum but no approval.
        (["abstain", "abstain", "abstain"], "rejected", "threshold", Proposal.State.REJECTED),
    ],
    ids=["adopted", "no quorum", "tie with an abstention", "tie", "all abstain"],
)
def test_the_outcome_follows_the_tally_and_moves_the_proposal(
    electorate: list[User],
    vote: Vote,
    choices: list[str],
    outcome: str,
    rule: str,
    state: str,
) -> None:
    for who, choice in zip(electorate, choices, strict=False):
        _cast(who, vote, choice)
    assert _finalise_at_close(vote)
    assert (vote.outcome, vote.rule) == (outcome, rule)
    assert _state(vote) == state
    assert _event()["rule"] == rule


def test_a_changed_ballot_is_counted_as_changed(
    cast: Cast, electorate: list[User], vote: Vote
) -> None:
    receipt = _cast(cast.dee, vote, "approve")
    _cast(electorate[0], vote, "reject")
    _cast(electorate[1], vote, "reject")
    assert vote.opened_at is not None
    with _at(vote.opened_at + 2 * HOUR):
        services.vote_change(actor=actor(cast.dee), vote=vote, receipt=receipt, choice="reject")
    _finalise_at_close(vote)
    assert (vote.approve, vote.reject) == (0, 3)
    assert f"{ballot_hash(receipt)},reject\n".encode() in receipts_list(vote)


# --- Secrecy at finalisation ---


def test_finalisation_rewrites_the_ballots_under_new_keys(
    electorate: list[User], vote: Vote
) -> None:
    for who in electorate:
        _cast(who, vote, "approve")
    before = dict(Ballot.objects.values_list("ballot_hash", "id"))
    _finalise_at_close(vote)
    after = dict(Ballot.objects.values_list("ballot_hash", "id"))
    # The same ballots (hash and choice), none under the key it was cast with.
    assert set(after) == set(before)
    assert not set(after.values()) & set(before.values())
    assert set(Ballot.objects.values_list("choice", flat=True)) == {"approve"}


def test_the_receipts_list_publishes_hashes_only_when_the_rulebook_says_so(
    cast: Cast, scheduled_vote: Vote, electorate: list[User], single_majority: None
) -> None:
    space_services.rulebook_change(
        actor=Actor(user=User.objects.get(username="fay"), mfa=True, recently_authenticated=True),
        space=cast.space,
        publish_receipt_choices=False,
    )
    vote = _open(scheduled_vote)
    receipt = _cast(cast.dee, vote, "approve")
    _finalise_at_close(vote)
    published = receipts_list(vote)
    assert published == receipts_csv([(ballot_hash(receipt), "approve")], with_choices=False)
    assert b"approve" not in published
    assert _event()["choices_published"] is False


# --- Dual majority ---


@pytest.fixture
def big_board(cast: Cast, board: Board, scheduled_vote: Vote) -> list[User]:
    """Three more board members, joined after the round but before the vote opens: the
    advisory bloc is the board at the opening, six people."""
    return [
        MembershipFactory(
            space=cast.space, user=UserFactory(username=f"board{n}"), role="board"
        ).user
        for n in range(3)
    ]


def test_with_dual_majority_a_bloc_below_the_group_size_leaves_the_decision_to_everyone(
    board: Board, electorate: list[User], scheduled_vote: Vote
) -> None:
    """The board of three is below the minimum group size of five: a separate count would
    show how its members voted, so the whole electorate decides. Before, such a vote
    failed every time for "no advisory quorum"."""
    vote = _open(scheduled_vote)  # the default rulebook: dual majority on
    assert (vote.board_size, vote.whole_electorate, vote.bloc_counted_apart) == (3, True, False)
    opened = decode_data(Event.objects.get(kind="vote.opened").content.data)
    assert opened is not None
    assert opened["decided_by_whole_electorate"] is True
    assert opened["advisory_bloc_counted_apart"] is False
    for who in board.members:
        _cast(who, vote, "reject")
    for who in electorate:
        _cast(who, vote, "approve")
    # The board's ballots are not marked as the bloc's: the database keeps no count of them.
    assert not Ballot.objects.filter(vote=vote, on_board=True).exists()
    _finalise_at_close(vote)
    # Eight approve, three reject: the electorate's share passes and decides.
    assert (vote.outcome, vote.rule) == ("adopted", "passed")
    assert (vote.bloc_approve, vote.bloc_reject, vote.bloc_abstain) == (0, 0, 0)
    assert _state(vote) == Proposal.State.ADOPTED
    data = _event()
    assert data["decided_by_whole_electorate"] is True
    assert data["advisory_bloc_counted_apart"] is False
    assert "advisory_turnout_needed" not in data
    assert "advisory_turnout" not in data


def test_a_board_member_on_leave_at_the_opening_votes_as_an_ordinary_elector(
    board: Board, big_board: list[User], electorate: list[User], scheduled_vote: Vote
) -> None:
    """Six on the board, one on leave at the opening: the bloc is five (the group size),
    counted apart; the member on leave is in the electorate, and their ballot is not the
    bloc's."""
    on_leave = big_board[0]
    space_services.leave_start(
        actor=actor(on_leave), membership=Membership.objects.get(user=on_leave, role="board")
    )
    vote = _open(scheduled_vote)
    assert (vote.board_size, vote.electorate_size) == (5, 15)
    assert vote.bloc_counted_apart
    assert Elector.objects.filter(vote=vote, user=on_leave, on_board=False).exists()
    for who in [*board.members, *big_board[1:]]:
        _cast(who, vote, "approve")
    _cast(on_leave, vote, "reject")
    for who in electorate[:5]:
        _cast(who, vote, "approve")
    _finalise_at_close(vote)
    assert (vote.approve, vote.reject) == (10, 1)
    assert (vote.bloc_approve, vote.bloc_reject) == (5, 0)
    assert (vote.outcome, vote.rule) == ("adopted", "passed")
    data = _event()
    assert data["advisory_bloc_counted_apart"] is True
    assert data["advisory_turnout_needed"] == 5
    # Five in the bloc, six others (the member on leave among them): both published.
    assert data["counts_advisory_board"] == {"approve": 5, "reject": 0, "abstain": 0}
    assert data["counts_everyone_else"] == {"approve": 5, "reject": 1, "abstain": 0}


def test_a_leave_that_takes_the_bloc_below_the_group_size_leaves_the_decision_to_everyone(
    board: Board, big_board: list[User], electorate: list[User], scheduled_vote: Vote
) -> None:
    """Six on the board, two on leave at the opening: a bloc of four, below five, so the
    bloc's "no" does not reject what the electorate approves."""
    for person in big_board[:2]:
        space_services.leave_start(
            actor=actor(person), membership=Membership.objects.get(user=person, role="board")
        )
    vote = _open(scheduled_vote)
    assert (vote.board_size, vote.whole_electorate) == (4, True)
    for who in [*board.members, big_board[2]]:
        _cast(who, vote, "reject")
    for who in electorate:
        _cast(who, vote, "approve")
    _finalise_at_close(vote)
    assert (vote.outcome, vote.rule) == ("adopted", "passed")
    assert _event()["decided_by_whole_electorate"] is True


def test_with_dual_majority_the_bloc_can_reject_what_the_electorate_approves(
    board: Board, big_board: list[User], electorate: list[User], scheduled_vote: Vote
) -> None:
    vote = _open(scheduled_vote)
    assert vote.board_size == 6
    for who in [*board.members, *big_board[:2]]:
        _cast(who, vote, "reject")
    for who in electorate:
        _cast(who, vote, "approve")
    _finalise_at_close(vote)
    # Everyone: 8 approve, 5 reject; the bloc: 0 of 5.
    assert (vote.approve, vote.reject) == (8, 5)
    assert (vote.outcome, vote.rule) == ("rejected", "advisory_bloc_threshold")
    data = _event()
    # Five in the bloc and eight others: both groups reach the minimum size of five.
    assert data["counts_advisory_board"] == {"approve": 0, "reject": 5, "abstain": 0}
    assert data["counts_everyone_else"] == {"approve": 8, "reject": 0, "abstain": 0}


def test_with_dual_majority_both_passing_adopts(
    board: Board, big_board: list[User], electorate: list[User], scheduled_vote: Vote
) -> None:
    vote = _open(scheduled_vote)
    for who in [*board.members, *big_board, *electorate[:3]]:
        _cast(who, vote, "approve")
    _finalise_at_close(vote)
    assert (vote.outcome, vote.rule) == ("adopted", "passed")
    # Three ballots outside the bloc: below five, so no group's counts are published.
    assert "counts_advisory_board" not in _event()


# --- Withdrawal ---


def test_a_withdrawal_during_the_vote_ends_it_and_publishes_its_count(
    cast: Cast, board: Board, electorate: list[User], vote: Vote
) -> None:
    for who in electorate[:4]:
        _cast(who, vote, "approve")
    assert vote.opened_at is not None
    moment = vote.opened_at + 2 * HOUR
    with _at(moment):
        proposal_services.proposal_withdraw(
            actor=actor(cast.olu), proposal=vote.proposal, reason="Funding fell through."
        )
    vote.refresh_from_db()
    assert vote.withdrawn
    assert vote.close_at == moment
    assert vote.finalised_at == moment
    assert vote.approve == 4
    assert (vote.outcome, vote.rule) == ("adopted", "passed")  # what the count said
    assert _state(vote) == Proposal.State.WITHDRAWN
    data = _event()
    assert data["withdrawn"] is True
    assert data["event"].occurred_at == moment
    # The sweep has nothing left to do, and no ballot is taken any more.
    with _at(moment + 20 * DAY):
        assert services.votes_sweep().finalised == 0
    told = Notification.objects.filter(kind="vote.result")
    assert told.exists()
    assert all("withdrawn" in row.body for row in told)


def test_no_withdrawal_while_the_closed_vote_is_being_counted(cast: Cast, vote: Vote) -> None:
    _cast(cast.dee, vote, "approve")
    assert vote.close_at is not None
    with _at(vote.close_at + MINUTE), pytest.raises(Conflict, match="being counted"):
        proposal_services.proposal_withdraw(
            actor=actor(cast.olu), proposal=vote.proposal, reason="Too late."
        )
    vote.refresh_from_db()
    assert vote.finalised_at is None
    assert _state(vote) == Proposal.State.VOTING
    assert not Event.objects.filter(kind="proposal.withdrawn").exists()


# --- Reminder and result notices ---


def test_a_day_before_the_close_only_those_who_have_not_voted_are_reminded(
    cast: Cast, board: Board, electorate: list[User], vote: Vote
) -> None:
    _cast(cast.dee, vote, "approve")
    _cast(board.marcus, vote, "reject")
    assert vote.close_at is not None
    with _at(vote.close_at - services.REMINDER_BEFORE_CLOSE - MINUTE):
        assert services.votes_sweep().reminded == 0
    with _at(vote.close_at - services.REMINDER_BEFORE_CLOSE + MINUTE):
        assert services.votes_sweep().reminded == 1
        assert services.votes_sweep().reminded == 0

    told = Notification.objects.filter(kind="vote.closing_soon").select_related("recipient")
    names = sorted(recipient_name(row) for row in told)
    assert names == sorted(["ama", "ben", *(person.username for person in electorate)])
    # One notice per person: nobody's message names anyone else.
    assert len(names) == len(set(names))
    for row in told:
        assert "(UTC)" in row.body
        assert "dee" not in row.body.lower()


def test_the_result_is_announced_to_authors_board_and_electorate_each_once(
    cast: Cast, board: Board, electorate: list[User], vote: Vote
) -> None:
    _cast(cast.dee, vote, "approve")
    _finalise_at_close(vote)
    told = sorted(
        Notification.objects.filter(kind="vote.result").values_list(
            "recipient__username", flat=True
        )
    )
    expected = ["olu", "dee", "marcus", "ama", "ben", *(person.username for person in electorate)]
    assert told == sorted(expected)
    # A neutral text: the outcome is on the page, not in the message.
    body = Notification.objects.filter(kind="vote.result").first()
    assert body is not None
    assert "adopted" not in body.body
    assert "failed" not in body.body


# --- The database keeps the result whole ---


def test_the_database_refuses_a_half_written_result(cast: Cast, vote: Vote) -> None:
    assert vote.close_at is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.filter(pk=vote.pk).update(
            finalised_at=vote.close_at, outcome="adopted", rule="passed"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        # Before the close.
        Vote.objects.filter(pk=vote.pk).update(
            finalised_at=vote.close_at - HOUR,
            outcome="adopted",
            rule="passed",
            approve=1,
            reject=0,
            abstain=0,
            bloc_approve=0,
            bloc_reject=0,
            bloc_abstain=0,
            receipts_sha256="0" * 64,
        )
    vote.refresh_from_db()
    assert vote.finalised_at is None
    assert Participation.objects.count() == 0


def test_a_cast_after_the_finalisation_is_told_the_vote_has_closed(cast: Cast, vote: Vote) -> None:
    _finalise_at_close(vote)
    assert vote.close_at is not None
    with _at(vote.close_at + HOUR), pytest.raises(Conflict, match="This vote has closed"):
        services.vote_cast(actor=actor(cast.dee), vote=vote, choice="approve")
    assert Participation.objects.count() == 0
