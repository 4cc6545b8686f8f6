"""Text over its limit (a space's, a membership's, an organisation's) is refused alike by
the service, the page and the API: with a field error that names the field, and with
nothing written. The service checks it too, since it writes what it is given into the
permanent record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.authority import Actor
from core.errors import Invalid
from core.text import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH
from organisations import services as organisation_services
from spaces import services
from tests.pages.support import Page
from tests.spaces.conftest import Cast, actor_for, api_client_for, sign_in
from tests.spaces.test_permission_matrix import everything

pytestmark = pytest.mark.django_db

NOTE = "n" * (NOTE_MAX_LENGTH + 1)
DESCRIPTION = "d" * (DESCRIPTION_MAX_LENGTH + 1)


@dataclass(frozen=True)
class TooLong:
    """One text field over its limit, sent to each layer."""

    what: str
    field: str
    service: Callable[[Cast], Any]
    page: Callable[[Cast], Any]
    api: Callable[[Cast], Any]
    # Where the page says it: on the field of the form shown again, or (a form inside
    # another page) in a message on the page it returns to.
    on_the_field: bool = True

    def __str__(self) -> str:
        return self.what


def _browser(cast: Cast, who: str) -> Client:
    client = Client()
    person = {"facilitator": cast.rosa, "staff": cast.sam, "newcomer": cast.newcomer}[who]
    sign_in(client, person, mfa=True)
    return client


def _newcomer_api(cast: Cast) -> APIClient:
    client = APIClient()
    sign_in(client, cast.newcomer, mfa=False)
    return client


CASES = [
    TooLong(
        what="a board member's ending, shown in the public history",
        field="reason",
        service=lambda cast: services.membership_end(
            actor=actor_for(cast, "facilitator_mfa"), membership=cast.marcus_board, reason=NOTE
        ),
        page=lambda cast: _browser(cast, "facilitator").post(
            f"/spaces/northside/members/{cast.marcus_board.pk}/end/",
            {"reason": NOTE, "confirm": "yes"},
        ),
        api=lambda cast: api_client_for(cast, "facilitator_mfa").post(
            f"/api/v1/spaces/northside/memberships/{cast.marcus_board.pk}/end/",
            {"confirm": True, "reason": NOTE},
            format="json",
        ),
    ),
    TooLong(
        what="the private note on a new board member",
        field="lived_experience",
        service=lambda cast: services.membership_add(
            actor=actor_for(cast, "facilitator_mfa"),
            space=cast.space,
            user=cast.newcomer,
            role="board",
            lived_experience=NOTE,
        ),
        page=lambda cast: _browser(cast, "facilitator").post(
            "/spaces/northside/members/add/",
            {"username": cast.newcomer.username, "role": "board", "lived_experience": NOTE},
        ),
        api=lambda cast: api_client_for(cast, "facilitator_mfa").post(
            "/api/v1/spaces/northside/memberships/",
            {"username": cast.newcomer.username, "role": "board", "lived_experience": NOTE},
            format="json",
        ),
    ),
    TooLong(
        what="a request to join, read by the facilitators",
        field="message",
        service=lambda cast: services.join_request_create(
            actor=Actor(user=cast.newcomer),
            space=cast.space,
            role="board",
            message=NOTE,
        ),
        page=lambda cast: _browser(cast, "newcomer").post(
            "/spaces/northside/join/", {"role": "board", "message": NOTE}, follow=True
        ),
        on_the_field=False,
        api=lambda cast: _newcomer_api(cast).post(
            "/api/v1/spaces/northside/join-requests/",
            {"role": "board", "message": NOTE},
            format="json",
        ),
    ),
    TooLong(
        what="a new space's public description",
        field="description",
        service=lambda cast: services.space_create(
            actor=actor_for(cast, "staff_mfa"),
            name="Eastside",
            facilitators=[cast.rosa],
            description=DESCRIPTION,
        ),
        page=lambda cast: _browser(cast, "staff").post(
            "/spaces/new/",
            {
                "name": "Eastside",
                "slug": "eastside",
                "facilitators": cast.rosa.username,
                "description": DESCRIPTION,
                "currency": "EUR",
            },
        ),
        api=lambda cast: api_client_for(cast, "staff_mfa").post(
            "/api/v1/spaces/",
            {"name": "Eastside", "facilitators": [cast.rosa.username], "description": DESCRIPTION},
            format="json",
        ),
    ),
    TooLong(
        what="why staff did not approve an organisation, told to its editors",
        field="reason",
        service=lambda cast: organisation_services.organisation_reject(
            actor=actor_for(cast, "staff_mfa"), organisation=cast.organisation, reason=NOTE
        ),
        page=lambda cast: _browser(cast, "staff").post(
            "/organisations/outreach/reject/", {"reason": NOTE}, follow=True
        ),
        api=lambda cast: api_client_for(cast, "staff_mfa").post(
            "/api/v1/organisations/outreach/reject/", {"reason": NOTE}, format="json"
        ),
        on_the_field=False,
    ),
    TooLong(
        what="a new organisation's public description",
        field="description",
        service=lambda cast: organisation_services.organisation_register(
            actor=Actor(user=cast.newcomer), name="Street Care", description=DESCRIPTION
        ),
        page=lambda cast: _browser(cast, "newcomer").post(
            "/organisations/register/", {"name": "Street Care", "description": DESCRIPTION}
        ),
        api=lambda cast: _newcomer_api(cast).post(
            "/api/v1/organisations/",
            {"name": "Street Care", "description": DESCRIPTION},
            format="json",
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_service_refuses_it_naming_the_field(cast: Cast, case: TooLong) -> None:
    before = everything()

    with pytest.raises(Invalid) as refused:
        case.service(cast)

    assert list(refused.value.fields) == [case.field]
    assert "characters or fewer" in refused.value.fields[case.field][0]
    assert everything() == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_page_refuses_it_on_the_field(cast: Cast, case: TooLong) -> None:
    before = everything()

    response = case.page(cast)

    page = Page(response.content.decode())
    if case.on_the_field:
        assert page.find_all("textarea", name=case.field, aria_invalid="true")
    assert any(limit in page.text for limit in ("2000", "2,000", "5000", "5,000"))
    assert everything() == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_api_refuses_it_with_a_field_error(cast: Cast, case: TooLong) -> None:
    before = everything()

    response = case.api(cast)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [case.field]
    assert everything() == before
