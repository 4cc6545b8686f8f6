"""Ending a membership is never one click: a confirmation that says what it changes, and a
public reason when a board member leaves (service, pages and API alike)."""

from __future__ import annotations

import pytest
from django.test import Client

from core.errors import DomainError
from spaces import services
from spaces.models import Membership
from tests.factories import MembershipFactory
from tests.history.events import event_data
from tests.pages.support import Page
from tests.spaces.conftest import Cast, actor_for, api_client_for, sign_in
from tests.spaces.test_permission_matrix import everything

pytestmark = pytest.mark.django_db


def _end_page(cast: Cast, membership: Membership) -> str:
    return f"/spaces/northside/members/{membership.pk}/end/"


def _facilitator(cast: Cast) -> Client:
    client = Client()
    sign_in(client, cast.rosa, mfa=True)
    return client


# --- The service ----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_board_membership_does_not_end_without_a_reason(cast: Cast, reason: str) -> None:
    before = everything()

    with pytest.raises(services.MembershipEndInvalid) as refused:
        services.membership_end(
            actor=actor_for(cast, "facilitator_mfa"), membership=cast.marcus_board, reason=reason
        )

    assert list(refused.value.fields) == ["reason"]
    assert "reason a board member leaves" in refused.value.message
    assert everything() == before


def test_a_board_membership_ends_with_its_reason_in_the_history(cast: Cast) -> None:
    from history.models import Event

    services.membership_end(
        actor=actor_for(cast, "facilitator_mfa"),
        membership=cast.marcus_board,
        reason="  Stepped down to care for family.  ",
    )

    cast.marcus_board.refresh_from_db()
    assert cast.marcus_board.left_at is not None
    event = Event.objects.get(kind="membership.ended")
    assert event_data(event)["reason"] == "Stepped down to care for family."


def test_a_voters_membership_may_end_without_a_reason(cast: Cast) -> None:
    services.membership_end(actor=actor_for(cast, "facilitator_mfa"), membership=cast.dee_vote)

    cast.dee_vote.refresh_from_db()
    assert cast.dee_vote.left_at is not None


def test_the_preview_changes_nothing_and_needs_the_same_powers(cast: Cast) -> None:
    before = everything()

    preview = services.membership_end_preview(
        actor=actor_for(cast, "facilitator_mfa"), membership=cast.marcus_board
    )

    assert preview.reason_required
    assert any("keep the board they froze" in change for change in preview.changes)
    assert everything() == before
    with pytest.raises(DomainError):
        services.membership_end_preview(
            actor=actor_for(cast, "facilitator_token"), membership=cast.marcus_board
        )


# --- The pages ------------------------------------------------------------------------------


def test_the_members_page_links_to_a_confirmation_instead_of_ending_at_once(cast: Cast) -> None:
    page = Page(_facilitator(cast).get("/spaces/northside/members/").content.decode())

    end = _end_page(cast, cast.dee_vote)
    assert not page.find_all("form", action=end)
    assert page.find_all("a", href=end)


def test_the_confirmation_page_says_what_ending_a_board_membership_changes(cast: Cast) -> None:
    before = everything()

    response = _facilitator(cast).get(_end_page(cast, cast.marcus_board))

    assert response.status_code == 200
    text = Page(response.content.decode()).text
    assert "End the membership of Marcus as advisory board member?" in text
    assert "Review rounds already open keep the board they froze when they opened" in text
    assert "the rounds opened from now on are without Marcus" in text
    assert "private lived-experience note on this membership is deleted" in text
    assert everything() == before


def test_a_post_without_the_confirmation_changes_nothing(cast: Cast) -> None:
    before = everything()

    response = _facilitator(cast).post(_end_page(cast, cast.dee_vote), {"reason": "Moved away"})

    assert response.status_code == 200
    assert "What this changes" in Page(response.content.decode()).text
    assert everything() == before


def test_the_page_asks_for_the_reason_a_board_member_leaves(cast: Cast) -> None:
    before = everything()

    response = _facilitator(cast).post(
        _end_page(cast, cast.marcus_board), {"reason": " ", "confirm": "yes"}
    )

    assert response.status_code == 400
    page = Page(response.content.decode())
    assert "Give the reason a board member leaves the board" in page.text
    assert page.find_all("textarea", name="reason", **{"aria_invalid": "true"})
    assert everything() == before


