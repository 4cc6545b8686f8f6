"""The vote, from the services' side: scheduled by the authors' response, brought forward
only by a facilitator with their powers, opened once at its time with the rules frozen and
the electorate snapshotted, then one secret ballot per person in the snapshot, changeable
only with the receipt. Every refusal says why and leaves nothing behind.

The services read the database clock (``core.clock.db_now``), imported into
``voting.services.base``; the tests move that clock rather than wait."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from accounts.authority import Actor
from accounts.models import User
from advisory.models import Response, Round
from advisory.services import response_publish
from core.clock import clock_set, db_now
from core.errors import Conflict, DomainError, NotPermitted
from history.chain import decode_data
from history.models import Event
from history.services import actor_reference
from history.verification import verify
from notifications.models import Notification
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces import services as space_services
from spaces.models import Rulebook
from tests.advisory.conftest import review
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.support import recipient_name
from tests.voting.conftest import MINUTE, Board, Cast, actor
from voting import services
from voting.models import Ballot, Elector, Participation, Vote
from voting.receipts import ballot_hash, new_receipt, voter_hash

SPANISH_MONTHS = [
    *("enero", "febrero", "marzo", "abril", "mayo", "junio"),
    *("julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
]
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
SHOWN = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){6}")


def _at(moment: datetime.datetime) -> Any:
    """Move the voting services' database clock to ``moment``."""
    return clock_set(moment)


def _during(vote: Vote) -> Any:
    """A moment while ``vote`` is open: an hour after it opened."""
    assert vote.opened_at is not None
    return _at(vote.opened_at + HOUR)


def _data(event: Event) -> dict[str, Any]:
    data = decode_data(event.content.data)
    assert data is not None
    return data


def _state(proposal: Proposal) -> str:
    proposal.refresh_from_db()
    return proposal.state


def _facilitator(cast: Cast) -> User:
    user = UserFactory(username="fay", public_name="Fay")
    MembershipFactory(space=cast.space, user=user, role="facilitator")
    return user


def _with_powers(user: User) -> Actor:
    return Actor(user=user, mfa=True, recently_authenticated=True)


def _everything() -> dict[str, Any]:
    """All that a refused request must leave as it was."""
    return {
        "votes": list(
            Vote.objects.order_by("pk").values(
                "pk",
                "opens_at",
                "opened_at",
                "close_at",
                "rulebook_id",
                "electorate_size",
                "board_size",
            )
        ),
        "electors": sorted(Elector.objects.values_list("vote_id", "user_id", "on_board")),
        "participations": sorted(
            Participation.objects.values_list("id", "vote_id", "user_id", "voter_hash")
        ),
        "ballots": sorted(
            Ballot.objects.values_list("id", "vote_id", "ballot_hash", "choice", "on_board")
        ),
        "events": Event.objects.count(),
        "states": sorted(Proposal.objects.values_list("pk", "state")),
    }


def _cast(who: User, vote: Vote, choice: str = "approve") -> str:
    with _during(vote):
        return services.vote_cast(actor=actor(who), vote=vote, choice=choice).receipt


@pytest.fixture(autouse=True)
def _the_chain_verifies_after_each_scenario(db: None) -> Iterator[None]:
    yield
    result = verify()
    assert result.ok, str(result)


# --- Scheduling ---


