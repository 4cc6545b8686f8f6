"""A withdrawal's public reason over its limit is refused alike by the service, the page and
the API, with a field error on the reason, and the proposal stays as it was."""

from __future__ import annotations

import pytest
from django.test import Client

from core.errors import Invalid
from core.text import NOTE_MAX_LENGTH
from history.models import Event
from proposals import services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.pages.support import Page
from tests.proposals.api_support import client_for, url
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db

TOO_LONG = "r" * (NOTE_MAX_LENGTH + 1)


@pytest.fixture
def submitted(cast: Cast, draft: Proposal) -> Proposal:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    return draft


def _unchanged(proposal: Proposal, events: int) -> bool:
    proposal.refresh_from_db()
    return proposal.state == Proposal.State.ADVISORY_REVIEW and Event.objects.count() == events


def test_the_service_refuses_it_on_the_reason(cast: Cast, submitted: Proposal) -> None:
    events = Event.objects.count()

    with pytest.raises(Invalid) as refused:
        services.proposal_withdraw(actor=actor(cast.olu), proposal=submitted, reason=TOO_LONG)

    assert list(refused.value.fields) == ["reason"]
    assert "2,000 characters or fewer" in refused.value.message
    assert _unchanged(submitted, events)


def test_the_page_refuses_it_on_the_reason(cast: Cast, submitted: Proposal) -> None:
    events = Event.objects.count()
    client = sign_in(Client(), cast.olu)

    response = client.post(f"/spaces/city/proposals/{submitted.pk}/withdraw/", {"reason": TOO_LONG})

    assert response.status_code == 400
    page = Page(response.content.decode())
    assert page.find_all("textarea", name="reason", aria_invalid="true")
    assert "2000 characters" in page.text
    assert _unchanged(submitted, events)


def test_the_api_refuses_it_on_the_reason(cast: Cast, submitted: Proposal) -> None:
    events = Event.objects.count()

    response = client_for(cast.olu).post(url(submitted, "withdraw/"), {"reason": TOO_LONG})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["reason"]
    assert _unchanged(submitted, events)
