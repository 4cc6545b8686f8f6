"""The voting API: parity with the ballot page. A voter casts once (session or personal
token) and gets the receipt in that one answer, kept by no cache; a change needs the
receipt; refusals say why and store nothing. Until the finalisation only the turnout is
public; after it the result, the receipts list and the result summary, and a receipt
check anyone can run. Bringing the opening forward is a facilitator power: a session
with a second factor, never a personal token.

The electorate of ``open_vote`` is Dee and the board of three (Marcus, Ama, Ben); Olu,
the author, is not in it. The services and the selectors read the database clock;
``_clock`` moves both."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.authority import Actor
from accounts.models import User
from advisory.models import Round
from core.clock import clock_set, db_now
from history.models import Event
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces import services as space_services
from tests.accounts.support import sign_in
from tests.api.support import error_of
from tests.factories import MembershipFactory, UserFactory
from tests.proposals.api_support import client_for
from tests.voting.conftest import MINUTE, Board, Cast, actor
from voting import services
from voting.models import Ballot, Elector, Participation, Vote
from voting.receipts import ballot_hash, new_receipt

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
SHOWN = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){6}")


def vote_url(proposal: Proposal | int, suffix: str = "") -> str:
    pk = proposal if isinstance(proposal, int) else proposal.pk
    return f"/api/v1/spaces/city/proposals/{pk}/vote/{suffix}"


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """The database clock of the voting services and selectors, at ``moment``."""
    with clock_set(moment):
        yield


def _during(vote: Vote) -> Any:
    assert vote.opened_at is not None
    return _clock(vote.opened_at + HOUR)


def _cast(who: User, vote: Vote, choice: str = "approve") -> str:
    with _during(vote):
        return services.vote_cast(actor=actor(who), vote=vote, choice=choice).receipt


def _finalise(vote: Vote) -> Vote:
    assert vote.close_at is not None
    with _clock(vote.close_at + MINUTE):
        assert services.vote_finalise_if_due(vote=vote)
    vote.refresh_from_db()
    return vote


def _after_close(vote: Vote) -> Any:
    assert vote.close_at is not None
    return _clock(vote.close_at + HOUR)


def _everything() -> dict[str, Any]:
    """All that a refused request must leave as it was."""
    return {
        "votes": list(
            Vote.objects.order_by("pk").values(
                "pk", "opens_at", "opened_at", "close_at", "finalised_at"
            )
        ),
        "electors": sorted(Elector.objects.values_list("vote_id", "user_id", "on_board")),
        "participations": sorted(
            Participation.objects.values_list("id", "vote_id", "user_id", "voter_hash")
        ),
        "ballots": sorted(Ballot.objects.values_list("id", "vote_id", "ballot_hash", "choice")),
        "events": Event.objects.count(),
        "states": sorted(Proposal.objects.values_list("pk", "state")),
    }


def _facilitator(cast: Cast) -> User:
    """Fay facilitates the space (her powers need a session with a second factor)."""
    fay: User = UserFactory.create(username="fay", public_name="Fay")
    MembershipFactory(space=cast.space, user=fay, role="facilitator")
    return fay


def _with_second_factor(user: User) -> APIClient:
    client = APIClient()
    sign_in(client, user, mfa=True)
    return client


# --- Casting ----------------------------------------------------------------------------


def test_a_voter_casts_once_and_the_receipt_is_in_that_answer_only_kept_by_no_cache(
    cast: Cast, open_vote: Vote
) -> None:
    events = Event.objects.count()

    with _during(open_vote):
        response = client_for(cast.dee).post(
            vote_url(open_vote.proposal, "ballot/"), {"choice": "approve"}
        )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"explanation", "receipt", "receipt_hash"}
    assert SHOWN.fullmatch(body["receipt"])
    assert "shown this once" in body["explanation"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    ballot = Ballot.objects.get()
    assert ballot.ballot_hash == ballot_hash(body["receipt"]) == body["receipt_hash"]
    assert ballot.choice == "approve"
    assert Participation.objects.get().user == cast.dee
    # Casting tells the chain nothing.
    assert Event.objects.count() == events
    # Nothing in the vote's own answer repeats the receipt.
    with _during(open_vote):
        shown = client_for(cast.dee).get(vote_url(open_vote.proposal))
    assert body["receipt"] not in shown.content.decode()


def test_a_personal_token_may_cast(cast: Cast, open_vote: Vote) -> None:
    with _during(open_vote):
        response = client_for(cast.dee, token=True).post(
            vote_url(open_vote.proposal, "ballot/"), {"choice": "abstain"}
        )

    assert response.status_code == 201
    assert Ballot.objects.get().choice == "abstain"


def test_a_second_cast_is_refused_and_changes_nothing(cast: Cast, open_vote: Vote) -> None:
    _cast(cast.dee, open_vote, "approve")
    before = _everything()

    with _during(open_vote):
        response = client_for(cast.dee).post(
            vote_url(open_vote.proposal, "ballot/"), {"choice": "reject"}
        )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "conflict"
    assert error["message"] == (
        "You have voted in this vote. To change your ballot, use your receipt."
    )
    assert "receipt" not in response.json()
    assert _everything() == before


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("olu", 403, "Only the people in the electorate when this vote opened vote in it"),
        ("latecomer", 403, "you joined later or are not in it"),
        ("anonymous", 401, "Sign in first"),
    ],
)
def test_only_the_people_in_the_snapshot_cast(
    cast: Cast, open_vote: Vote, who: str, status: int, message: str
) -> None:
    if who == "latecomer":
        late = UserFactory(username="late")
        assert open_vote.opened_at is not None
        MembershipFactory(
            space=cast.space,
            user=late,
            role="electorate",
            joined_at=open_vote.opened_at + datetime.timedelta(minutes=1),
        )
        client = client_for(late)
    else:
        client = client_for(cast.olu if who == "olu" else None)
    before = _everything()

    with _during(open_vote):
        response = client.post(vote_url(open_vote.proposal, "ballot/"), {"choice": "approve"})

    assert response.status_code == status
    assert message in str(error_of(response)["message"])
    assert _everything() == before


def test_an_unknown_choice_is_refused_by_name(cast: Cast, open_vote: Vote) -> None:
    before = _everything()

    with _during(open_vote):
        response = client_for(cast.dee).post(
            vote_url(open_vote.proposal, "ballot/"), {"choice": "maybe"}
        )

    assert response.status_code == 400
    error = error_of(response)
    assert error["fields"] == {
        "choice": ["There is no choice “maybe”. Use one of: approve, reject, abstain."]
    }
    assert _everything() == before


def test_no_ballot_before_the_opening_nor_after_the_close(cast: Cast, scheduled_vote: Vote) -> None:
    client = client_for(cast.dee)
    response = client.post(vote_url(scheduled_vote.proposal, "ballot/"), {"choice": "approve"})
    assert response.status_code == 409
    assert error_of(response)["message"] == "This vote has not opened yet."

    with clock_set(scheduled_vote.opens_at + MINUTE):
        services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    with _after_close(scheduled_vote):
        response = client.post(vote_url(scheduled_vote.proposal, "ballot/"), {"choice": "approve"})
    assert response.status_code == 409
    assert error_of(response)["message"] == "This vote has closed."
    assert not Ballot.objects.exists()
    assert not Participation.objects.exists()


# --- Changing ---------------------------------------------------------------------------


def test_the_right_receipt_changes_the_ballot(cast: Cast, open_vote: Vote) -> None:
    receipt = _cast(cast.dee, open_vote, "approve")

    with _during(open_vote):
        response = client_for(cast.dee).put(
            vote_url(open_vote.proposal, "ballot/"),
            {"receipt": receipt.lower().replace("-", " "), "choice": "reject"},
        )

    assert response.status_code == 200
    assert response.json()["changed"] is True
    assert "no-store" in response["Cache-Control"]
    ballot = Ballot.objects.get()
    assert (ballot.ballot_hash, ballot.choice) == (ballot_hash(receipt), "reject")
    assert Participation.objects.count() == 1


@pytest.mark.parametrize(
    ("receipt", "status", "message"),
    [
        ("another", 403, "This receipt is not the one you were given when you voted."),
        ("marcus's", 403, "This receipt is not the one you were given when you voted."),
        ("mistyped", 400, "This receipt has a typing mistake"),
        ("too short", 400, "A receipt has 28 letters and digits"),
    ],
)
def test_a_wrong_receipt_or_another_voters_changes_nothing(
    cast: Cast, board: Board, open_vote: Vote, receipt: str, status: int, message: str
) -> None:
    own = _cast(cast.dee, open_vote, "approve")
    marcus = _cast(board.marcus, open_vote, "approve")
    typed = {
        "another": new_receipt(),
        "marcus's": marcus,
        "mistyped": ("B" if own[0] == "A" else "A") + own[1:],
        "too short": own[:9],
    }[receipt]
    before = _everything()

    with _during(open_vote):
        response = client_for(cast.dee).put(
            vote_url(open_vote.proposal, "ballot/"), {"receipt": typed, "choice": "reject"}
        )

    assert response.status_code == status
    assert message in str(error_of(response)["message"])
    assert _everything() == before
    assert sorted(Ballot.objects.values_list("choice", flat=True)) == ["approve", "approve"]


def test_a_mistyped_receipt_is_explained_in_the_readers_language(
    cast: Cast, open_vote: Vote
) -> None:
    own = _cast(cast.dee, open_vote, "approve")
    with _during(open_vote):
        response = client_for(cast.dee).put(
            vote_url(open_vote.proposal, "ballot/"),
            {"receipt": own[:9], "choice": "reject"},
            HTTP_ACCEPT_LANGUAGE="es",
        )
    assert response.status_code == 400
    assert "Un comprobante tiene 28 letras y dígitos" in str(error_of(response)["message"])


def test_no_change_without_having_voted(cast: Cast, open_vote: Vote) -> None:
    with _during(open_vote):
        response = client_for(cast.dee).put(
            vote_url(open_vote.proposal, "ballot/"),
            {"receipt": new_receipt(), "choice": "reject"},
        )

    assert response.status_code == 409
    assert error_of(response)["message"] == "You have not voted in this vote yet."


# --- Reading ----------------------------------------------------------------------------


def test_while_open_the_vote_shows_the_turnout_and_never_a_count_by_choice(
    cast: Cast, board: Board, open_vote: Vote
) -> None:
    _cast(cast.dee, open_vote, "approve")
    _cast(board.ama, open_vote, "reject")

    with _during(open_vote):
        for who in (None, cast.dee, board.ben, cast.olu):
            response = client_for(who).get(vote_url(open_vote.proposal))
            assert response.status_code == 200
            data = response.json()
            assert data["public_id"] == str(open_vote.public_id)
            assert data["stage"] == "open"
            assert data["accepts_ballots"] is True
            assert data["version"] == 1
            assert data["content_hash"] == open_vote.version.content_hash
            assert data["electorate_size"] == 4
            assert data["turnout"] == 2
            assert data["turnout_needed"] == 1  # a quarter of four
            assert data["result"] is None
            assert data["close_at"] is not None
            for word in ("approve", "reject", "abstain"):
                assert word not in response.content.decode(), (who, word)

        dee = client_for(cast.dee).get(vote_url(open_vote.proposal))
        ben = client_for(board.ben).get(vote_url(open_vote.proposal))
        olu = client_for(cast.olu).get(vote_url(open_vote.proposal))
        anonymous = client_for(None).get(vote_url(open_vote.proposal))

    assert (dee.json()["may_vote"], dee.json()["has_voted"]) == (True, True)
    assert dee.json()["actions"] == {"cast": False, "change": True, "bring_forward": False}
    assert (ben.json()["may_vote"], ben.json()["has_voted"]) == (True, False)
    assert ben.json()["actions"]["cast"] is True
    assert (olu.json()["may_vote"], olu.json()["has_voted"]) == (False, False)
    assert (anonymous.json()["may_vote"], anonymous.json()["has_voted"]) == (False, False)
    for personal in (dee, ben, olu):
        assert "no-store" in personal["Cache-Control"]


def test_a_finalised_vote_is_read_in_two_queries_whatever_its_ballots(
    cast: Cast, board: Board, open_vote: Vote
) -> None:
    """1. the proposal, if visible (with its space and versions);
    2. the vote, with its proposal, space, version, frozen rulebook and round;
    and, on PostgreSQL, the database clock's reading, for the vote's stage.
    The result comes from the counts stored at the finalisation, never from the ballots."""
    for who in (cast.dee, *board.members):
        _cast(who, open_vote)
    vote = _finalise(open_vote)
    address = vote_url(vote.proposal)
    client = client_for(None)

    with _after_close(vote), CaptureQueriesContext(connection) as queries:
        response = client.get(address)

    assert response.json()["result"]["counts"]["approve"] == 4
    clock_reads = 1 if connection.vendor == "postgresql" else 0
    assert len(queries) == 2 + clock_reads, [query["sql"] for query in queries.captured_queries]


def test_a_scheduled_vote_shows_its_opening_and_no_snapshot_yet(
    cast: Cast, scheduled_vote: Vote
) -> None:
    data = client_for(cast.dee).get(vote_url(scheduled_vote.proposal)).json()

    assert data["stage"] == "scheduled"
    assert data["opens_at"] is not None
    assert data["opened_at"] is None
    assert data["electorate_size"] is None
    assert data["turnout"] == 0
    assert data["turnout_needed"] is None
    assert data["may_vote"] is False
    assert data["will_not_open"] is False


def test_a_proposal_without_a_vote_or_not_visible_is_a_404(
    cast: Cast, open_round: Round, draft: Proposal
) -> None:
    response = client_for(cast.dee).get(vote_url(open_round.proposal))
    assert response.status_code == 404
    assert "has no vote" in str(error_of(response)["message"])

    assert client_for(cast.dee).get(vote_url(99999)).status_code == 404
    hidden = proposal_services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title="Hidden"
    )
    for suffix in ("", "receipts.csv", "result.json"):
        assert client_for(cast.dee).get(vote_url(hidden, suffix)).status_code == 404
    response = client_for(cast.dee).post(vote_url(hidden, "ballot/"), {"choice": "approve"})
    assert response.status_code == 404


# --- The result and what it publishes ---------------------------------------------------


def test_once_finalised_the_result_the_files_and_the_receipt_check_agree(
    cast: Cast, board: Board, open_vote: Vote
) -> None:
    receipts = {
        "dee": _cast(cast.dee, open_vote, "approve"),
        "marcus": _cast(board.marcus, open_vote, "approve"),
        "ama": _cast(board.ama, open_vote, "reject"),
        "ben": _cast(board.ben, open_vote, "abstain"),
    }
    vote = _finalise(open_vote)
    client = client_for(None)

    with _after_close(vote):
        data = client.get(vote_url(vote.proposal)).json()
        listed = client.get(vote_url(vote.proposal, "receipts.csv"), HTTP_ACCEPT="text/csv")
        summary = client.get(vote_url(vote.proposal, "result.json"))
        check = client.post(vote_url(vote.proposal, "receipt-check/"), {"receipt": receipts["ama"]})

    assert data["stage"] == "finalised"
    assert data["turnout"] == 4
    result = data["result"]
    # The board of three is below the minimum group size (5): the whole electorate decides.
    assert result["outcome"] == "adopted"
    assert result["rule"] == "passed"
    assert result["rule_label"] == "the turnout quorum and the approval threshold were met"
    assert result["decided_by_whole_electorate"] is True
    assert data["decided_by_whole_electorate"] is True
    assert (data["board_size"], data["electorate_size"]) == (3, 4)
    assert result["withdrawn"] is False
    assert result["counts"] == {"approve": 2, "reject": 1, "abstain": 1}
    assert (result["turnout"], result["turnout_needed"], result["quorum_met"]) == (4, 1, True)
    assert result["approval"] == "2/3"
    assert result["approval_threshold"] == "1/2 (more than)"
    assert result["approval_threshold_strict"] is True
    assert result["approval_passed"] is True
    assert result["dual_majority"] is True
    # Groups below the minimum size: no counts by group, nor how many board members voted.
    assert result["advisory_turnout"] is None
    assert (result["advisory_turnout_needed"], result["advisory_turnout_met"]) == (None, None)
    assert result["counts_by_group"] is False
    assert result["counts_advisory_board"] is None
    assert result["counts_everyone_else"] is None
    assert result["choices_published"] is True
    assert result["receipts_sha256"] == vote.receipts_sha256
    assert result["receipts_url"] == "http://testserver" + vote_url(vote.proposal, "receipts.csv")
    assert result["result_url"] == "http://testserver" + vote_url(vote.proposal, "result.json")

    assert listed.status_code == 200
    assert listed["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in listed["Content-Disposition"]
    lines = listed.content.decode().splitlines()
    assert lines[0] == "receipt_hash,choice"
    assert f"{ballot_hash(receipts['dee'])},approve" in lines
    assert f"{ballot_hash(receipts['ama'])},reject" in lines
    assert len(lines) == 5
    assert hashlib.sha256(listed.content).hexdigest() == vote.receipts_sha256

    assert summary.status_code == 200
    assert summary["Content-Type"].startswith("application/json")
    document = json.loads(summary.content)
    assert document["format"] == "realvoice-result/1"
    assert document["vote_id"] == str(vote.public_id)
    assert document["counts"] == result["counts"]
    assert document["turnout"] == 4
    assert document["electorate"] == 4
    assert document["receipts_sha256"] == hashlib.sha256(listed.content).hexdigest()

    assert check.status_code == 200
    assert "no-store" in check["Cache-Control"]
    assert check.json() == {
        "listed": True,
        "receipt_hash": ballot_hash(receipts["ama"]),
        "choice": "reject",
        "choices_published": True,
        "message": "Your ballot is in the published receipts list, counted as: reject.",
    }


def test_the_receipt_check_stores_nothing_and_names_a_mistyped_receipt(
    cast: Cast, open_vote: Vote
) -> None:
    receipt = _cast(cast.dee, open_vote, "approve")
    vote = _finalise(open_vote)
    before = _everything()
    client = client_for(None)

    with _after_close(vote):
        unknown = client.post(vote_url(vote.proposal, "receipt-check/"), {"receipt": new_receipt()})
        mistyped = client.post(
            vote_url(vote.proposal, "receipt-check/"), {"receipt": receipt[:-1] + "9"}
        )
        loose = client.post(vote_url(vote.proposal, "receipt-check/"), {"receipt": receipt.lower()})

    assert unknown.status_code == 200
    assert unknown.json()["listed"] is False
    assert unknown.json()["choice"] is None
    assert mistyped.status_code == 400
    assert error_of(mistyped)["fields"] == {
        "receipt": [
            "A receipt has only the letters A to Z and the digits 2 to 7; it cannot contain '9'."
        ]
    }
    assert loose.json()["listed"] is True
    assert _everything() == before


def test_with_hashes_only_the_list_and_the_check_show_no_choice(
    cast: Cast, scheduled_vote: Vote
) -> None:
    fay = _facilitator(cast)
    space_services.rulebook_change(
        actor=Actor(user=fay, mfa=True, recently_authenticated=True),
        space=cast.space,
        publish_receipt_choices=False,
    )
    with clock_set(scheduled_vote.opens_at + MINUTE):
        services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    receipt = _cast(cast.dee, scheduled_vote, "reject")
    vote = _finalise(scheduled_vote)

    with _after_close(vote):
        listed = client_for(None).get(vote_url(vote.proposal, "receipts.csv"))
        check = client_for(None).post(
            vote_url(vote.proposal, "receipt-check/"), {"receipt": receipt}
        )

    assert listed.content.decode().splitlines() == ["receipt_hash", ballot_hash(receipt)]
    assert check.json()["listed"] is True
    assert check.json()["choice"] is None
    assert check.json()["choices_published"] is False
    assert "reject" not in check.content.decode()


def test_counts_by_group_are_published_when_each_group_reaches_the_minimum_size(
    cast: Cast, board: Board, scheduled_vote: Vote
) -> None:
    """Two more board members (a bloc of five) and eight more voters (nine others)."""
    more_board = [
        MembershipFactory(
            space=cast.space, user=UserFactory(username=f"board{n}"), role="board"
        ).user
        for n in range(2)
    ]
    voters = [
        MembershipFactory(
            space=cast.space, user=UserFactory(username=f"voter{n}"), role="electorate"
        ).user
        for n in range(8)
    ]
    with clock_set(scheduled_vote.opens_at + MINUTE):
        services.vote_open_if_due(vote=scheduled_vote)
    scheduled_vote.refresh_from_db()
    for member in [*board.members, *more_board]:
        _cast(member, scheduled_vote, "approve")
    for n, voter in enumerate([cast.dee, *voters]):
        _cast(voter, scheduled_vote, "reject" if n < 3 else "approve")
    vote = _finalise(scheduled_vote)

    with _after_close(vote):
        result = client_for(None).get(vote_url(vote.proposal)).json()["result"]

    assert result["outcome"] == "adopted"
    assert result["rule"] == "passed"
    assert result["counts"] == {"approve": 11, "reject": 3, "abstain": 0}
    assert result["approval"] == "11/14"
    assert (result["advisory_turnout"], result["advisory_turnout_needed"]) == (5, 5)
    assert result["advisory_turnout_met"] is True
    assert result["counts_by_group"] is True
    assert result["counts_advisory_board"] == {"approve": 5, "reject": 0, "abstain": 0}
    assert result["counts_everyone_else"] == {"approve": 6, "reject": 3, "abstain": 0}


def test_the_files_and_the_check_wait_for_the_finalisation(cast: Cast, open_vote: Vote) -> None:
    receipt = _cast(cast.dee, open_vote, "approve")
    client = client_for(None)

    for moment, stage, says in (
        (_during, "open", "finalised"),
        (_after_close, "counting", "is being counted"),
    ):
        with moment(open_vote):
            shown = client.get(vote_url(open_vote.proposal)).json()["stage"]
            responses = [
                client.get(vote_url(open_vote.proposal, "receipts.csv")),
                client.get(vote_url(open_vote.proposal, "result.json"), HTTP_ACCEPT="text/csv"),
                client.post(vote_url(open_vote.proposal, "receipt-check/"), {"receipt": receipt}),
            ]
        assert shown == stage
        for response in responses:
            assert response.status_code == 409
            assert response["Content-Type"].startswith("application/json")
            assert says in str(error_of(response)["message"])
    assert not Vote.objects.filter(finalised_at__isnull=False).exists()


# --- Bringing the opening forward -------------------------------------------------------


def test_a_facilitator_with_a_second_factor_brings_the_opening_forward(
    cast: Cast, scheduled_vote: Vote
) -> None:
    fay = _facilitator(cast)
    earlier = db_now() + 3 * DAY
    client = _with_second_factor(fay)

    shown = client.get(vote_url(scheduled_vote.proposal)).json()
    assert shown["actions"]["bring_forward"]
    assert shown["earliest_opening"] == (
        scheduled_vote.earliest_opening().isoformat().replace("+00:00", "Z")
    )
    response = client.post(
        vote_url(scheduled_vote.proposal, "opening/"), {"opens_at": earlier.isoformat()}
    )

    assert response.status_code == 200, response.json()
    assert "no-store" in response["Cache-Control"]
    scheduled_vote.refresh_from_db()
    assert scheduled_vote.opens_at == earlier
    assert response.json()["opens_at"] == earlier.isoformat().replace("+00:00", "Z")
    assert Event.objects.filter(kind="vote.brought_forward").count() == 1


@pytest.mark.parametrize(
    "who", ["facilitator by token", "facilitator without a second factor", "voter", "author"]
)
def test_only_a_facilitator_using_their_powers_brings_the_opening_forward(
    cast: Cast, scheduled_vote: Vote, who: str
) -> None:
    fay = _facilitator(cast)
    client = {
        "facilitator by token": lambda: client_for(fay, token=True),
        "facilitator without a second factor": lambda: client_for(fay),
        "voter": lambda: _with_second_factor(cast.dee),
        "author": lambda: _with_second_factor(cast.olu),
    }[who]()
    before = _everything()

    assert client.get(vote_url(scheduled_vote.proposal)).json()["actions"]["bring_forward"] is False
    response = client.post(
        vote_url(scheduled_vote.proposal, "opening/"),
        {"opens_at": (db_now() + DAY).isoformat()},
    )

    assert response.status_code == 403
    assert error_of(response)["message"] == "Only the space's facilitators set an earlier opening."
    assert _everything() == before


def test_an_opening_before_the_floor_after_the_response_is_refused_with_nothing_changed(
    cast: Cast, scheduled_vote: Vote
) -> None:
    client = _with_second_factor(_facilitator(cast))
    earliest = scheduled_vote.earliest_opening()
    before = _everything()

    response = client.post(
        vote_url(scheduled_vote.proposal, "opening/"),
        {"opens_at": (earliest - MINUTE).isoformat()},
    )

    assert response.status_code == 400
    assert error_of(response)["message"] == (
        "A vote opens at least 2 days after the response was published, so the electorate "
        f"has time to read it: choose {earliest.day} {earliest:%B %Y, %H:%M} (UTC) or later."
    )
    assert _everything() == before


def test_the_opening_is_never_brought_later_nor_brought_forward_by_a_visitor(
    cast: Cast, scheduled_vote: Vote
) -> None:
    fay = _facilitator(cast)
    before = _everything()

    later = _with_second_factor(fay).post(
        vote_url(scheduled_vote.proposal, "opening/"),
        {"opens_at": (scheduled_vote.opens_at + DAY).isoformat()},
    )
    anonymous = client_for(None).post(
        vote_url(scheduled_vote.proposal, "opening/"), {"opens_at": db_now().isoformat()}
    )
    not_a_time = _with_second_factor(fay).post(
        vote_url(scheduled_vote.proposal, "opening/"), {"opens_at": "soon"}
    )

    assert later.status_code == 400
    assert error_of(later)["message"] == "A vote can open earlier than scheduled, never later."
    assert anonymous.status_code == 401
    assert not_a_time.status_code == 400
    assert "opens_at" in error_of(not_a_time)["fields"]
    assert _everything() == before


# --- The caller's open votes ------------------------------------------------------------


def test_the_open_votes_list_shows_each_voters_own_votes_and_whether_they_voted(
    cast: Cast, board: Board, open_vote: Vote
) -> None:
    with _during(open_vote):
        before = client_for(cast.dee).get("/api/v1/votes/open/")
    _cast(cast.dee, open_vote)
    with _during(open_vote):
        after = client_for(cast.dee, token=True).get("/api/v1/votes/open/")
        olu = client_for(cast.olu).get("/api/v1/votes/open/")
        anonymous = client_for(None).get("/api/v1/votes/open/")

    assert before.status_code == 200
    [row] = before.json()
    assert row["public_id"] == str(open_vote.public_id)
    assert row["proposal"] == open_vote.proposal_id
    assert row["space"] == "city"
    assert row["has_voted"] is False
    assert row["close_at"] is not None
    assert row["url"] == "http://testserver" + vote_url(open_vote.proposal)
    assert "no-store" in before["Cache-Control"]
    assert after.json()[0]["has_voted"] is True
    assert olu.json() == []
    assert anonymous.status_code == 401


def test_a_finalised_vote_leaves_the_open_votes_list(cast: Cast, open_vote: Vote) -> None:
    vote = _finalise(open_vote)
    with _after_close(vote):
        assert client_for(cast.dee).get("/api/v1/votes/open/").json() == []


# --- The schema and the map -------------------------------------------------------------


def test_the_openapi_schema_describes_every_voting_endpoint(db: None) -> None:
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    schema = Client().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    base = "/api/v1/spaces/{space_slug}/proposals/{id}/vote/"

    expected = {
        base: {"get"},
        base + "ballot/": {"post", "put"},
        base + "opening/": {"post"},
        base + "receipts.csv": {"get"},
        base + "result.json": {"get"},
        base + "receipt-check/": {"post"},
        "/api/v1/votes/": {"get"},
        "/api/v1/votes/open/": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) == methods, path
    cast_op = paths[base + "ballot/"]["post"]
    assert {"201", "400", "403", "409"} <= set(cast_op["responses"])
    assert "requestBody" in cast_op
    assert "text/csv" in paths[base + "receipts.csv"]["get"]["responses"]["200"]["content"]
    vote_schema = schema["components"]["schemas"]["Vote"]["properties"]
    assert {"stage", "turnout", "turnout_needed", "may_vote", "has_voted", "result"} <= set(
        vote_schema
    )


def test_the_api_root_links_the_voting_index(cast: Cast) -> None:
    links = client_for(None).get("/api/v1/").json()

    index = client_for(None).get(links["voting"]).json()
    assert index["proposal_vote"].endswith("/api/v1/spaces/{space_slug}/proposals/{id}/vote/")
    assert index["open_votes"] == "http://testserver/api/v1/votes/open/"