def test_publishing_the_response_schedules_the_vote_the_rulebooks_delay_later(
    cast: Cast, passed_round: Round
) -> None:
    # A delay other than the default, so the vote follows the space's rulebook.
    space_services.rulebook_change(
        actor=_with_powers(_facilitator(cast)), space=cast.space, vote_delay_days=3
    )
    response_publish(actor=actor(cast.olu), round=passed_round, answers={}, statement="Thank you.")

    response = Response.objects.get(round=passed_round)
    vote = Vote.objects.get()
    assert vote.round == passed_round
    assert vote.proposal_id == passed_round.proposal_id
    assert vote.version_id == passed_round.version_id
    assert vote.opens_at == response.published_at + datetime.timedelta(days=3)
    assert not vote.is_open
    assert vote.rulebook is None
    assert vote.electorate_size is None
    assert vote.board_size is None
    assert not Elector.objects.exists()
    assert _state(passed_round.proposal) == Proposal.State.AWAITING_VOTE

    event = Event.objects.get(kind="vote.scheduled")
    assert event.actor_role == "system"
    assert _data(event) == {
        "vote": str(vote.public_id),
        "version": passed_round.version.number,
        "content_hash": passed_round.version.content_hash,
        "opens_at": vote.opens_at.isoformat(),
    }


def test_the_default_delay_is_the_rulebooks_seven_days(scheduled_vote: Vote) -> None:
    response = Response.objects.get(round=scheduled_vote.round)
    assert Rulebook.objects.get(space=scheduled_vote.proposal.space).vote_delay_days == 7
    assert scheduled_vote.opens_at == response.published_at + 7 * DAY
    assert Vote.objects.count() == 1
    assert Event.objects.filter(kind="vote.scheduled").count() == 1


def test_no_vote_without_a_response(passed_round: Round) -> None:
    assert not Vote.objects.exists()
    assert not Event.objects.filter(kind__startswith="vote.").exists()
    # Even long after the round, the sweep has nothing to open.
    with _at(db_now() + 365 * DAY):
        assert services.votes_open_due() == 0
    assert not Vote.objects.exists()
    assert _state(passed_round.proposal) == Proposal.State.AWAITING_VOTE


# --- Bringing forward ---


def test_a_facilitator_with_a_second_factor_brings_the_opening_forward(
    cast: Cast, scheduled_vote: Vote
) -> None:
    fay = _facilitator(cast)
    scheduled = scheduled_vote.opens_at
    now = db_now()
    earlier = now + 3 * DAY

    services.vote_bring_forward(
        actor=Actor(user=fay, mfa=True), vote=scheduled_vote, opens_at=earlier
    )

    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opens_at == earlier
    event = Event.objects.get(kind="vote.brought_forward")
    assert event.actor_id == actor_reference(fay)
    assert event.actor_role == "facilitator"
    assert _data(event) == {
        "vote": str(scheduled_vote.public_id),
        "from": scheduled.isoformat(),
        "to": earlier.isoformat(),
    }


def test_the_opening_may_be_brought_forward_to_this_very_moment(
    cast: Cast, scheduled_vote: Vote
) -> None:
    """Three days after the response: past the floor, so the vote may open now."""
    fay = _facilitator(cast)
    now = db_now() + 3 * DAY
    with _at(now):
        services.vote_bring_forward(
            actor=Actor(user=fay, mfa=True), vote=scheduled_vote, opens_at=now
        )
    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opens_at == now
    with _at(now):
        assert services.votes_open_due() == 1


@pytest.mark.parametrize(
    ("when", "error", "message"),
    [
        (
            lambda vote, now: vote.opens_at + MINUTE,
            DomainError,
            "A vote can open earlier than scheduled, never later.",
        ),
        (
            lambda vote, now: vote.opens_at,
            DomainError,
            "A vote can open earlier than scheduled, never later.",
        ),
        (lambda vote, now: now - MINUTE, DomainError, "Choose a moment from now on."),
    ],
    ids=["later than scheduled", "the same time (no change)", "in the past"],
)
def test_the_opening_is_never_later_nor_in_the_past(
    cast: Cast, scheduled_vote: Vote, when: Any, error: type[Exception], message: str
) -> None:
    fay = _facilitator(cast)
    now = db_now()
    before = _everything()

    with _at(now), pytest.raises(error, match=re.escape(message)):
        services.vote_bring_forward(
            actor=Actor(user=fay, mfa=True), vote=scheduled_vote, opens_at=when(scheduled_vote, now)
        )

    assert _everything() == before


