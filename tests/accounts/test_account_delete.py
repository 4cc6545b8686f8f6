"""Deleting an account: re-authentication first; then nothing identifying stays, the row
and the history do, and the apps that hold memberships hear of it in the transaction."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import IntegrityError, transaction
from django.test import Client
from knox.models import AuthToken

from accounts import services
from accounts.authority import Actor
from accounts.models import User
from accounts.signals import account_deleted
from core.errors import DomainError
from history.models import Event
from history.verification import verify
from notifications.models import Notification
from notifications.services import notify
from tests.accounts.conftest import strong
from tests.accounts.support import sign_in

pytestmark = pytest.mark.django_db


def test_deletion_removes_what_identifies_the_person_and_keeps_the_row(alice: User) -> None:
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={})
    services.token_create(actor=Actor(user=alice), name="script")
    services.recovery_codes_issue(user=alice)
    notify(recipient=alice, kind="test", body="Hi")
    heard = []

    def receiver(sender: type, user: User, **kwargs: object) -> None:
        heard.append(user.pk)

    account_deleted.connect(receiver)
    try:
        services.account_delete(actor=strong(alice))
    finally:
        account_deleted.disconnect(receiver)

    alice.refresh_from_db()
    assert heard == [alice.pk]
    assert alice.deleted_at is not None
    assert alice.email is None
    assert alice.username.startswith("deleted-")
    assert alice.public_name == "former member"
    assert not alice.has_usable_password()
    assert not alice.is_active
    for model in (EmailAddress, Authenticator, AuthToken):
        assert not model.objects.filter(user=alice).exists()
    assert not alice.recovery_codes.exists()
    assert not Notification.objects.pending().filter(recipient=alice).exists()
    event = Event.objects.get(kind="account.deleted")
    assert event.actor_id == ""
    assert event.subject_id == str(alice.public_id)
    assert verify().ok


def test_a_receiver_that_fails_rolls_the_whole_deletion_back(alice: User) -> None:
    def receiver(**kwargs: object) -> None:
        raise DomainError("memberships could not end")

    account_deleted.connect(receiver)
    try:
        with pytest.raises(DomainError):
            services.account_delete(actor=strong(alice))
    finally:
        account_deleted.disconnect(receiver)
    alice.refresh_from_db()
    assert alice.deleted_at is None
    assert alice.email == "alice@example.org"


@pytest.mark.parametrize(
    ("actor_kwargs", "message"),
    [
        ({"recently_authenticated": False}, "Confirm it is you"),
        ({"via_token": True, "recently_authenticated": True}, "account page"),
    ],
    ids=["not-recent", "by-token"],
)
def test_deletion_is_refused_without_a_fresh_browser_sign_in(
    alice: User, actor_kwargs: dict[str, bool], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        services.account_delete(actor=Actor(user=alice, **actor_kwargs))
    alice.refresh_from_db()
    assert alice.deleted_at is None
    assert not Event.objects.exists()


def test_a_deleted_account_cannot_be_deleted_again(alice: User) -> None:
    services.account_delete(actor=strong(alice))
    alice.refresh_from_db()
    with pytest.raises(DomainError, match="Sign in first"):
        services.account_delete(actor=strong(alice))
    assert Event.objects.filter(kind="account.deleted").count() == 1


def test_the_database_refuses_a_deleted_account_that_keeps_an_email(alice: User) -> None:
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=alice.pk).update(deleted_at=timezone.now(), is_active=False)


def test_the_delete_page_asks_to_confirm_the_password_first(alice: User) -> None:
    client = sign_in(Client(), alice)
    response = client.get("/account/delete/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_the_delete_page_deletes_after_confirmation_and_signs_out(alice: User) -> None:
    client = sign_in(Client(), alice, reauthenticated=True)
    assert client.get("/account/delete/").status_code == 200

    refused = client.post("/account/delete/", {})
    assert refused.status_code == 400
    response = client.post("/account/delete/", {"confirm": "on"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.deleted_at is not None
    assert client.get("/account/").status_code == 302  # signed out


def test_deletion_signs_the_person_out_everywhere(alice: User) -> None:
    """Other browsers signed in as the person are signed out at their next request."""
    phone = sign_in(Client(), alice)
    assert phone.get("/account/").status_code == 200

    services.account_delete(actor=strong(alice))

    assert phone.get("/account/").status_code == 302
