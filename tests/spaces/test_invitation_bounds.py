"""Invitations are bounded: redeeming a code or a link is rate-limited (per account and
per keyed hash of the client) and a blocked try changes nothing; an invitation's e-mail
address is gone from the database once it is used, declined or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from spaces import services
from spaces.models import Invitation, Membership
from tests.spaces.conftest import Cast, actor_for, api_client_for, sign_in

pytestmark = pytest.mark.django_db

ADDRESS = "friend@example.org"


def _code(cast: Cast, role: str = "electorate") -> str:
    _invitation, code = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, role=role
    )
    return code


def _link(cast: Cast) -> tuple[Invitation, str]:
    return services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, role="board", email=ADDRESS
    )


def _rows_holding(text: str) -> list[str]:
    """Every row of every table with a text column holding ``text``: "gone from the
    database" checked for the whole schema, not only the invitation's own column."""
    found = []
    for model in apps.get_models():
        columns = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        query = models.Q()
        for column in columns:
            query |= models.Q(**{f"{column}__icontains": text})
        if columns and model._default_manager.filter(query).exists():
            found.append(model._meta.label)
    return found


# --- Space invitation codes, signed in --------------------------------------------------------


def test_a_signed_in_person_joins_a_space_with_its_code_on_the_page(cast: Cast) -> None:
    code = _code(cast)
    client = Client()
    sign_in(client, cast.newcomer, mfa=False)

    response = client.post("/spaces/invitations/redeem/", {"code": code})

    assert response.status_code == 302
    assert response["Location"] == "/spaces/northside/"
    assert Membership.objects.filter(user=cast.newcomer, role="electorate").exists()


def test_a_signed_in_person_joins_a_space_with_its_code_through_the_api(cast: Cast) -> None:
    code = _code(cast, role="board")
    client = api_client_for(cast, "editor")

    response = client.post("/api/v1/spaces/invitations/redeem/", {"code": code})

    assert response.status_code == 201, response.json()
    assert response.json()["space"] == "northside"
    assert response.json()["role"] == "board"


def test_guessing_space_codes_on_the_page_is_refused_past_the_limit_and_changes_nothing(
    cast: Cast,
) -> None:
    code = _code(cast)
    client = Client()
    sign_in(client, cast.newcomer, mfa=False)
    for _ in range(10):
        wrong = client.post("/spaces/invitations/redeem/", {"code": "ABCD-EFGH-JKMN"})
        assert wrong.status_code == 400

    blocked = client.post("/spaces/invitations/redeem/", {"code": code})

    assert blocked.status_code == 429
    assert "Too many tries. Please wait a minute" in blocked.content.decode()
    assert not Membership.objects.filter(user=cast.newcomer).exists()
    assert not Invitation.objects.filter(used_at__isnull=False).exists()


def test_guessing_space_codes_through_the_api_is_refused_past_the_limit_and_changes_nothing(
    cast: Cast,
) -> None:
    code = _code(cast)
    client = api_client_for(cast, "editor")
    for _ in range(10):
        wrong = client.post("/api/v1/spaces/invitations/redeem/", {"code": "ABCD-EFGH-JKMN"})
        assert wrong.status_code == 400

    blocked = client.post("/api/v1/spaces/invitations/redeem/", {"code": code})

    assert blocked.status_code == 429
    assert "Wait 60 seconds" in blocked.json()["error"]["message"]
    assert not Membership.objects.filter(user=cast.olu, space=cast.space).exists()


def test_the_code_limit_counts_per_account_across_clients(cast: Cast) -> None:
    """A person switching networks (a new client address each try) is still slowed."""
    code = _code(cast)
    for number in range(10):
        client = Client(REMOTE_ADDR=f"203.0.113.{number + 1}")
        sign_in(client, cast.newcomer, mfa=False)
        client.post("/spaces/invitations/redeem/", {"code": "ABCD-EFGH-JKMN"})
    client = Client(REMOTE_ADDR="198.51.100.7")
    sign_in(client, cast.newcomer, mfa=False)

    assert client.post("/spaces/invitations/redeem/", {"code": code}).status_code == 429


# --- E-mailed links ---------------------------------------------------------------------------


def test_accepting_by_link_past_the_limit_is_refused_and_changes_nothing(cast: Cast) -> None:
    invitation, token = _link(cast)
    client = Client()
    sign_in(client, cast.newcomer, mfa=False)
    for _ in range(10):
        assert client.post("/spaces/invitations/not-a-token/").status_code == 400

    blocked = client.post(f"/spaces/invitations/{token}/")

    assert blocked.status_code == 429
    assert "Too many tries" in blocked.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert invitation.email == ADDRESS
    assert not Membership.objects.filter(user=cast.newcomer).exists()


