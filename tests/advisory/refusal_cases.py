"""The advisory refusal table: see tests/refusals.py. Each row refuses someone on Olu's
open round (tests/advisory/fixtures.py: Marcus, Ama and Ben on its board)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from advisory import services
from advisory.models import Round
from tests.advisory.conftest import Board, review
from tests.proposals.conftest import Cast, actor
from tests.refusals import Attempt, RefusalCase, Request

REVIEW = {"verdict": "endorse", "rationale": "Meets people where they are.", "conditions": []}


def _round(request: pytest.FixtureRequest) -> tuple[Cast, Board, Round]:
    return (
        request.getfixturevalue("cast"),
        request.getfixturevalue("board"),
        request.getfixturevalue("open_round"),
    )


def _address(name: str, round: Round) -> str:
    proposal = round.proposal
    return reverse(
        name,
        kwargs={
            "space_slug": proposal.space.slug,
            "pk": proposal.pk,
            "version": round.version.number,
        },
    )


def _review_by_an_author(request: pytest.FixtureRequest) -> Attempt:
    # Olu authors the proposal and sits on no board.
    cast, _board, round = _round(request)
    return Attempt(
        user=cast.olu,
        service=lambda: services.review_give(
            actor=actor(cast.olu), round=round, verdict="endorse", rationale="Good."
        ),
        page=Request(
            "post", _address("advisory:review", round), {"verdict": "endorse", "rationale": "Good."}
        ),
        api=Request("put", _address("api:advisory:review", round), REVIEW),
    )


def _recusal_after_reviewing(request: pytest.FixtureRequest) -> Attempt:
    _cast, board, round = _round(request)
    review(board.ama, round)
    return Attempt(
        user=board.ama,
        service=lambda: services.recusal_declare(actor=actor(board.ama), round=round),
        page=Request("post", _address("advisory:recuse", round), {"reason": ""}),
        api=Request("post", _address("api:advisory:recusal", round), {"reason": ""}),
    )


def _message_by_a_voter(request: pytest.FixtureRequest) -> Attempt:
    # Dee only votes: she is neither on the board nor an author.
    cast, _board, round = _round(request)
    return Attempt(
        user=cast.dee,
        service=lambda: services.message_post(
            actor=actor(cast.dee), round=round, body="A question."
        ),
        page=Request("post", _address("advisory:message", round), {"body": "A question."}),
        api=Request("post", _address("api:advisory:messages", round), {"body": "A question."}),
    )


def _response_while_open(request: pytest.FixtureRequest) -> Attempt:
    cast, _board, round = _round(request)
    return _response_by(cast.olu, round)


def _response_by_a_board_member(request: pytest.FixtureRequest) -> Attempt:
    _cast, board, round = _round(request)
    return _response_by(board.ama, round)


def _response_by(user: User, round: Round) -> Attempt:
    return Attempt(
        user=user,
        service=lambda: services.response_publish(actor=actor(user), round=round, answers={}),
        page=Request("post", _address("advisory:response", round), {"statement": ""}),
        api=Request(
            "post", _address("api:advisory:response", round), {"answers": {}, "statement": ""}
        ),
    )


CASES: list[RefusalCase] = [
    RefusalCase(
        action="advisory.review",
        about="a review by someone not on the round's board",
        arrange=_review_by_an_author,
    ),
    RefusalCase(
        action="advisory.recuse",
        about="stepping aside after reviewing",
        arrange=_recusal_after_reviewing,
    ),
    RefusalCase(
        action="advisory.post_message",
        about="a thread message by a voter",
        arrange=_message_by_a_voter,
    ),
    RefusalCase(
        action="advisory.respond",
        about="a response while the round is open",
        arrange=_response_while_open,
    ),
    RefusalCase(
        action="advisory.respond",
        about="a response by someone who is not an author",
        arrange=_response_by_a_board_member,
    ),
]