@pytest.mark.parametrize(
    "after_the_response",
    [datetime.timedelta(0), DAY, 2 * DAY - MINUTE],
    ids=["at once", "one day", "a minute short of two days"],
)
def test_the_opening_never_comes_less_than_the_floor_after_the_response(
    cast: Cast, scheduled_vote: Vote, after_the_response: datetime.timedelta
) -> None:
    """The rulebook's floor for the delay after the response is 2 days: an opening
    brought forward keeps it, so the electorate has time to read the response."""
    fay = _facilitator(cast)
    published = Response.objects.get(round=scheduled_vote.round).published_at
    assert scheduled_vote.earliest_opening() == published + 2 * DAY
    before = _everything()

    with _at(published), pytest.raises(DomainError) as refused:
        services.vote_bring_forward(
            actor=Actor(user=fay, mfa=True),
            vote=scheduled_vote,
            opens_at=published + after_the_response,
        )

    earliest = published + 2 * DAY
    assert refused.value.message == (
        "A vote opens at least 2 days after the response was published, so the electorate "
        f"has time to read it: choose {earliest.day} {earliest:%B %Y, %H:%M} (UTC) or later."
    )
    assert _everything() == before


def test_the_opening_may_come_exactly_the_floor_after_the_response(
    cast: Cast, scheduled_vote: Vote
) -> None:
    fay = _facilitator(cast)
    published = Response.objects.get(round=scheduled_vote.round).published_at

    with _at(published):
        services.vote_bring_forward(
            actor=Actor(user=fay, mfa=True), vote=scheduled_vote, opens_at=published + 2 * DAY
        )

    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opens_at == published + 2 * DAY


def test_an_open_vote_is_not_brought_forward(cast: Cast, open_vote: Vote) -> None:
    fay = _facilitator(cast)
    before = _everything()
    assert open_vote.opened_at is not None

    with (
        _during(open_vote),
        pytest.raises(Conflict, match=re.escape("This vote has opened already.")),
    ):
        services.vote_bring_forward(
            actor=Actor(user=fay, mfa=True), vote=open_vote, opens_at=open_vote.opened_at + DAY
        )

    assert _everything() == before


@pytest.mark.parametrize(
    "who",
    [
        "voter with a second factor",
        "board member",
        "author",
        "facilitator without MFA",
        "facilitator by token",
        "anonymous",
    ],
)
def test_only_a_facilitator_using_their_powers_brings_the_opening_forward(
    cast: Cast, board: Board, scheduled_vote: Vote, who: str
) -> None:
    fay = _facilitator(cast)
    acting = {
        "voter with a second factor": Actor(user=cast.dee, mfa=True),
        "board member": Actor(user=board.ama, mfa=True),
        "author": Actor(user=cast.olu, mfa=True),
        "facilitator without MFA": Actor(user=fay),
        "facilitator by token": Actor(user=fay, mfa=True, via_token=True),
        "anonymous": Actor(user=None),
    }[who]
    before = _everything()

    with pytest.raises(
        NotPermitted, match=re.escape("Only the space's facilitators set an earlier opening.")
    ):
        services.vote_bring_forward(actor=acting, vote=scheduled_vote, opens_at=db_now() + HOUR)

    assert _everything() == before


def test_the_opening_of_a_withdrawn_proposals_vote_is_not_brought_forward(
    cast: Cast, scheduled_vote: Vote
) -> None:
    fay = _facilitator(cast)
    proposal_services.proposal_withdraw(
        actor=actor(cast.olu), proposal=scheduled_vote.proposal, reason="Funding fell through."
    )
    before = _everything()

    with pytest.raises(Conflict, match="withdrawn"):
        services.vote_bring_forward(
            actor=Actor(user=fay, mfa=True), vote=scheduled_vote, opens_at=db_now() + HOUR
        )

    assert _everything() == before


# --- Opening ---


