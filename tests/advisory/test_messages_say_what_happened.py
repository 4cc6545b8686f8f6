"""Each message after a review or a recusal says what the service reports happened to the
round, never a fixed sentence that guesses: closed because every member answered, closed
because the quorum came after the deadline, or still open with N of M answered; and a
round that can never reach its quorum says so, publicly, and tells its facilitators once
that the board needs members. Each case is reached through the services, then on the
page and in the API."""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

import pytest
from django.test import Client

from accounts.models import User
from advisory import services
from advisory.arithmetic import CloseReason
from advisory.models import Round
from advisory.outcomes import recusal_message, review_message
from core.clock import clock_set
from notifications.models import Notification
from spaces.models import Rulebook
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory, UserFactory
from tests.pages.support import Page
from tests.proposals.api_support import client_for
from tests.proposals.conftest import Cast, actor
from tests.proposals.test_pages_actions import confirm_submission

pytestmark = pytest.mark.django_db


class ReviewBody(TypedDict):
    verdict: str
    rationale: str


BODY: ReviewBody = {"verdict": "endorse", "rationale": "Meets people where they are."}


def _late(in_round: Round) -> Any:
    """The services' database clock ten days past the round's deadline."""
    moment = in_round.deadline_at + datetime.timedelta(days=10)
    return clock_set(moment)


def _review_url(in_round: Round) -> str:
    proposal = in_round.proposal
    return f"/spaces/city/proposals/{proposal.pk}/rounds/{in_round.version.number}/review/"


def _post_review(who: User, in_round: Round) -> str:
    """Review from the page as ``who``; the text of the page the form leads to."""
    client = Client()
    sign_in(client, who)
    response = client.post(_review_url(in_round), BODY, follow=True)
    assert response.status_code == 200
    return Page(response.content.decode()).text


def _api_review(who: User, in_round: Round) -> dict[str, Any]:
    proposal = in_round.proposal
    path = f"/api/v1/spaces/city/proposals/{proposal.pk}/rounds/{in_round.version.number}/review/"
    response = client_for(who).put(path, BODY, format="json")
    assert response.status_code == 200, response.content
    return dict(response.json())


# --- Through the services --------------------------------------------------------------


def test_the_last_member_to_answer_closes_the_round_because_all_answered(
    board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round, verdict="oppose")
    given = services.review_give(actor=actor(board.ben), round=open_round, **BODY)

    assert given.round.closed_now
    assert given.round.close_reason == CloseReason.ALL_ANSWERED
    assert given.round.passed
    message = review_message(given)
    assert "With it every member of the board has answered, so the round is closed" in message
    assert "its authors respond to the board before a vote" in message


def test_an_answer_that_brings_the_quorum_past_the_deadline_says_so(
    board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round, verdict="request_changes")
    with _late(open_round):
        services.rounds_sweep()  # overdue: one answer of the two a quorum needs
        given = services.review_give(actor=actor(board.ama), round=open_round, **BODY)

    assert given.round.closed_now
    assert given.round.close_reason == CloseReason.QUORUM_AFTER_DEADLINE
    assert (given.round.answered, given.round.board_size) == (2, 3)
    message = review_message(given)
    # Ben never answered: nothing says the whole board did.
    assert "every member" not in message
    assert "past its deadline without a quorum; with this answer it has one" in message
    assert "goes back to its authors for revision" in message


def test_an_answer_that_leaves_the_round_open_says_how_many_have_answered(
    board: Board, open_round: Round
) -> None:
    given = services.review_give(actor=actor(board.marcus), round=open_round, **BODY)
    changed = services.review_give(
        actor=actor(board.marcus), round=open_round, verdict="abstain", rationale="Unsure."
    )

    assert not given.round.closed_now
    assert given.created
    assert not changed.created
    assert "The round is still open: 1 of 3 members have answered." in review_message(given)
    assert review_message(changed).startswith("Your review is changed.")
    assert "closed" not in review_message(given).replace("until the round closes", "")


def test_a_recusal_that_leaves_too_few_seats_says_the_round_can_never_pass(
    cast: Cast, board: Board, open_round: Round
) -> None:
    facilitator = MembershipFactory(
        space=cast.space, user=UserFactory(username="rosa"), role="facilitator"
    ).user
    first = services.recusal_declare(actor=actor(board.ama), round=open_round)
    assert not first.round.unreachable
    assert "1 of 3 members have answered" in recusal_message(first)

    second = services.recusal_declare(actor=actor(board.ben), round=open_round)

    assert second.round.unreachable
    assert not second.round.closed_now
    message = recusal_message(second)
    assert "You stepped aside from this round." in message
    assert "can still answer for it ever to reach its quorum, so it will not pass" in message
    told = Notification.objects.filter(kind="advisory.board_needs_members")
    assert [n.recipient_id for n in told] == [facilitator.pk]
    assert "The board needs members" in told.get().body
    # Once, not every minute: the sweep, past the deadline too, sends no second one and
    # no "each answer counts" reminder.
    with _late(open_round):
        services.rounds_sweep()
        services.rounds_sweep()
    assert Notification.objects.filter(kind="advisory.board_needs_members").count() == 1
    assert not Notification.objects.filter(kind="advisory.round_overdue").exists()
    # Marcus's one answer never closes it.
    with _late(open_round):
        review(board.marcus, open_round)
    open_round.refresh_from_db()
    assert open_round.is_open