def test_accepting_and_declining_by_link_through_the_api_are_limited_too(cast: Cast) -> None:
    invitation, token = _link(cast)
    client = api_client_for(cast, "editor")
    for _ in range(10):
        refused = client.post("/api/v1/spaces/invitations/accept/", {"token": "not-a-token"})
        assert refused.status_code == 400

    assert client.post("/api/v1/spaces/invitations/accept/", {"token": token}).status_code == 429
    assert client.post("/api/v1/spaces/invitations/decline/", {"token": token}).status_code == 429
    invitation.refresh_from_db()
    assert (invitation.used_at, invitation.declined_at, invitation.email) == (None, None, ADDRESS)


# --- The address is erased ------------------------------------------------------------------------


def test_the_address_is_gone_from_the_database_once_the_invitation_is_used(cast: Cast) -> None:
    _invitation, token = _link(cast)
    assert sorted(_rows_holding(ADDRESS)) == ["notifications.Notification", "spaces.Invitation"]
    client = Client()
    sign_in(client, cast.newcomer, mfa=False)

    response = client.post(f"/spaces/invitations/{token}/")

    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.newcomer, role="board").exists()
    assert _rows_holding(ADDRESS) == []
    # Its e-mail, still waiting, does not go out any more.
    row = Notification.objects.get(kind="space.invitation")
    assert row.gave_up_at is not None
    assert token not in row.body


def test_the_address_is_gone_once_the_invitation_is_used_through_the_api(cast: Cast) -> None:
    _invitation, token = _link(cast)

    response = api_client_for(cast, "editor").post(
        "/api/v1/spaces/invitations/accept/", {"token": token}
    )

    assert response.status_code == 201, response.json()
    assert _rows_holding(ADDRESS) == []


def test_declining_on_the_page_without_an_account_ends_it_and_erases_the_address(
    cast: Cast,
) -> None:
    invitation, token = _link(cast)
    page = Client().get(f"/spaces/invitations/{token}/")
    assert "Decline the invitation" in page.content.decode()

    response = Client().post(f"/spaces/invitations/{token}/decline/")

    assert response.status_code == 302
    assert _rows_holding(ADDRESS) == []
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    again = Client().post(f"/spaces/invitations/{token}/")
    assert "was declined" in again.content.decode()


def test_declining_through_the_api_erases_the_address(cast: Cast) -> None:
    _invitation, token = _link(cast)

    response = api_client_for(cast, "anonymous").post(
        "/api/v1/spaces/invitations/decline/", {"token": token}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["space"] == "northside"
    assert _rows_holding(ADDRESS) == []


def test_the_minute_sweep_erases_the_address_of_an_expired_invitation(cast: Cast) -> None:
    invitation, _token = _link(cast)
    unexpired, _other = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"),
        space=cast.space,
        role="board",
        email="later@example.org",
    )
    Invitation.objects.filter(pk=unexpired.pk).update(
        expires_at=timezone.now() + timedelta(days=services.INVITATION_DAYS + 5)
    )
    later = timezone.now() + timedelta(days=services.INVITATION_DAYS, minutes=1)

    with time_machine.travel(later):
        call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _rows_holding(ADDRESS) == []
    invitation.refresh_from_db()
    assert invitation.email is None
    assert Invitation.objects.get(pk=unexpired.pk).email == "later@example.org"


def test_beat_runs_the_invitation_sweep_every_sweep_interval() -> None:
    from config.celery import app as celery_app

    entry = celery_app.conf.beat_schedule["erase-expired-invitation-addresses"]
    assert entry["task"] == "spaces.sweep_invitations"


def test_the_database_refuses_a_used_or_declined_invitation_that_keeps_its_address(
    cast: Cast,
) -> None:
    invitation, _token = _link(cast)

    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(declined_at=timezone.now())
    invitation.refresh_from_db()
    assert invitation.email == ADDRESS


def test_the_facilitators_see_a_declined_invitation_as_declined_not_waiting(cast: Cast) -> None:
    invitation, _token = _link(cast)
    services.invitation_decline(invitation=invitation)
    client = api_client_for(cast, "facilitator_mfa")

    listed = client.get("/api/v1/spaces/northside/invitations/").json()["results"]

    assert listed[0]["declined_at"] is not None
    assert listed[0]["used_at"] is None
    assert "email" not in listed[0]