def test_nothing_opens_before_its_time(scheduled_vote: Vote) -> None:
    before = _everything()

    with _at(scheduled_vote.opens_at - MINUTE):
        assert services.votes_open_due() == 0
        assert services.vote_open_if_due(vote=scheduled_vote) is False

    assert _everything() == before
    scheduled_vote.refresh_from_db()
    assert not scheduled_vote.is_open
    assert not Notification.objects.filter(kind="vote.opened").exists()


def test_at_its_time_the_vote_opens_once(scheduled_vote: Vote) -> None:
    with _at(scheduled_vote.opens_at):
        assert services.vote_open_if_due(vote=scheduled_vote) is True
        assert services.vote_open_if_due(vote=scheduled_vote) is False
        assert services.votes_open_due() == 0

    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opened_at == scheduled_vote.opens_at
    assert Event.objects.filter(kind="vote.opened").count() == 1
    assert Elector.objects.count() == scheduled_vote.electorate_size


def test_the_sweep_service_counts_the_votes_it_opened(scheduled_vote: Vote) -> None:
    with _at(scheduled_vote.opens_at + MINUTE):
        assert services.votes_open_due() == 1
        assert services.votes_open_due() == 0


def test_opening_freezes_the_rules_and_snapshots_the_electorate_and_the_board(
    cast: Cast, board: Board, scheduled_vote: Vote
) -> None:
    space = cast.space
    # Someone in the electorate without an e-mail address: an elector, but no message.
    quiet = UserFactory(username="quiet", public_name="Quiet", email=None)
    MembershipFactory(space=space, user=quiet, role="electorate")
    # Ben reads the site in Spanish: his e-mail is in Spanish, its date too.
    board.ben.language = "es"
    board.ben.save(update_fields=["language"])
    # Ama is also in the electorate: one elector, in the advisory bloc.
    MembershipFactory(space=space, user=board.ama, role="electorate")
    # Left the electorate before the vote opened; joined only after it opened.
    gone = UserFactory(username="gone", public_name="Gone")
    MembershipFactory(
        space=space,
        user=gone,
        role="electorate",
        joined_at=scheduled_vote.opens_at - 30 * DAY,
        left_at=scheduled_vote.opens_at - DAY,
    )
    late = UserFactory(username="late", public_name="Late")
    MembershipFactory(
        space=space, user=late, role="electorate", joined_at=scheduled_vote.opens_at + HOUR
    )
    rulebook = Rulebook.objects.get(space=space)
    moment = scheduled_vote.opens_at + MINUTE

    with _at(moment):
        assert services.vote_open_if_due(vote=scheduled_vote)

    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opened_at == moment
    assert scheduled_vote.rulebook == rulebook
    assert scheduled_vote.close_at == moment + datetime.timedelta(days=rulebook.voting_window_days)
    assert scheduled_vote.close_at == moment + 14 * DAY
    electors = {
        elector.user.username: elector.on_board
        for elector in Elector.objects.filter(vote=scheduled_vote).select_related("user")
    }
    assert electors == {"marcus": True, "ama": True, "ben": True, "dee": False, "quiet": False}
    assert scheduled_vote.electorate_size == 5
    assert scheduled_vote.board_size == 3
    assert _state(scheduled_vote.proposal) == Proposal.State.VOTING

    event = Event.objects.get(kind="vote.opened")
    assert event.actor_role == "system"
    data = _data(event)
    assert data["vote"] == str(scheduled_vote.public_id)
    assert data["content_hash"] == scheduled_vote.version.content_hash
    assert data["rulebook"] == rulebook.version
    assert data["electorate_size"] == 5
    assert data["board_size"] == 3
    assert data["close_at"] == scheduled_vote.close_at.isoformat()

    told = Notification.objects.filter(kind="vote.opened").select_related("recipient")
    assert sorted(recipient_name(row) for row in told) == ["ama", "ben", "dee", "marcus"]
    path = reverse(
        "proposals:detail", kwargs={"space_slug": space.slug, "pk": scheduled_vote.proposal.pk}
    )
    close = scheduled_vote.close_at
    for row in told:
        assert path in row.body
        if recipient_name(row) == "ben":
            # In the recipient's language: the date as Spanish writes it, and the words.
            assert "Hay una votación abierta" in row.body
            assert f"hasta el {close.day} de {SPANISH_MONTHS[close.month - 1]} de " in row.body
        else:
            assert f"open until {close.day} {close:%B %Y, %H:%M} (UTC)." in row.body

    # A rulebook change after the opening applies to later votes, not this one.
    space_services.rulebook_change(
        actor=_with_powers(_facilitator(cast)), space=space, voting_window_days=21
    )
    scheduled_vote.refresh_from_db()
    assert Rulebook.objects.filter(space=space).count() == 2
    assert scheduled_vote.rulebook == rulebook
    assert scheduled_vote.close_at == moment + 14 * DAY