def test_a_round_opened_with_too_small_a_board_tells_the_facilitators_at_once(
    cast: Cast, board: Board, draft: Any
) -> None:
    from proposals import services as proposal_services

    facilitator = MembershipFactory(space=cast.space, role="facilitator").user
    Rulebook.objects.create(space=cast.space, version=2, minimum_reviews=4)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    told = Notification.objects.filter(kind="advisory.board_needs_members")
    assert [n.recipient_id for n in told] == [facilitator.pk]


# --- On the page and in the API -----------------------------------------------------------


def test_the_page_says_the_round_closed_because_all_answered(
    board: Board, open_round: Round
) -> None:
    review(board.marcus, open_round)
    review(board.ama, open_round)

    text = _post_review(board.ben, open_round)

    assert "With it every member of the board has answered, so the round is closed" in text


def test_the_page_says_the_quorum_came_after_the_deadline(board: Board, open_round: Round) -> None:
    review(board.marcus, open_round)
    with _late(open_round):
        text = _post_review(board.ama, open_round)

    assert "every member" not in text
    assert "The round was past its deadline without a quorum; with this answer it has one" in text


def test_the_page_says_the_round_is_still_open_with_how_many_answered(
    board: Board, open_round: Round
) -> None:
    text = _post_review(board.marcus, open_round)

    assert "The round is still open: 1 of 3 members have answered." in text


def test_the_page_and_the_api_say_publicly_that_a_round_can_never_reach_its_quorum(
    board: Board, open_round: Round
) -> None:
    services.recusal_declare(actor=actor(board.ama), round=open_round)
    services.recusal_declare(actor=actor(board.ben), round=open_round)
    proposal = open_round.proposal

    text = Page(Client().get(f"/spaces/city/proposals/{proposal.pk}/").content.decode()).text
    round_text = Page(
        Client()
        .get(f"/spaces/city/proposals/{proposal.pk}/rounds/{open_round.version.number}/")
        .content.decode()
    ).text
    body = (
        client_for(None)
        .get(f"/api/v1/spaces/city/proposals/{proposal.pk}/rounds/{open_round.version.number}/")
        .json()
    )

    for page in (text, round_text):
        assert "The board needs members." in page
        assert "This round can never reach its quorum: it needs 2 answers" in page
        assert "of the board frozen at its opening only 1 can still answer" in page
    assert body["unreachable"] is True
    assert (body["quorum_needed"], body["minimum_reviews"]) == (2, 2)


@pytest.mark.parametrize("case", ["all_answered", "quorum_after_deadline", "open"])
def test_the_api_answer_says_what_the_review_did(
    board: Board, open_round: Round, case: str
) -> None:
    if case == "all_answered":
        review(board.marcus, open_round)
        review(board.ama, open_round)
        body = _api_review(board.ben, open_round)
    elif case == "quorum_after_deadline":
        review(board.marcus, open_round)
        with _late(open_round):
            body = _api_review(board.ama, open_round)
    else:
        body = _api_review(board.marcus, open_round)

    state = body["round_state"]
    if case == "open":
        assert (state["closed"], state["closed_because"], state["passed"]) == (False, "", None)
        assert (state["answered"], state["board_size"]) == (1, 3)
        assert "The round is still open: 1 of 3 members have answered." in body["message"]
    else:
        assert (state["closed"], state["closed_because"], state["passed"]) == (True, case, True)
        words = {
            "all_answered": "every member of the board has answered",
            "quorum_after_deadline": "past its deadline without a quorum",
        }
        assert words[case] in body["message"]
    assert body["verdict"] == "endorse"


def test_the_api_answer_to_a_recusal_says_what_it_did(board: Board, open_round: Round) -> None:
    proposal = open_round.proposal
    path = (
        f"/api/v1/spaces/city/proposals/{proposal.pk}/rounds/{open_round.version.number}/recusal/"
    )
    response = client_for(board.ben).post(path, {"reason": ""}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["round_state"]["answered"] == 1
    assert body["round_state"]["closed"] is False
    assert "The round is still open: 1 of 3 members have answered." in body["message"]


@pytest.mark.parametrize("minimum", [2, 4])
def test_the_submission_message_says_who_reviews_it_or_that_it_cannot_pass(
    cast: Cast, board: Board, draft: Any, minimum: int
) -> None:
    if minimum != 2:
        Rulebook.objects.create(space=cast.space, version=2, minimum_reviews=minimum)
    client = Client()
    sign_in(client, cast.olu)

    response = confirm_submission(client, draft.pk)

    text = Page(response.content.decode()).text
    assert "Version 1 is submitted and public." in text
    if minimum == 2:
        opened = Round.objects.get(proposal=draft)
        at = opened.deadline_at
        deadline = f"{at.day} {at:%B %Y, %H:%M} (UTC)"
        assert (
            f"3 members of the advisory board review it until {deadline}; at least 2 "
            "must answer." in text
        )
    else:
        assert "so it cannot pass as things stand" in text
        assert "review it until" not in text
