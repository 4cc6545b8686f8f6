"""Invitations: a one-time code (for people without e-mail) or an e-mail link; only a hash
is stored; single use; expiry; the join-without-e-mail page's two entry points."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from core import onetime
from core.errors import DomainError
from history.models import Event
from spaces import services
from spaces.models import Invitation, JoinRequest, Membership
from tests.factories import UserFactory
from tests.notifications.support import deliver_all
from tests.spaces.conftest import Cast, actor_for

pytestmark = pytest.mark.django_db


def test_a_code_is_stored_only_as_a_hash_and_works_once(cast: Cast) -> None:
    invitation, code = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, role="board"
    )
    normalised = code.replace("-", "")

    assert len(normalised) == onetime.CODE_LENGTH
    assert not Invitation.objects.filter(secret_hash__icontains=normalised).exists()
    assert hashlib.sha256(normalised.encode()).hexdigest() != invitation.secret_hash

    found = services.invitation_check_code(code=code.lower().replace("-", " "))
    membership = services.invitation_redeem(invitation=found, user=cast.newcomer)

    assert (membership.space, membership.role, membership.user) == (
        cast.space,
        "board",
        cast.newcomer,
    )
    invitation.refresh_from_db()
    assert invitation.used_by == cast.newcomer
    assert invitation.membership == membership
    with pytest.raises(DomainError, match="already been used"):
        services.invitation_check_code(code=code)
    with pytest.raises(DomainError, match="already been used"):
        services.invitation_redeem(invitation=found, user=UserFactory())
    assert Event.objects.filter(kind="membership.added").count() == 1


def test_an_unknown_code_is_refused_with_a_clear_message(cast: Cast) -> None:
    with pytest.raises(DomainError, match="not known"):
        services.invitation_check_code(code="ABCD-EFGH-JKMN")


def test_an_expired_code_is_refused_and_creates_no_membership(cast: Cast) -> None:
    _invitation, code = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, role="electorate"
    )
    later = timezone.now() + timedelta(days=services.INVITATION_DAYS, minutes=1)

    with time_machine.travel(later), pytest.raises(DomainError, match="expired"):
        services.invitation_check_code(code=code)
    assert not Membership.objects.filter(user=cast.newcomer).exists()


def test_an_email_invitation_is_a_link_token_not_a_code(cast: Cast, mailoutbox: list) -> None:
    invitation, token = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"),
        space=cast.space,
        role="electorate",
        email="friend@example.org",
    )
    # Delivered in this process: a test's transaction never commits, so a worker could
    # not see the row.
    assert deliver_all() == 1

    assert invitation.kind == "email"
    assert services.invitation_check_token(token=token) == invitation
    with pytest.raises(DomainError):
        services.invitation_check_code(code=token)
    [message] = mailoutbox
    assert token in message.body
    assert message.subject == "You have an update on Real Voice"


def test_a_join_request_approved_makes_a_membership(cast: Cast) -> None:
    request = services.join_request_create(
        actor=actor_for(cast, "facilitator_mfa").__class__(user=cast.newcomer),
        space=cast.space,
        role="electorate",
        message="I live nearby.",
    )

    services.join_request_approve(actor=actor_for(cast, "facilitator_mfa"), join_request=request)

    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED
    assert Membership.objects.filter(user=cast.newcomer, role="electorate", left_at=None).exists()


def test_an_email_invitation_from_the_page_carries_a_link_from_site_url_not_the_host(
    cast: Cast, mailoutbox: list, settings: Any
) -> None:
    from django.test import Client

    from tests.notifications.support import deliver_all
    from tests.spaces.conftest import sign_in

    settings.SITE_URL = "https://vote.example.org"
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, cast.rosa, mfa=True)
    client.post(
        "/spaces/northside/invitations/new/", {"role": "board", "email": "friend@example.org"}
    )

    assert deliver_all() == 1
    [message] = mailoutbox
    assert message.to == ["friend@example.org"]
    assert "https://vote.example.org/spaces/invitations/" in message.body
    assert "127.0.0.1" not in message.body


def test_accepting_an_email_invitation_on_its_page_makes_the_membership(cast: Cast) -> None:
    from django.test import Client

    from tests.spaces.conftest import sign_in

    _invitation, token = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"),
        space=cast.space,
        role="electorate",
        email="new@example.org",
    )
    client = Client()
    sign_in(client, cast.newcomer, mfa=False)

    assert client.get(f"/spaces/invitations/{token}/").status_code == 200
    response = client.post(f"/spaces/invitations/{token}/")

    assert response["Location"] == "/spaces/northside/"
    assert Membership.objects.filter(user=cast.newcomer, role="electorate").count() == 1
    assert client.get(f"/spaces/invitations/{token}/").status_code == 400  # used


def test_a_refused_redemption_leaves_the_invitation_unused(cast: Cast) -> None:
    invitation, _code = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, role="electorate"
    )

    with pytest.raises(DomainError, match="already a voter"):
        services.invitation_redeem(invitation=invitation, user=cast.dee)

    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert Membership.objects.filter(user=cast.dee).count() == 1


def test_redeeming_a_used_invitation_held_stale_in_memory_is_refused(cast: Cast) -> None:
    invitation, code = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, role="electorate"
    )
    stale = services.invitation_check_code(code=code)  # read before anyone used it
    services.invitation_redeem(invitation=invitation, user=cast.newcomer)
    assert stale.used_at is None

    with pytest.raises(DomainError, match="already been used"):
        services.invitation_redeem(invitation=stale, user=cast.marcus)

    assert not Membership.objects.filter(user=cast.marcus, role="electorate").exists()
    invitation.refresh_from_db()
    assert invitation.used_by == cast.newcomer


def test_the_claim_is_guarded_even_if_the_locked_read_saw_the_invitation_unused(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guarded UPDATE (``used_at IS NULL``) is what makes a use count once: here the
    locked read is made to return a stale copy, as a database that does not lock would."""
    invitation, _code = services.invitation_create(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, role="electorate"
    )
    stale = Invitation.objects.select_related("space").get(pk=invitation.pk)
    services.invitation_redeem(invitation=invitation, user=cast.newcomer)

    class StaleRead:
        def select_related(self, *fields: str) -> StaleRead:
            return self

        def get(self, **lookup: object) -> Invitation:
            return stale

    monkeypatch.setattr(Invitation.objects, "select_for_update", lambda: StaleRead())

    with pytest.raises(DomainError, match="already been used"):
        services.invitation_redeem(invitation=stale, user=cast.marcus)

    assert not Membership.objects.filter(user=cast.marcus, role="electorate").exists()
    assert Event.objects.filter(kind="membership.added").count() == 1
    invitation.refresh_from_db()
    assert invitation.used_by == cast.newcomer


@pytest.mark.parametrize("email", ["", "friend@example.org"])
def test_an_api_response_carrying_a_code_or_link_token_is_never_cached(
    cast: Cast, email: str
) -> None:
    from tests.spaces.conftest import api_client_for

    response = api_client_for(cast, "facilitator_mfa").post(
        "/api/v1/spaces/northside/invitations/", {"role": "board", "email": email}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["secret"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