def test_the_vote_of_a_withdrawn_proposal_does_not_open(cast: Cast, scheduled_vote: Vote) -> None:
    proposal_services.proposal_withdraw(
        actor=actor(cast.olu), proposal=scheduled_vote.proposal, reason="Funding fell through."
    )
    before = _everything()

    with _at(scheduled_vote.opens_at + MINUTE):
        assert services.votes_open_due() == 0
        assert services.vote_open_if_due(vote=scheduled_vote) is False

    assert _everything() == before
    assert not Event.objects.filter(kind="vote.opened").exists()
    assert not Notification.objects.filter(kind="vote.opened").exists()
    assert _state(scheduled_vote.proposal) == Proposal.State.WITHDRAWN


# --- Casting ---


def test_a_voter_in_the_snapshot_casts_and_gets_a_receipt_and_nothing_tells_the_chain(
    cast: Cast, open_vote: Vote
) -> None:
    events = Event.objects.count()

    receipt = _cast(cast.dee, open_vote, "reject")

    assert len(receipt) == 28 + 6
    assert SHOWN.fullmatch(receipt)
    assert len(receipt.replace("-", "")) == 28
    participation = Participation.objects.get()
    ballot = Ballot.objects.get()
    assert participation.vote == open_vote
    assert participation.user == cast.dee
    assert participation.voter_hash == voter_hash(receipt)
    assert ballot.vote == open_vote
    assert ballot.ballot_hash == ballot_hash(receipt)
    assert ballot.choice == "reject"
    assert ballot.on_board is False
    assert ballot.ballot_hash != participation.voter_hash
    assert Event.objects.count() == events


def test_a_board_members_ballot_counts_in_the_advisory_bloc(
    cast: Cast, board: Board, scheduled_vote: Vote
) -> None:
    """Two more board members before the opening make a bloc of five, the minimum group
    size: a board member's ballot is then marked as the bloc's."""
    for n in range(2):
        MembershipFactory(space=cast.space, user=UserFactory(username=f"extra{n}"), role="board")
    with clock_set(scheduled_vote.opens_at + MINUTE):
        assert services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    assert scheduled_vote.board_size == 5

    receipt = _cast(board.ben, scheduled_vote, "abstain")

    ballot = Ballot.objects.get(ballot_hash=ballot_hash(receipt))
    assert ballot.choice == "abstain"
    assert ballot.on_board is True


def test_a_bloc_below_the_group_size_never_marks_a_ballot(board: Board, open_vote: Vote) -> None:
    """A board of three: how its members voted is never kept apart, even in the database."""
    assert open_vote.board_size == 3
    receipt = _cast(board.ben, open_vote, "abstain")

    assert Ballot.objects.get(ballot_hash=ballot_hash(receipt)).on_board is False


def test_each_voter_gets_a_different_receipt(cast: Cast, board: Board, open_vote: Vote) -> None:
    receipts = {_cast(who, open_vote) for who in [cast.dee, *board.members]}
    assert len(receipts) == 4
    assert Participation.objects.count() == Ballot.objects.count() == 4


