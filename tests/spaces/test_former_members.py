"""A person who deletes their account is named "former member" (in the reader's language)
wherever pages and the API still name them, never by the name they had; the decision
history still verifies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.authority import Actor
from accounts.models import User
from accounts.selectors import display_name
from accounts.serializers import DisplayNameField
from accounts.services import account_delete
from accounts.templatetags.people import display_name as display_name_filter
from history.verification import verify
from organisations.models import Organisation
from spaces import services
from tests.pages.support import Page
from tests.spaces.conftest import Cast, actor_for, api_client_for, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """Requests here ask for Spanish; the next test starts in the default language again."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


FORMER = "miembro anterior"  # "former member" in Spanish, the language of these requests


def _delete(user: User) -> None:
    account_delete(actor=Actor(user=user, mfa=True, recently_authenticated=True))


@pytest.fixture
def departed(cast: Cast) -> Cast:
    """marcus (board) joined the electorate with a code; olu (editor) asked to join it; then
    both deleted their accounts."""
    _invitation, code = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, role="electorate"
    )
    services.invitation_redeem(
        invitation=services.invitation_check_code(code=code), user=cast.marcus
    )
    services.join_request_create(
        actor=actor_for(cast, "editor"), space=cast.space, role="electorate"
    )
    Organisation.objects.filter(pk=cast.organisation.pk).update(
        status=Organisation.Status.APPROVED, approved_at=timezone.now()
    )
    _delete(cast.marcus)
    _delete(cast.olu)
    return cast


def _text(client: Client, path: str) -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    return Page(response.content.decode()).text


def test_the_facilitators_members_page_names_departed_people_former_member(
    departed: Cast,
) -> None:
    client = Client()
    sign_in(client, departed.rosa, mfa=True)

    text = _text(client, "/spaces/northside/members/")

    assert text.count(FORMER) == 1  # the used invitation; the request to join was declined
    assert "former member" not in text  # the stored placeholder is never shown as is
    for old_name in ("Marcus", "Olu"):
        assert old_name not in text


def test_the_public_pages_never_show_a_departed_persons_old_name(departed: Cast) -> None:
    space = _text(Client(), "/spaces/northside/")
    organisation = _text(Client(), "/organisations/outreach/")

    assert "Rosa" in space  # the facilitator still there
    for text in (space, organisation):
        assert "Marcus" not in text
        assert "Olu" not in text
        assert "former member" not in text


def test_the_api_never_shows_a_departed_persons_old_name(departed: Cast) -> None:
    facilitator = api_client_for(departed, "facilitator_mfa")

    requests = facilitator.get(
        "/api/v1/spaces/northside/join-requests/", HTTP_ACCEPT_LANGUAGE="es"
    ).json()
    rows = requests["results"] if isinstance(requests, dict) else requests
    assert rows == []  # nobody is left to accept: the waiting request was declined

    for path in (
        "/api/v1/spaces/northside/",
        "/api/v1/spaces/northside/memberships/",
        "/api/v1/organisations/outreach/editors/",
    ):
        body = facilitator.get(path, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "Marcus" not in body
        assert "Olu" not in body
        assert "former member" not in body


def test_the_history_still_verifies_after_people_leave(departed: Cast) -> None:
    assert verify().ok


def test_every_way_of_naming_a_person_says_former_member_for_a_deleted_account(
    departed: Cast,
) -> None:
    departed.marcus.refresh_from_db()
    field = DisplayNameField(source="user")
    with translation.override("es"):
        assert display_name(departed.marcus) == FORMER
        assert display_name_filter(departed.marcus) == FORMER
        assert field.to_representation(departed.marcus) == FORMER
        assert display_name(None) == FORMER
        assert display_name_filter(departed.rosa) == "Rosa"


def test_naming_a_loaded_person_makes_no_query(departed: Cast) -> None:
    people = list(User.objects.filter(pk__in=[departed.marcus.pk, departed.rosa.pk]))

    with translation.override("en"), CaptureQueriesContext(connection) as captured:
        names = sorted(display_name(person) for person in people)

    assert names == ["Rosa", "former member"]
    assert len(captured) == 0


def test_a_departed_persons_waiting_request_to_join_is_declined(departed: Cast) -> None:
    from spaces.models import JoinRequest

    request = JoinRequest.objects.get(user=departed.olu)
    assert request.status == JoinRequest.Status.DECLINED
    assert request.decided_at is not None
