"""Each person's own page, where signing in lands: the reviews they owe with deadlines,
the votes they can cast with closing times, their drafts and co-sign requests, the
responses their organisation owes, and for facilitators the overdue rounds and the
requests to join. The navigation offers only what a person can use."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from rest_framework.test import APIClient

from accounts.authority import Actor
from accounts.models import User
from advisory.models import Round
from core.clock import clock_set
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces import services as space_services
from tests.accounts.support import sign_in
from tests.advisory.conftest import Board, review
from tests.factories import MembershipFactory, UserFactory
from tests.pages.support import Page
from tests.proposals.conftest import COMPLETE, Cast, actor
from voting.models import Vote

pytestmark = pytest.mark.django_db

ME = "/me/"


def second_proposal(cast: Cast, title: str = "Showers at the drop-in") -> Proposal:
    proposal = proposal_services.proposal_create_draft(
        actor=actor(cast.olu), space=cast.space, organisation=cast.organisation, title=title
    )
    proposal_services.proposal_update_draft(actor=actor(cast.olu), proposal=proposal, **COMPLETE)
    return proposal


def _links(response: Any) -> set[str | None]:
    return {attrs.get("href") for attrs in Page(response.content.decode()).find_all("a")}


def test_signing_in_lands_on_ones_own_page(cast: Cast) -> None:
    EmailAddress.objects.create(user=cast.dee, email=cast.dee.email, verified=True, primary=True)
    response = Client().post(
        "/accounts/login/", {"login": "dee", "password": "a long demo passphrase"}
    )

    assert response.status_code == 302
    assert response["Location"] == ME


def test_the_page_asks_to_sign_in_first() -> None:
    response = Client().get(ME)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_board_member_sees_the_review_they_owe_and_the_vote_they_can_cast(
    cast: Cast,
    board: Board,
    voting_now: Vote,
) -> None:
    waiting = second_proposal(cast)
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=waiting)
    round = Round.objects.get(proposal=waiting)

    response = sign_in(Client(), cast.marcus).get(ME)

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert "Review “Showers at the drop-in”" in page.text
    assert "not given yet" in page.text
    assert f'datetime="{round.deadline_at.isoformat()}"' in response.content.decode()
    assert f"/spaces/city/proposals/{waiting.pk}/rounds/1/review/" in _links(response)
    assert "Vote on “Naloxone on the night bus”" in page.text
    assert voting_now.close_at is not None
    assert f'datetime="{voting_now.close_at.isoformat()}"' in response.content.decode()
    assert f"/spaces/city/proposals/{voting_now.proposal_id}/vote/" in _links(response)
    # The navigation offers the board's and the electorate's pages.
    assert {"/reviews/waiting/", "/votes/open/", ME} <= _links(response)


def test_a_review_given_is_still_listed_as_changeable(
    cast: Cast,
    board: Board,
    open_round: Round,
) -> None:
    review(cast.marcus, open_round)

    text = Page(sign_in(Client(), cast.marcus).get(ME).content.decode()).text

    assert "Change your review of “Naloxone on the night bus”" in text


def test_someone_on_no_board_is_offered_no_reviews(cast: Cast, voting_now: Vote) -> None:
    response = sign_in(Client(), cast.dee).get(ME)

    links = _links(response)
    assert "/reviews/waiting/" not in links
    assert "/votes/open/" in links
    text = Page(response.content.decode()).text
    assert "Reviews you owe" not in text
    assert "Reviews waiting for me" not in text
    assert "Vote on “Naloxone on the night bus”" in text


def test_someone_in_no_electorate_is_offered_no_open_votes(cast: Cast) -> None:
    response = sign_in(Client(), cast.olu).get("/")

    links = _links(response)
    assert "/votes/open/" not in links
    assert "/reviews/waiting/" not in links
    assert ME in links


def test_an_author_sees_their_drafts_and_the_response_their_organisation_owes(
    cast: Cast,
    passed_round: Round,
) -> None:
    second_proposal(cast, title="Showers at the drop-in")

    response = sign_in(Client(), cast.olu).get(ME)

    text = Page(response.content.decode()).text
    assert "Your drafts" in text
    assert "Showers at the drop-in" in text
    assert "Publish the response on “Naloxone on the night bus”" in text
    assert f"/spaces/city/proposals/{passed_round.proposal_id}/rounds/1/response/" in _links(
        response
    )


def test_a_response_once_published_is_no_longer_owed(
    cast: Cast,
    scheduled_vote: Vote,
) -> None:
    text = Page(sign_in(Client(), cast.olu).get(ME).content.decode()).text

    assert "Publish the response" not in text


def test_a_person_asked_to_co_sign_sees_the_request(cast: Cast, draft: Proposal) -> None:
    proposal_services.proposal_invite_cosigner(
        actor=actor(cast.olu), proposal=draft, user=cast.ngozi
    )

    text = Page(sign_in(Client(), cast.ngozi).get(ME).content.decode()).text

    assert "Asked to co-sign" in text
    assert "Naloxone on the night bus" in text


def test_a_facilitator_sees_overdue_rounds_and_requests_to_join(
    cast: Cast,
    board: Board,
    open_round: Round,
) -> None:
    fay = UserFactory(username="fay", public_name="Fay")
    MembershipFactory(space=cast.space, user=fay, role="facilitator")
    asking = UserFactory(username="sam", public_name="Sam")
    space_services.join_request_create(actor=Actor(user=asking), space=cast.space)
    later = open_round.deadline_at + datetime.timedelta(hours=1)

    with clock_set(later):
        response = sign_in(Client(), fay, mfa=True).get(ME)

    text = Page(response.content.decode()).text
    assert "Overdue advisory rounds" in text
    assert "Naloxone on the night bus" in text
    assert "Sam asks to join as" in text
    assert "/spaces/city/members/" in _links(response)


def test_who_asked_to_join_is_shown_only_with_facilitator_powers(cast: Cast) -> None:
    """Who asked to join a board is private to facilitators using their powers: not to a
    session without the second factor, nor to a personal token (which never carries
    facilitator powers)."""
    from tests.proposals.api_support import client_for

    fay = UserFactory(username="fay", public_name="Fay")
    MembershipFactory(space=cast.space, user=fay, role="facilitator")
    asking = UserFactory(username="sam", public_name="Sam")
    space_services.join_request_create(actor=Actor(user=asking), space=cast.space)

    text = Page(sign_in(Client(), fay).get(ME).content.decode()).text
    assert "Sam" not in text
    assert "shown only after you sign in with your second factor" in text

    by_token = client_for(fay, token=True).get("/api/v1/me/")
    assert by_token.status_code == 200
    assert by_token.json()["facilitator"]["join_requests"] is None
    assert "Sam" not in by_token.content.decode()

    with_powers = sign_in(APIClient(), fay, mfa=True).get("/api/v1/me/").json()
    assert [row["person"] for row in with_powers["facilitator"]["join_requests"]] == ["Sam"]


def test_a_facilitator_with_nothing_overdue_is_told_so(cast: Cast, open_round: Round) -> None:
    fay = UserFactory(username="fay", public_name="Fay")
    MembershipFactory(space=cast.space, user=fay, role="facilitator")

    text = Page(sign_in(Client(), fay, mfa=True).get(ME).content.decode()).text

    assert "No round is overdue." in text
    assert "No request to join is waiting." in text


def test_someone_with_nothing_to_do_is_told_so() -> None:
    person: User = UserFactory(username="kit")

    text = Page(sign_in(Client(), person).get(ME).content.decode()).text

    assert "Nothing needs you now." in text


def test_a_board_member_who_is_not_a_voter_is_offered_the_votes_part_and_the_link(
    cast: Cast,
    board: Board,
) -> None:
    """The electorate is the voters and the board (``ELECTORATE_ROLES``): Ama, on the
    board only, votes, so she finds the open votes even before any vote opens."""
    response = sign_in(Client(), board.ama).get(ME)

    assert "/votes/open/" in _links(response)
    text = Page(response.content.decode()).text
    assert "Votes you can cast" in text
    assert "No vote is open for you now." in text
    assert "/votes/open/" in _links(sign_in(Client(), board.ama).get("/"))


def test_a_board_member_who_is_not_a_voter_sees_the_open_vote_on_the_page_and_in_the_api(
    cast: Cast,
    board: Board,
    voting_now: Vote,
) -> None:
    text = Page(sign_in(Client(), board.ama).get(ME).content.decode()).text
    data = sign_in(APIClient(), board.ama).get("/api/v1/me/").json()

    assert "Vote on “Naloxone on the night bus”" in text
    assert data["roles"] == ["board"]
    assert [row["proposal"] for row in data["votes"]] == [voting_now.proposal_id]