def _refused_cast(
    who: Actor, vote: Vote, choice: str, error: type[Exception], message: str
) -> None:
    before = _everything()
    with pytest.raises(error, match=re.escape(message)):
        services.vote_cast(actor=who, vote=vote, choice=choice)
    assert _everything() == before


NOT_IN_IT = (
    "Only the people in the electorate when this vote opened vote in it; you joined later "
    "or are not in it."
)


def test_someone_outside_the_snapshot_cannot_vote(cast: Cast, open_vote: Vote) -> None:
    with _during(open_vote):
        _refused_cast(actor(cast.ngozi), open_vote, "approve", NotPermitted, NOT_IN_IT)


def test_someone_who_joined_the_electorate_after_the_opening_cannot_vote(
    cast: Cast, open_vote: Vote
) -> None:
    assert open_vote.opened_at is not None
    late = UserFactory(username="late", public_name="Late")
    MembershipFactory(
        space=cast.space, user=late, role="electorate", joined_at=open_vote.opened_at + MINUTE
    )
    with _during(open_vote):
        _refused_cast(actor(late), open_vote, "approve", NotPermitted, NOT_IN_IT)


def test_no_ballot_before_the_vote_opens(cast: Cast, scheduled_vote: Vote) -> None:
    _refused_cast(
        actor(cast.dee), scheduled_vote, "approve", Conflict, "This vote has not opened yet."
    )


@pytest.mark.parametrize("after", [datetime.timedelta(0), DAY], ids=["at close", "a day after"])
def test_no_ballot_from_the_close_on(
    cast: Cast, open_vote: Vote, after: datetime.timedelta
) -> None:
    assert open_vote.close_at is not None
    with _at(open_vote.close_at + after):
        _refused_cast(actor(cast.dee), open_vote, "approve", Conflict, "This vote has closed.")


def test_a_ballot_a_moment_before_the_close_counts(cast: Cast, open_vote: Vote) -> None:
    assert open_vote.close_at is not None
    with _at(open_vote.close_at - datetime.timedelta(microseconds=1)):
        services.vote_cast(actor=actor(cast.dee), vote=open_vote, choice="approve")
    assert Ballot.objects.count() == 1


def test_one_ballot_per_person(cast: Cast, open_vote: Vote) -> None:
    _cast(cast.dee, open_vote, "approve")
    with _during(open_vote):
        _refused_cast(
            actor(cast.dee),
            open_vote,
            "reject",
            Conflict,
            "You have voted in this vote. To change your ballot, use your receipt.",
        )
    assert Ballot.objects.get().choice == "approve"


@pytest.mark.parametrize("choice", ["maybe", "", "APPROVE", "yes"])
def test_an_unknown_choice_is_refused(cast: Cast, open_vote: Vote, choice: str) -> None:
    with _during(open_vote):
        _refused_cast(
            actor(cast.dee),
            open_vote,
            choice,
            DomainError,
            "Choose one of: approve, reject, abstain.",
        )


def test_no_ballot_once_the_proposal_is_withdrawn_during_the_vote(
    cast: Cast, board: Board, open_vote: Vote
) -> None:
    _cast(board.marcus, open_vote, "approve")
    with _during(open_vote):
        proposal_services.proposal_withdraw(
            actor=actor(cast.olu), proposal=open_vote.proposal, reason="Funding fell through."
        )
    assert _state(open_vote.proposal) == Proposal.State.WITHDRAWN
    with _during(open_vote):
        _refused_cast(
            actor(cast.dee),
            open_vote,
            "approve",
            Conflict,
            "This proposal is withdrawn; its vote takes no ballots.",
        )


def test_a_signed_out_visitor_cannot_vote(open_vote: Vote) -> None:
    with _during(open_vote):
        _refused_cast(Actor(user=None), open_vote, "approve", NotPermitted, "Sign in to vote.")


# --- Changing ---


