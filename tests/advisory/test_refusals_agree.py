"""A refusal reads the same wherever it is met: for each advisory action, the service,
the page and the API refuse the same person in the same state with the same message and
the same status, and none of them writes anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from advisory import services
from advisory.models import Message, Response, Review, Round, Seat
from core.errors import DomainError
from history.models import Event
from tests.advisory.conftest import Board, review
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Attempt:
    """One refused action: who tries it on the round, and how each surface is asked."""

    who: Callable[[Cast, Board], User]
    before: Callable[[Cast, Board, Round], object]
    service: Callable[[User, Round], object]
    page: tuple[str, str, dict[str, Any]]  # method, URL name, form data
    api: tuple[str, str, dict[str, Any]]  # method, URL name, JSON body


def _nothing(cast: Cast, board: Board, round: Round) -> None:
    return None


def _ama_reviewed(cast: Cast, board: Board, round: Round) -> None:
    review(board.ama, round)


REVIEW = {"verdict": "endorse", "rationale": "Meets people where they are.", "conditions": []}
ATTEMPTS = {
    # Olu authors the proposal and sits on no board.
    "review by someone not on the board": Attempt(
        who=lambda cast, board: cast.olu,
        before=_nothing,
        service=lambda user, round: services.review_give(
            actor=actor(user), round=round, verdict="endorse", rationale="Good."
        ),
        page=("post", "advisory:review", {"verdict": "endorse", "rationale": "Good."}),
        api=("put", "api:advisory:review", REVIEW),
    ),
    "stepping aside after reviewing": Attempt(
        who=lambda cast, board: board.ama,
        before=_ama_reviewed,
        service=lambda user, round: services.recusal_declare(actor=actor(user), round=round),
        page=("post", "advisory:recuse", {"reason": ""}),
        api=("post", "api:advisory:recusal", {"reason": ""}),
    ),
    "a response while the round is open": Attempt(
        who=lambda cast, board: cast.olu,
        before=_nothing,
        service=lambda user, round: services.response_publish(
            actor=actor(user), round=round, answers={}
        ),
        page=("post", "advisory:response", {"statement": ""}),
        api=("post", "api:advisory:response", {"answers": {}, "statement": ""}),
    ),
    "a response by someone who is not an author": Attempt(
        who=lambda cast, board: board.ama,
        before=_nothing,
        service=lambda user, round: services.response_publish(
            actor=actor(user), round=round, answers={}
        ),
        page=("post", "advisory:response", {"statement": ""}),
        api=("post", "api:advisory:response", {"answers": {}, "statement": ""}),
    ),
    # Dee only votes: she is neither on the board nor an author.
    "a thread message by a voter": Attempt(
        who=lambda cast, board: cast.dee,
        before=_nothing,
        service=lambda user, round: services.message_post(
            actor=actor(user), round=round, body="A question."
        ),
        page=("post", "advisory:message", {"body": "A question."}),
        api=("post", "api:advisory:messages", {"body": "A question."}),
    ),
}


def _written() -> tuple[int, ...]:
    return (
        Event.objects.count(),
        Review.objects.count(),
        Seat.objects.filter(recused_at__isnull=False).count(),
        Message.objects.count(),
        Response.objects.count(),
    )


def _address(name: str, round: Round) -> str:
    proposal = round.proposal
    return reverse(
        name,
        kwargs={"space_slug": proposal.space.slug, "pk": proposal.pk, "version": 1},
    )


@pytest.mark.parametrize("attempt", ATTEMPTS.values(), ids=ATTEMPTS.keys())
def test_the_service_the_page_and_the_api_refuse_alike(
    attempt: Attempt, cast: Cast, board: Board, open_round: Round
) -> None:
    attempt.before(cast, board, open_round)
    user = attempt.who(cast, board)
    written = _written()

    with pytest.raises(DomainError) as raised:
        attempt.service(user, open_round)
    refusal = raised.value
    page_client = Client()
    page_client.force_login(user)
    method, name, form = attempt.page
    page = getattr(page_client, method)(_address(name, open_round), form)
    api_client = APIClient()
    api_client.force_authenticate(user)
    method, name, body = attempt.api
    api = getattr(api_client, method)(_address(name, open_round), body, format="json")

    assert (page.status_code, api.status_code) == (refusal.status_code, refusal.status_code)
    assert escape(refusal.message) in page.content.decode()
    assert api.json()["error"]["message"] == refusal.message
    assert _written() == written