def test_a_confirmed_ending_with_its_reason_ends_the_board_membership(cast: Cast) -> None:
    response = _facilitator(cast).post(
        _end_page(cast, cast.marcus_board), {"reason": "Moved away", "confirm": "yes"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/spaces/northside/members/"
    cast.marcus_board.refresh_from_db()
    assert cast.marcus_board.left_at is not None


def test_the_confirmation_page_is_only_for_the_spaces_facilitators(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.marcus, mfa=True)

    assert client.get(_end_page(cast, cast.dee_vote)).status_code == 403


# --- The API --------------------------------------------------------------------------------


def _api_end(cast: Cast, membership: Membership) -> str:
    return f"/api/v1/spaces/northside/memberships/{membership.pk}/end/"


def test_the_api_says_what_an_ending_changes_and_changes_nothing(cast: Cast) -> None:
    client = api_client_for(cast, "facilitator_mfa")
    before = everything()

    preview = client.get(_api_end(cast, cast.marcus_board))
    unconfirmed = client.post(_api_end(cast, cast.marcus_board), {"reason": "x"}, format="json")

    assert preview.status_code == 200
    assert preview.json()["reason_required"] is True
    assert any("keep the board they froze" in change for change in preview.json()["changes"])
    assert unconfirmed.status_code == 400
    error = unconfirmed.json()["error"]
    assert error["code"] == "confirmation_needed"
    assert "keep the board they froze" in error["message"]
    assert "confirm" in error["fields"]
    assert everything() == before


def test_the_api_refuses_a_board_ending_without_a_reason_with_a_field_error(cast: Cast) -> None:
    client = api_client_for(cast, "facilitator_mfa")
    before = everything()

    response = client.post(_api_end(cast, cast.marcus_board), {"confirm": True}, format="json")

    assert response.status_code == 400
    (problem,) = response.json()["error"]["fields"]["reason"]
    assert "Give the reason a board member leaves" in problem
    assert everything() == before


def test_the_api_ends_a_confirmed_board_membership_with_its_reason(cast: Cast) -> None:
    client = api_client_for(cast, "facilitator_mfa")

    response = client.post(
        _api_end(cast, cast.marcus_board), {"confirm": True, "reason": "Moved"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["left_at"] is not None


def test_the_api_preview_is_only_for_facilitators_with_their_powers(cast: Cast) -> None:
    for who in ("board", "facilitator_no_mfa", "facilitator_token"):
        response = api_client_for(cast, who).get(_api_end(cast, cast.dee_vote))
        assert response.status_code == 403, who


def test_the_last_facilitator_is_told_before_confirming_that_it_cannot_end(cast: Cast) -> None:
    own = Membership.objects.get(user=cast.rosa, role="facilitator")
    client = _facilitator(cast)

    response = client.get(_end_page(cast, own), follow=True)

    assert response.redirect_chain == [("/spaces/northside/members/", 302)]
    assert "A space needs at least one facilitator" in Page(response.content.decode()).text
    own.refresh_from_db()
    assert own.left_at is None


# --- Who stays in the electorate ------------------------------------------------------------


def _changes(cast: Cast, membership: Membership) -> str:
    preview = services.membership_end_preview(
        actor=actor_for(cast, "facilitator_mfa"), membership=membership
    )
    return " ".join(preview.changes)


def test_a_voter_who_also_sits_on_the_board_stays_in_the_electorate(cast: Cast) -> None:
    """Board members are in the electorate: ending Marcus's voter membership leaves him in
    it, and the confirmation says so instead of "leaves the electorate"."""
    voter = MembershipFactory(space=cast.marcus_board.space, user=cast.marcus, role="electorate")

    text = Page(_facilitator(cast).get(_end_page(cast, voter)).content.decode()).text

    assert (
        "Marcus stops being a voter here but stays in the electorate as a member of the "
        "advisory board: votes opened from now on still count Marcus, once."
    ) in text
    assert "leaves the electorate" not in text


def test_a_voter_with_no_other_membership_leaves_the_electorate(cast: Cast) -> None:
    changes = _changes(cast, cast.dee_vote)

    assert "Dee leaves the electorate now." in changes
    assert "votes opened from now on are without Dee" in changes


def test_a_board_member_with_no_voters_membership_is_told_they_leave_the_electorate(
    cast: Cast,
) -> None:
    changes = _changes(cast, cast.marcus_board)

    assert "Marcus leaves the advisory board now." in changes
    assert "Marcus also leaves the electorate now, holding no voter's membership here." in changes
    assert "votes opened from now on are without Marcus" in changes


def test_a_board_member_who_is_also_a_voter_stays_in_the_electorate(cast: Cast) -> None:
    MembershipFactory(space=cast.marcus_board.space, user=cast.marcus, role="electorate")

    changes = _changes(cast, cast.marcus_board)

    assert "Marcus leaves the advisory board now." in changes
    assert "Marcus stays in the electorate as a voter" in changes
    assert "leaves the electorate" not in changes