def test_the_right_receipt_changes_the_choice_and_keeps_one_ballot(
    cast: Cast, open_vote: Vote
) -> None:
    receipt = _cast(cast.dee, open_vote, "approve")
    participation = Participation.objects.values_list("id", "voter_hash").get()
    events = Event.objects.count()

    with _during(open_vote):
        services.vote_change(
            actor=actor(cast.dee), vote=open_vote, receipt=receipt, choice="reject"
        )

    ballot = Ballot.objects.get()
    assert ballot.choice == "reject"
    assert ballot.ballot_hash == ballot_hash(receipt)
    assert Participation.objects.values_list("id", "voter_hash").get() == participation
    assert Event.objects.count() == events


def test_a_receipt_typed_loosely_still_changes_the_ballot(cast: Cast, open_vote: Vote) -> None:
    receipt = _cast(cast.dee, open_vote, "approve")
    typed = " ".join(receipt.lower().split("-"))

    with _during(open_vote):
        services.vote_change(actor=actor(cast.dee), vote=open_vote, receipt=typed, choice="abstain")

    assert Ballot.objects.get().choice == "abstain"


NOT_YOURS = "This receipt is not the one you were given when you voted."


def test_another_valid_receipt_changes_nothing(cast: Cast, open_vote: Vote) -> None:
    _cast(cast.dee, open_vote, "approve")
    before = _everything()

    with _during(open_vote), pytest.raises(NotPermitted, match=re.escape(NOT_YOURS)):
        services.vote_change(
            actor=actor(cast.dee), vote=open_vote, receipt=new_receipt(), choice="reject"
        )

    assert _everything() == before


def test_another_voters_receipt_changes_nothing(cast: Cast, board: Board, open_vote: Vote) -> None:
    _cast(cast.dee, open_vote, "approve")
    marcus_receipt = _cast(board.marcus, open_vote, "approve")
    before = _everything()

    with _during(open_vote), pytest.raises(NotPermitted, match=re.escape(NOT_YOURS)):
        services.vote_change(
            actor=actor(cast.dee), vote=open_vote, receipt=marcus_receipt, choice="reject"
        )

    assert _everything() == before
    assert sorted(Ballot.objects.values_list("choice", flat=True)) == ["approve", "approve"]


def _one_character_off(receipt: str) -> str:
    first = receipt[0]
    return ("B" if first == "A" else "A") + receipt[1:]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (lambda receipt: "ABCD-EFGH", "A receipt has 28 letters and digits"),
        (lambda receipt: receipt[:-1] + "8", "it cannot contain '8'"),
        (lambda receipt: "", "The receipt is empty."),
        (_one_character_off, "This receipt has a typing mistake"),
    ],
    ids=["too short", "a letter not in receipts", "empty", "one character off"],
)
def test_a_malformed_receipt_is_refused_as_such(
    cast: Cast, open_vote: Vote, typed: Any, message: str
) -> None:
    receipt = _cast(cast.dee, open_vote, "approve")
    before = _everything()

    with _during(open_vote), pytest.raises(DomainError, match=re.escape(message)):
        services.vote_change(
            actor=actor(cast.dee), vote=open_vote, receipt=typed(receipt), choice="reject"
        )

    assert _everything() == before


def test_no_change_before_having_voted(cast: Cast, board: Board, open_vote: Vote) -> None:
    marcus_receipt = _cast(board.marcus, open_vote, "approve")
    before = _everything()

    with (
        _during(open_vote),
        pytest.raises(Conflict, match=re.escape("You have not voted in this vote yet.")),
    ):
        services.vote_change(
            actor=actor(cast.dee), vote=open_vote, receipt=marcus_receipt, choice="reject"
        )

    assert _everything() == before


def test_no_change_after_the_close(cast: Cast, open_vote: Vote) -> None:
    receipt = _cast(cast.dee, open_vote, "approve")
    assert open_vote.close_at is not None
    before = _everything()

    with _at(open_vote.close_at), pytest.raises(Conflict, match=re.escape("This vote has closed.")):
        services.vote_change(
            actor=actor(cast.dee), vote=open_vote, receipt=receipt, choice="reject"
        )

    assert _everything() == before


