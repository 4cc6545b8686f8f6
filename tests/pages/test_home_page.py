"""The home page shows everyone the spaces, the open votes and the latest decisions
(votes counted and advisory rounds closed, newest first, bounded), and the API has the
same at /api/v1/home/; a person's own page is at /api/v1/me/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from advisory.models import Round
from core.clock import clock_set
from proposals import services as proposal_services
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board
from tests.pages.support import Page
from tests.pages.test_my_page import second_proposal
from tests.proposals.conftest import Cast, actor
from tests.voting.conftest import MINUTE
from voting import services as voting_services
from voting.models import Vote

pytestmark = pytest.mark.django_db


def _links(response: Any) -> set[str | None]:
    return {attrs.get("href") for attrs in Page(response.content.decode()).find_all("a")}


def _finalised(vote: Vote) -> Vote:
    assert vote.close_at is not None
    later = vote.close_at + MINUTE
    with clock_set(later):
        assert voting_services.vote_finalise_if_due(vote=vote)
    vote.refresh_from_db()
    return vote


def test_the_signed_out_home_page_links_to_the_open_vote_and_the_spaces(
    cast: Cast,
    voting_now: Vote,
) -> None:
    response = Client().get("/")

    links = _links(response)
    assert f"/spaces/city/proposals/{voting_now.proposal_id}/vote/" in links
    assert "/spaces/city/" in links
    assert "/spaces/city/proposals/" in links
    text = Page(response.content.decode()).text
    assert "Naloxone on the night bus" in text
    assert "Your page" not in text


def test_the_latest_decisions_list_votes_counted_and_rounds_closed_newest_first(
    cast: Cast,
    board: Board,
    voting_now: Vote,
) -> None:
    vote = _finalised(voting_now)

    response = Client().get("/")

    page = Page(response.content.decode())
    decisions = page.text[page.text.index("Latest decisions") :]
    assert decisions.index("vote: ") < decisions.index("advisory review: passed")
    assert f"/spaces/city/proposals/{vote.proposal_id}/vote/result/" in _links(response)
    assert "No vote is open now." in page.text


def test_the_home_page_says_when_there_is_nothing_yet() -> None:
    text = Page(Client().get("/").content.decode()).text

    assert "No vote is open now." in text
    assert "No decision has been taken yet." in text
    assert "No decision space has been created yet." in text


def test_the_home_api_has_the_spaces_open_votes_and_latest_decisions(
    cast: Cast,
    board: Board,
    voting_now: Vote,
) -> None:
    data = APIClient().get("/api/v1/home/").json()

    assert [space["slug"] for space in data["spaces"]] == ["city"]
    [vote] = data["open_votes"]
    assert vote["proposal"] == voting_now.proposal_id
    assert vote["url"].endswith(f"/api/v1/spaces/city/proposals/{voting_now.proposal_id}/vote/")
    [decision] = data["latest_decisions"]
    assert decision["kind"] == "round"
    assert decision["outcome"] == "passed"


def test_the_me_api_has_what_needs_the_caller_and_is_kept_by_no_shared_cache(
    cast: Cast,
    board: Board,
    voting_now: Vote,
) -> None:
    waiting = second_proposal(cast)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=waiting)
    client = APIClient()
    sign_in(client, cast.marcus)

    response = client.get("/api/v1/me/")

    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["roles"] == ["board", "electorate"]
    [owed] = data["reviews"]
    assert owed["proposal"] == waiting.pk
    assert owed["deadline_at"]
    [vote] = data["votes"]
    assert vote["proposal"] == voting_now.proposal_id
    assert vote["has_voted"] is False
    assert vote["close_at"]
    assert data["facilitator"] is None


def test_the_me_api_shows_an_author_their_drafts_and_the_responses_owed(
    cast: Cast,
    passed_round: Round,
) -> None:
    drafted = second_proposal(cast)
    client = APIClient()
    sign_in(client, cast.olu)

    data = client.get("/api/v1/me/").json()

    assert data["reviews"] is None  # on no board
    assert [row["proposal"] for row in data["drafts"]] == [drafted.pk]
    assert data["drafts"][0]["title"] == "Showers at the drop-in"
    [owed] = data["responses_owed"]
    assert owed["proposal"] == passed_round.proposal_id
    assert owed["url"].endswith("/rounds/1/")


def test_the_me_api_needs_a_signed_in_caller() -> None:
    assert APIClient().get("/api/v1/me/").status_code in (401, 403)


def _after_close(vote: Vote) -> Any:
    """A minute after ``vote`` closed, before the sweep counts it."""
    assert vote.close_at is not None
    later = vote.close_at + MINUTE
    return clock_set(later)


def test_a_vote_past_its_close_is_shown_as_counting_until_the_sweep_counts_it(
    cast: Cast,
    board: Board,
    voting_now: Vote,
) -> None:
    """Between its close and its count a vote stays on the home page, on the page of
    each person in it and in the API, as "counting", as every page of the site says."""
    assert APIClient().get("/api/v1/home/").json()["open_votes"][0]["state"] == "open"
    me_api = sign_in(APIClient(), cast.marcus)
    assert me_api.get("/api/v1/me/").json()["votes"][0]["state"] == "open"
    with _after_close(voting_now):
        home = Page(Client().get("/").content.decode()).text
        [shown] = APIClient().get("/api/v1/home/").json()["open_votes"]
        marcus = sign_in(Client(), cast.marcus)
        mine = Page(marcus.get("/me/").content.decode()).text
        open_page = Page(marcus.get("/votes/open/").content.decode()).text
        [own] = me_api.get("/api/v1/me/").json()["votes"]
        [listed] = me_api.get("/api/v1/votes/open/").json()

    assert "Naloxone on the night bus" in home.split("Latest decisions")[0]
    assert "counting · closed" in home
    assert "No vote is open now." not in home
    assert (shown["proposal"], shown["state"]) == (voting_now.proposal_id, "counting")
    assert shown["state_label"] == "counting"
    assert "The vote on “Naloxone on the night bus”" in mine
    assert "counting" in mine
    assert "not cast yet" not in mine
    assert (own["proposal"], own["state"]) == (voting_now.proposal_id, "counting")
    assert listed["state"] == "counting"
    assert "Naloxone on the night bus" in open_page
    assert "counting" in open_page
    assert "not cast yet" not in open_page


def test_a_vote_ended_by_a_withdrawal_is_listed_as_withdrawn_in_words_too(
    cast: Cast,
    board: Board,
    voting_now: Vote,
) -> None:
    assert voting_now.opened_at is not None
    with clock_set(voting_now.opened_at + MINUTE):
        proposal_services.proposal_withdraw(
            actor=actor(cast.olu), proposal=voting_now.proposal, reason="Funding fell through."
        )
    voting_now.refresh_from_db()
    assert voting_now.withdrawn

    [decision, _round] = APIClient().get("/api/v1/home/").json()["latest_decisions"]
    spanish = APIClient().get("/api/v1/home/", HTTP_ACCEPT_LANGUAGE="es").json()
    home = Page(Client().get("/").content.decode()).text

    assert (decision["kind"], decision["outcome"]) == ("vote", "withdrawn")
    assert decision["outcome_label"] == "withdrawn"
    assert spanish["latest_decisions"][0]["outcome_label"] == "retirada"
    assert "vote: withdrawn" in home
    assert f"vote: {voting_now.get_outcome_display()}" not in home
