"""The reviews listed as waiting for someone (their page, /reviews/waiting/ and the API)
are exactly the seats in which ``rules.answer_refusal`` lets them answer (the rule the
services raise when reviewing or stepping aside): a member who left the board, or is on
leave, is not sent to a review page that refuses them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from advisory import rules
from advisory.models import Round, Seat
from advisory.selectors import decision_of, reviews_waiting_for
from core.clock import db_now
from core.errors import Conflict, NotPermitted
from spaces import services as space_services
from spaces.models import Membership, Role
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db


def _board_seat(board: Board, cast: Cast) -> Membership:
    return Membership.objects.get(
        space=cast.space, user=board.ama, role=Role.BOARD, left_at__isnull=True
    )


def _as_is(cast: Cast, board: Board, round: Round) -> None:
    pass


def _reviewed(cast: Cast, board: Board, round: Round) -> None:
    review(board.ama, round)


def _left_the_board(cast: Cast, board: Board, round: Round) -> None:
    Membership.objects.filter(pk=_board_seat(board, cast).pk).update(left_at=timezone.now())


def _on_leave(cast: Cast, board: Board, round: Round) -> None:
    space_services.leave_start(actor=actor(board.ama), membership=_board_seat(board, cast))


def _back_from_leave(cast: Cast, board: Board, round: Round) -> None:
    membership = _board_seat(board, cast)
    space_services.leave_start(actor=actor(board.ama), membership=membership)
    space_services.leave_end(actor=actor(board.ama), membership=membership)


def _stepped_aside(cast: Cast, board: Board, round: Round) -> None:
    Seat.objects.filter(round=round, user=board.ama).update(recused_at=timezone.now())


def _round_closed(cast: Cast, board: Board, round: Round) -> None:
    for member in board.members:
        review(member, round)


SITUATIONS: dict[str, tuple[Callable[[Cast, Board, Round], None], bool]] = {
    "as is": (_as_is, True),
    "reviewed already": (_reviewed, True),
    "left the board": (_left_the_board, False),
    "on leave": (_on_leave, False),
    "back from leave": (_back_from_leave, True),
    "stepped aside": (_stepped_aside, False),
    "round closed": (_round_closed, False),
}


def _service_allows(cast: Cast, board: Board, round: Round) -> bool:
    fresh = Round.objects.get(pk=round.pk)
    refusal = rules.answer_refusal(
        actor=actor(board.ama), round=fresh, decision=decision_of(fresh, now=db_now())
    )
    assert refusal is None or isinstance(refusal, (NotPermitted, Conflict))
    return refusal is None


@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_waiting_list_offers_a_seat_exactly_when_the_service_accepts_an_answer(
    cast: Cast, board: Board, open_round: Round, situation: str
) -> None:
    change, answerable = SITUATIONS[situation]
    change(cast, board, open_round)

    listed = [waiting.round.pk for waiting in reviews_waiting_for(board.ama)]

    assert _service_allows(cast, board, open_round) is answerable
    assert listed == ([open_round.pk] if answerable else [])


@pytest.mark.parametrize("situation", ["left the board", "on leave"])
def test_a_review_that_can_no_longer_be_given_is_offered_on_no_page_and_in_no_api(
    cast: Cast, board: Board, open_round: Round, situation: str
) -> None:
    title = open_round.version.title
    review_url = f"/spaces/city/proposals/{open_round.proposal_id}/rounds/1/review/"
    before = sign_in(Client(), board.ama).get("/me/").content.decode()
    assert review_url in before

    SITUATIONS[situation][0](cast, board, open_round)
    client = sign_in(Client(), board.ama)
    api = sign_in(APIClient(), board.ama)

    assert review_url not in client.get("/me/").content.decode()
    assert title not in client.get("/reviews/waiting/").content.decode()
    assert api.get("/api/v1/reviews/waiting/").json() == []
    assert api.get("/api/v1/me/").json()["reviews"] in (None, [])