def test_no_change_with_an_unknown_choice(cast: Cast, open_vote: Vote) -> None:
    receipt = _cast(cast.dee, open_vote, "approve")
    before = _everything()

    with _during(open_vote), pytest.raises(DomainError, match="Choose one of"):
        services.vote_change(actor=actor(cast.dee), vote=open_vote, receipt=receipt, choice="maybe")

    assert _everything() == before


# --- Secrecy, in the structure of the tables ---


def _refers_to(field: Any, model: type[models.Model]) -> bool:
    return bool(getattr(field, "is_relation", False)) and field.related_model is model


def test_a_ballot_names_no_person_no_participation_and_no_time() -> None:
    for field in Ballot._meta.get_fields():
        assert not _refers_to(field, User), field
        assert not _refers_to(field, Participation), field
        assert not isinstance(field, models.DateField | models.TimeField), field
    assert {field.name for field in Ballot._meta.concrete_fields} == {
        "id",
        "vote",
        "ballot_hash",
        "choice",
        "on_board",
    }


def test_a_participation_does_not_refer_to_a_ballot() -> None:
    for field in Participation._meta.get_fields():
        assert not _refers_to(field, Ballot), field
    for field in Ballot._meta.get_fields():
        assert not _refers_to(field, Participation), field


def test_both_keys_are_random_uuids(cast: Cast, board: Board, open_vote: Vote) -> None:
    for model in (Ballot, Participation):
        assert isinstance(model._meta.pk, models.UUIDField)
    _cast(cast.dee, open_vote)
    _cast(board.ama, open_vote)
    keys = [*Ballot.objects.values_list("id", flat=True)]
    keys += Participation.objects.values_list("id", flat=True)
    assert len(set(keys)) == 4
    for key in keys:
        assert isinstance(key, uuid.UUID)
        assert key.version == 4


# --- The sweep command ---


def test_the_sweep_command_opens_a_due_vote(scheduled_vote: Vote, capsys: Any) -> None:
    with _at(scheduled_vote.opens_at + MINUTE):
        call_command("sweep")

    scheduled_vote.refresh_from_db()
    assert scheduled_vote.is_open
    assert _state(scheduled_vote.proposal) == Proposal.State.VOTING
    assert "votes opened: 1" in capsys.readouterr().out


def test_no_ballot_on_a_proposal_whose_round_did_not_pass(
    cast: Cast, board: Board, open_round: Round
) -> None:
    for member in board.members:
        review(member, open_round, verdict="oppose")
    open_round.refresh_from_db()
    assert open_round.outcome == Round.Outcome.NOT_PASSED
    assert _state(open_round.proposal) == Proposal.State.REVISION
    # No service schedules a vote without a passed round; suppose a vote row were made
    # by hand: the sweep does not open it, and the gate keeps the proposal out of
    # "voting", so even a row forged as open takes no ballot.
    now = db_now()
    vote = Vote.objects.create(
        proposal=open_round.proposal,
        round=open_round,
        version=open_round.version,
        opens_at=now - HOUR,
    )
    with _at(now):
        assert services.votes_open_due() == 0
    assert not vote.is_open
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=open_round.proposal_id).update(state=Proposal.State.VOTING)
    Vote.objects.filter(pk=vote.pk).update(
        opened_at=now - HOUR,
        close_at=now + DAY,
        rulebook=Rulebook.objects.get(space=cast.space),
        electorate_size=1,
        board_size=3,
    )
    Elector.objects.create(vote=vote, user=cast.dee)
    vote.refresh_from_db()
    with _at(now):
        _refused_cast(
            actor(cast.dee),
            vote,
            "approve",
            Conflict,
            "This proposal is in revision; its vote takes no ballots.",
        )
