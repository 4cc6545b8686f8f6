"""A vote past its close that the sweep has not finalised yet reads "counting" wherever a
proposal's state is shown: the proposal list and its state filter, the proposal page,
the printed record, the organisation's proposals, the API (state field and filter) and
the Atom feed. Pages never write: the state is derived from the vote's close on the
database clock, so these tests move the vote's times into the past in the database."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from core.errors import Conflict
from proposals.models import Proposal
from proposals.services import proposal_update_draft
from tests.accounts.support import sign_in
from tests.pages.support import Page
from tests.proposals.api_support import client_for
from tests.voting.conftest import Cast, actor
from voting import services
from voting.models import Vote

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DAY = datetime.timedelta(days=1)
LIST = "/spaces/city/proposals/"
API_LIST = "/api/v1/spaces/city/proposals/"


def _closed_an_hour_ago(vote: Vote) -> Vote:
    """The open vote, as it stands an hour after its close, before the sweep counts it."""
    now = timezone.now()
    Vote.objects.filter(pk=vote.pk).update(
        opened_at=now - 15 * DAY, close_at=now - datetime.timedelta(hours=1)
    )
    vote.refresh_from_db()
    return vote


def _text(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, path
    return Page(response.content.decode()).text


def _listed(query: str = "") -> list[int]:
    response = client_for(None).get(API_LIST + query)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _feed_state(cast: Cast) -> str | None:
    root = ET.fromstring(Client().get("/spaces/city/proposals/feed/").content)  # noqa: S314
    [entry] = root.findall(f"{ATOM}entry")
    [state] = [c for c in entry.findall(f"{ATOM}category") if c.get("scheme")]
    return state.get("term")


def test_an_open_vote_reads_voting_everywhere(cast: Cast, open_vote: Vote) -> None:
    proposal = Proposal.objects.get(pk=open_vote.proposal_id)

    assert proposal.shown_state == "voting"
    assert "State: voting" in _text(f"{LIST}{proposal.pk}/")
    assert _listed("?state=voting") == [proposal.pk]
    assert _listed("?state=counting") == []
    assert _feed_state(cast) == "voting"


def test_a_closed_vote_not_yet_finalised_reads_counting_everywhere(
    cast: Cast, open_vote: Vote
) -> None:
    vote = _closed_an_hour_ago(open_vote)
    pk = vote.proposal_id

    # The stored state is still "voting": nothing was written by reading.
    assert Proposal.objects.get(pk=pk).state == "voting"
    assert Proposal.objects.get(pk=pk).shown_state == "counting"

    listed = _text(LIST)
    assert "Counting" in listed
    assert "Voting ·" not in listed
    assert "Naloxone on the night bus" in _text(f"{LIST}?state=counting")
    assert "Naloxone on the night bus" not in _text(f"{LIST}?state=voting")

    page = _text(f"{LIST}{pk}/")
    assert "State: counting" in page
    assert "State: voting" not in page
    assert "State now counting" in _text(f"{LIST}{pk}/vote/record/")
    assert "Counting" in _text(f"/organisations/{cast.organisation.slug}/proposals/")

    detail = client_for(None).get(f"{API_LIST}{pk}/").json()
    assert (detail["state"], detail["state_label"]) == ("counting", "counting")
    [row] = client_for(None).get(API_LIST).json()["results"]
    assert (row["state"], row["state_label"]) == ("counting", "counting")
    assert _listed("?state=counting") == [pk]
    assert _listed("?state=voting") == []

    assert _feed_state(cast) == "counting"
    assert Proposal.objects.get(pk=pk).state == "voting"


def test_once_finalised_the_outcome_replaces_counting(cast: Cast, open_vote: Vote) -> None:
    vote = _closed_an_hour_ago(open_vote)
    assert services.vote_finalise_if_due(vote=vote)
    proposal = Proposal.objects.get(pk=vote.proposal_id)

    assert proposal.shown_state == proposal.state != "counting"
    assert _listed("?state=counting") == []
    assert f"State: {proposal.get_state_display()}" in _text(f"{LIST}{proposal.pk}/")


def test_the_api_refuses_an_unknown_state_and_names_counting_among_the_known(
    cast: Cast,
) -> None:
    response = client_for(None).get(API_LIST + "?state=tallying")

    assert response.status_code == 400
    assert "counting" in str(response.json())


def test_a_refusal_while_the_vote_is_counted_names_the_state_counting(
    cast: Cast, open_vote: Vote
) -> None:
    """Refusals name the state as pages show it: a proposal whose vote is being counted is
    "counting", never the stored "voting"."""
    vote = _closed_an_hour_ago(open_vote)
    proposal = Proposal.objects.get(pk=vote.proposal_id)
    client = Client()
    sign_in(client, cast.olu)

    page = client.get(f"{LIST}{proposal.pk}/edit/", follow=True)
    text = Page(page.content.decode()).text
    assert "This proposal cannot be edited any more: it is counting." in text
    assert "it is voting" not in text

    with pytest.raises(Conflict) as refused:
        proposal_update_draft(actor=actor(cast.olu), proposal=proposal, title="Later")
    assert refused.value.message.endswith("This one is counting.")
