"""The message after a withdrawal says what it ended, as the service reports it: an open
advisory round (closed without a verdict), an open vote (closed now, its count
published) or a scheduled vote (it never opens); on the page and in the API."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from advisory.models import Round
from core.clock import clock_set
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.pages.support import Page
from tests.proposals.api_support import client_for
from tests.voting.conftest import Cast, actor
from voting.models import Vote

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)

ROUND_ENDED = (
    "Its advisory review round is closed without a verdict; the reviews given in it stay sealed."
)
VOTE_COUNTED = (
    "Its vote is closed now and its count is published on the vote's page, marked as withdrawn."
)
VOTE_CANCELLED = "Its scheduled vote will not open."


def _during(vote: Vote) -> Any:
    """The voting services' database clock two hours into the open vote."""
    assert vote.opened_at is not None
    return clock_set(vote.opened_at + 2 * HOUR)


def _withdraw_on_the_page(cast: Cast, proposal: Proposal) -> str:
    client = sign_in(Client(), cast.olu)
    url = f"/spaces/city/proposals/{proposal.pk}/withdraw/"
    response = client.post(url, {"reason": "Funded elsewhere"}, follow=True)
    assert response.status_code == 200
    return Page(response.content.decode()).text


def test_withdrawing_during_the_review_says_the_round_is_closed(
    cast: Cast, open_round: Round
) -> None:
    text = _withdraw_on_the_page(cast, open_round.proposal)

    assert f"The proposal is withdrawn. {ROUND_ENDED}" in text
    assert VOTE_COUNTED not in text


def test_withdrawing_a_proposal_with_a_scheduled_vote_says_it_will_not_open(
    cast: Cast, scheduled_vote: Vote
) -> None:
    text = _withdraw_on_the_page(cast, scheduled_vote.proposal)

    assert f"The proposal is withdrawn. {VOTE_CANCELLED}" in text
    assert ROUND_ENDED not in text
    assert VOTE_COUNTED not in text


def test_withdrawing_during_the_vote_says_its_count_is_published(
    cast: Cast, open_vote: Vote
) -> None:
    with _during(open_vote):
        text = _withdraw_on_the_page(cast, open_vote.proposal)

    assert f"The proposal is withdrawn. {VOTE_COUNTED}" in text
    assert VOTE_CANCELLED not in text
    open_vote.refresh_from_db()
    assert open_vote.finalised_at is not None


def test_a_draft_withdrawn_ended_nothing_and_says_only_that(cast: Cast, draft: Proposal) -> None:
    withdrawal = proposal_services.proposal_withdraw(
        actor=actor(cast.olu), proposal=draft, reason="Not now"
    )

    assert (withdrawal.round_ended, withdrawal.vote_counted, withdrawal.vote_cancelled) == (
        False,
        False,
        False,
    )


def test_the_api_answer_says_what_the_withdrawal_ended(cast: Cast, open_vote: Vote) -> None:
    path = f"/api/v1/spaces/city/proposals/{open_vote.proposal_id}/withdraw/"

    with _during(open_vote):
        answer = client_for(cast.olu).post(path, {"reason": "Funded elsewhere"}, format="json")

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["state"] == "withdrawn"
    assert body["message"] == f"The proposal is withdrawn. {VOTE_COUNTED}"
    out = io.StringIO()
    call_command("spectacular", "--validate", "--format", "openapi-json", stdout=out)
    schema = json.loads(out.getvalue())
    assert "message" in schema["components"]["schemas"]["Withdrawn"]["properties"]
