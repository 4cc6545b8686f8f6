"""The space pages: public facts and the rulebook in plain words for everyone; the
members page, with private notes, for facilitators with a second factor only."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from spaces.models import Invitation, LeaveOfAbsence, Membership, Rulebook
from tests.factories import MembershipFactory, UserFactory
from tests.pages.support import Page
from tests.spaces.conftest import Cast, sign_in

pytestmark = pytest.mark.django_db


def test_the_space_page_shows_sizes_and_the_rulebook_in_plain_words(cast: Cast) -> None:
    text = Page(Client().get("/spaces/northside/").content.decode()).text

    assert "The advisory board has 1 member." in text
    # Dee, a voter, and Marcus, on the board: every voter and board member, each once.
    assert "The electorate has 2 people." in text
    assert "each person counted once; board members on leave are in it." in text
    assert (
        "At least half of the board (not counting members on leave or who step aside), and "
        "never fewer than 2 members, must answer for a review to count."
    ) in text
    assert "at least two thirds of the board members who take a side endorse it" in text
    assert "more than half of the votes for or against approve it" in text
    assert "The board has 14 days to review a proposal." in text
    assert "Peer worker" not in text


def test_the_space_page_is_in_spanish_too(cast: Cast) -> None:
    text = Page(Client().get("/spaces/northside/", HTTP_ACCEPT_LANGUAGE="es").content.decode()).text

    assert "Al menos la mitad del consejo asesor" in text


def test_the_space_page_query_count_does_not_grow_with_members(cast: Cast) -> None:
    client = Client()
    client.get("/spaces/northside/")  # warm up sessions and translations

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/spaces/northside/").status_code == 200
        return len(captured)

    small = queries()
    for _n in range(30):
        MembershipFactory(space=cast.space, role="electorate")
        MembershipFactory(space=cast.space, role="board")
    # The space, its rulebook, the member counts, the facilitators: 4, however many members.
    assert queries() == small == 4


def _ended_leaves(membership: Membership, count: int) -> None:
    start = timezone.now() - timedelta(days=30)
    for n in range(count):
        LeaveOfAbsence.objects.create(
            membership=membership,
            started_at=start + timedelta(days=2 * n),
            ended_at=start + timedelta(days=2 * n + 1),
        )


def test_past_leaves_do_not_multiply_the_board_size_on_the_page_or_in_the_api(
    cast: Cast,
) -> None:
    """Counting over a join with leaves once counted a member with three ended leaves
    three times."""
    _ended_leaves(cast.marcus_board, 3)
    on_leave = MembershipFactory(space=cast.space, role="board")
    _ended_leaves(on_leave, 2)
    LeaveOfAbsence.objects.create(membership=on_leave)

    text = Page(Client().get("/spaces/northside/").content.decode()).text
    api = APIClient().get("/api/v1/spaces/northside/").json()

    assert "The advisory board has 2 members." in text
    assert "1 is on leave." in text
    # Dee and the two board members, the one on leave among them.
    assert "The electorate has 3 people." in text
    assert (api["board_size"], api["board_on_leave"], api["electorate_size"]) == (2, 1, 3)
    assert api["advisory_bloc_size"] == 1


def test_the_space_page_query_count_does_not_grow_with_leaves(cast: Cast) -> None:
    client = Client()
    client.get("/spaces/northside/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/spaces/northside/").status_code == 200
        return len(captured)

    small = queries()
    for _n in range(10):
        member = MembershipFactory(space=cast.space, role="board")
        _ended_leaves(member, 3)
        LeaveOfAbsence.objects.create(membership=member)
    # The space, its rulebook, the member counts, the facilitators.
    assert queries() == small == 4
    assert "10 are on leave." in Page(client.get("/spaces/northside/").content.decode()).text


def test_the_members_page_shows_private_notes_to_a_facilitator_with_a_second_factor(
    cast: Cast,
) -> None:
    client = Client()
    sign_in(client, cast.rosa, mfa=True)

    response = client.get("/spaces/northside/members/")

    assert response.status_code == 200
    assert "Peer worker, 10 years." in Page(response.content.decode()).text


@pytest.mark.parametrize("who", ["rosa-without-mfa", "marcus", "sam"])
def test_the_members_page_is_refused_to_everyone_else(cast: Cast, who: str) -> None:
    client = Client()
    user = {"rosa-without-mfa": cast.rosa, "marcus": cast.marcus, "sam": cast.sam}[who]
    sign_in(client, user, mfa=who != "rosa-without-mfa")

    response = client.get("/spaces/northside/members/")

    assert response.status_code == 403
    assert "Peer worker" not in response.content.decode()


def test_a_code_invitation_is_shown_once_on_the_page(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.rosa, mfa=True)

    response = client.post("/spaces/northside/invitations/new/", {"role": "electorate"})

    page = Page(response.content.decode())
    [code] = [part for part in page.text.split() if part.count("-") == 2 and len(part) == 14]
    assert Invitation.objects.get().secret_hash not in response.content.decode()
    later = client.get("/spaces/northside/members/").content.decode()
    assert code not in later


def test_the_rulebook_form_refuses_a_floor_with_a_message_by_the_field(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.rosa, mfa=True)
    values = dict(Rulebook.objects.get(space=cast.space).values())
    values.update(review_window_days=3, turnout_quorum_den=20, minimum_reviews=1)
    form = {
        key: ("on" if value is True else value)
        for key, value in values.items()
        if value is not False
    }

    response = client.post("/spaces/northside/rulebook/", form)

    assert response.status_code == 400
    text = Page(response.content.decode()).text
    assert "The review window cannot be shorter than 7 days." in text
    assert "The turnout quorum cannot be lower than 1/10 of the electorate." in text
    assert "A review needs at least 2 answers from the board, so no one decides alone." in text
    assert Rulebook.objects.filter(space=cast.space).count() == 1


def test_the_rulebook_form_adopts_a_new_version(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.rosa, mfa=True)
    values = dict(Rulebook.objects.get(space=cast.space).values())
    values.update(voting_window_days=21, minimum_reviews=4)
    form = {
        key: ("on" if value is True else value)
        for key, value in values.items()
        if value is not False
    }

    response = client.post("/spaces/northside/rulebook/", form)

    assert response.status_code == 302
    adopted = Rulebook.objects.filter(space=cast.space).latest()
    assert (adopted.voting_window_days, adopted.minimum_reviews) == (21, 4)
    # The space page says the new minimum in plain words.
    text = Page(client.get("/spaces/northside/").content.decode()).text
    assert "and never fewer than 4 members, must answer for a review to count" in text


def test_a_facilitator_ends_a_membership_from_the_page_and_the_row_stays(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.rosa, mfa=True)

    client.post(
        f"/spaces/northside/members/{cast.dee_vote.pk}/end/",
        {"reason": "Moved away", "confirm": "yes"},
    )

    cast.dee_vote.refresh_from_db()
    assert cast.dee_vote.left_at is not None
    assert Membership.objects.filter(pk=cast.dee_vote.pk).exists()


def test_a_board_member_takes_a_leave_from_the_space_page(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.marcus, mfa=False)

    response = client.post(
        f"/spaces/northside/members/{cast.marcus_board.pk}/leave/start/", {"next": "space"}
    )

    assert response["Location"] == "/spaces/northside/"
    assert cast.marcus_board.leaves.filter(ended_at__isnull=True).exists()
    assert "You are on leave" in Page(client.get("/spaces/northside/").content.decode()).text


def test_a_signed_in_person_asks_to_join(cast: Cast) -> None:
    client = Client()
    sign_in(client, UserFactory(), mfa=False)

    client.post("/spaces/northside/join/", {"role": "board", "message": "Peer worker"})

    assert cast.space.join_requests.filter(role="board", status="pending").count() == 1


def test_the_public_api_never_carries_a_lived_experience_note(cast: Cast) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    for path in (
        "/api/v1/spaces/",
        "/api/v1/spaces/northside/",
        "/api/v1/spaces/northside/rulebook/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert "Peer worker" not in response.content.decode()
        assert "lived_experience" not in response.content.decode()


def test_the_facilitators_api_list_carries_the_note(cast: Cast) -> None:
    from tests.spaces.conftest import api_client_for

    response = api_client_for(cast, "facilitator_mfa").get("/api/v1/spaces/northside/memberships/")

    notes = {row["public_name"]: row["lived_experience"] for row in response.json()["results"]}
    assert notes["Marcus"] == "Peer worker, 10 years."


def _stale_facilitator() -> Client:
    """rosa, with her second factor, but signed in an hour ago."""
    from accounts.models import User

    client = Client()
    sign_in(client, User.objects.get(username="rosa"), mfa=True, at=time.time() - 3600)
    return client


def test_ending_a_membership_with_an_old_sign_in_sends_the_facilitator_to_confirm_it(
    cast: Cast,
) -> None:
    client = _stale_facilitator()

    end = f"/spaces/northside/members/{cast.dee_vote.pk}/end/"
    for response in (client.get(end), client.post(end, {"reason": "x", "confirm": "yes"})):
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/reauthenticate/?next={quote(end, safe='')}"
    cast.dee_vote.refresh_from_db()
    assert cast.dee_vote.left_at is None


def test_changing_the_rulebook_with_an_old_sign_in_sends_the_facilitator_to_confirm_it(
    cast: Cast,
) -> None:
    client = _stale_facilitator()

    for response in (
        client.get("/spaces/northside/rulebook/"),
        client.post("/spaces/northside/rulebook/", {"review_window_days": 21}),
    ):
        assert response.status_code == 302
        assert (
            response["Location"]
            == "/accounts/reauthenticate/?next=%2Fspaces%2Fnorthside%2Frulebook%2F"
        )
    assert Rulebook.objects.filter(space=cast.space).count() == 1


def test_someone_without_powers_is_refused_not_sent_to_confirm_their_sign_in(
    cast: Cast,
) -> None:
    client = Client()
    sign_in(client, cast.marcus, mfa=True, at=time.time() - 3600)

    assert client.get("/spaces/northside/rulebook/").status_code == 403
    response = client.post(f"/spaces/northside/members/{cast.dee_vote.pk}/end/", {"confirm": "yes"})
    assert response.status_code == 403
    cast.dee_vote.refresh_from_db()
    assert cast.dee_vote.left_at is None


def test_the_recent_sign_in_refusal_is_in_spanish_too(cast: Cast) -> None:
    from django.utils import translation

    from accounts.authority import Actor
    from core.errors import NotPermitted
    from spaces import services

    stale = Actor(user=cast.rosa, mfa=True, recently_authenticated=False)
    with translation.override("es"), pytest.raises(NotPermitted) as refused:
        services.membership_end(actor=stale, membership=cast.dee_vote)

    assert "Confirma de nuevo que eres tú (vuelve a iniciar sesión)" in refused.value.message


def test_the_space_page_tells_facilitators_when_the_board_is_too_small_for_a_dual_majority(
    cast: Cast,
) -> None:
    """One board member not on leave, a minimum group size of five, dual majority on: a vote
    opened now is decided by the whole electorate, and the facilitators are told."""
    facilitator = Client()
    sign_in(facilitator, cast.rosa, mfa=True)
    told = Page(facilitator.get("/spaces/northside/").content.decode()).text
    public = Page(Client().get("/spaces/northside/").content.decode()).text

    assert "The advisory board is too small for a dual majority." in told
    assert "The board has 1 member not on leave, fewer than the minimum group size of 5." in told
    assert "too small for a dual majority" not in public
    assert APIClient().get("/api/v1/spaces/northside/").json()["advisory_bloc_below_min_group_size"]

    for n in range(4):
        MembershipFactory(space=cast.space, user=UserFactory(username=f"b{n}"), role="board")
    enough = Page(facilitator.get("/spaces/northside/").content.decode()).text
    assert "too small for a dual majority" not in enough
    assert (
        not APIClient()
        .get("/api/v1/spaces/northside/")
        .json()["advisory_bloc_below_min_group_size"]
    )
