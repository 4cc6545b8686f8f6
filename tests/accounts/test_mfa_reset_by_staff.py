"""Site staff reset a lost authenticator: only with their own second factor, recently
confirmed, with a reason; logged in the history; the person is told."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from accounts.authority import Actor
from accounts.models import User
from accounts.services import mfa_reset_by_staff
from core.errors import DomainError
from history.models import Event
from history.verification import verify
from notifications.models import Notification
from tests.accounts.conftest import strong
from tests.accounts.support import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def give_authenticator(user: User) -> None:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "y"}
    )


def test_staff_reset_removes_every_second_factor_logs_it_and_tells_the_person(
    alice: User, sam: User
) -> None:
    give_authenticator(alice)

    removed = mfa_reset_by_staff(actor=strong(sam), person=alice, reason="Asked by phone.")

    assert removed == 2
    assert not Authenticator.objects.filter(user=alice).exists()
    event = Event.objects.get(kind="account.mfa_reset")
    assert event.actor_role == "staff"
    assert event.actor_id == str(sam.public_id)
    assert event.subject_id == str(alice.public_id)
    note = Notification.objects.get(recipient=alice)
    assert note.subject == "Your Real Voice account"
    assert "two-factor" in note.body
    assert verify().ok


def _refusals(alice: User, sam: User, bob: User) -> list[tuple[str, Actor, User, str, str]]:
    long_ago = Actor(user=sam, mfa=True, recently_authenticated=False)
    return [
        ("not staff", strong(bob), alice, "why", "Only site staff"),
        (
            "staff without mfa",
            Actor(user=sam, recently_authenticated=True),
            alice,
            "why",
            "own second factor",
        ),
        (
            "staff by token",
            Actor(user=sam, mfa=True, via_token=True, recently_authenticated=True),
            alice,
            "why",
            "own second factor",
        ),
        ("not recent", long_ago, alice, "why", "Confirm it is you"),
        ("own account", strong(sam), sam, "why", "your own"),
        ("no reason", strong(sam), alice, "   ", "Say why"),
        ("anonymous", Actor.anonymous(), alice, "why", "Only site staff"),
    ]


@pytest.mark.parametrize(
    "case",
    [
        "not staff",
        "staff without mfa",
        "staff by token",
        "not recent",
        "own account",
        "no reason",
        "anonymous",
    ],
)
def test_each_refusal_says_why_and_removes_nothing(
    case: str, alice: User, sam: User, bob: User
) -> None:
    give_authenticator(alice)
    give_authenticator(sam)
    [(_name, actor, person, reason, message)] = [
        row for row in _refusals(alice, sam, bob) if row[0] == case
    ]

    with pytest.raises(DomainError, match=message):
        mfa_reset_by_staff(actor=actor, person=person, reason=reason)

    assert Authenticator.objects.count() == 4
    assert not Event.objects.filter(kind="account.mfa_reset").exists()
    assert not Notification.objects.exists()


def test_a_person_without_a_second_factor_has_nothing_to_reset(alice: User, sam: User) -> None:
    with pytest.raises(DomainError, match="no two-factor"):
        mfa_reset_by_staff(actor=strong(sam), person=alice, reason="why")
    assert not Event.objects.exists()


def test_staff_reset_it_from_the_admin_with_a_reason(alice: User, sam: User) -> None:
    give_authenticator(alice)
    client = sign_in(Client(), sam, mfa=True)
    url = f"/admin/accounts/user/{alice.pk}/reset-two-factor/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Confirmed in person by their facilitator."})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=alice).exists()


def test_the_admin_form_shows_the_refusal_when_the_sign_in_is_not_recent(
    alice: User, sam: User, settings
) -> None:
    give_authenticator(alice)
    long_ago = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 60
    client = sign_in(Client(), sam, mfa=True, at=long_ago)

    response = client.post(f"/admin/accounts/user/{alice.pk}/reset-two-factor/", {"reason": "x"})

    assert response.status_code == 200
    assert "Confirm it is you again" in response.content.decode()
    assert Authenticator.objects.filter(user=alice).count() == 2


def test_the_admin_needs_a_second_factor(sam: User) -> None:
    """Staff signed in with a password only are sent to set up two-factor authentication,
    or to confirm it when they have it; with it, the admin opens."""
    client = sign_in(Client(), sam, mfa=False)
    response = client.get("/admin/", follow=True)
    assert ("/accounts/2fa/totp/activate/?next=%2Fadmin%2F", 302) in response.redirect_chain

    give_authenticator(sam)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1] == ("/accounts/2fa/reauthenticate/?next=%2Fadmin%2F", 302)

    sign_in(client, sam, mfa=True)
    assert client.get("/admin/").status_code == 200


def test_someone_who_is_not_staff_never_reaches_the_admin(alice: User) -> None:
    client = sign_in(Client(), UserFactory(username="x"), mfa=True)
    assert client.get("/admin/", follow=True).status_code == 403
