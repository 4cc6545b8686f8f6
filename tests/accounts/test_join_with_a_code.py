"""Joining without an e-mail address: a facilitator's code, a public name, a private
sign-in name and a password; then recovery codes, shown once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accounts import services
from accounts.authority import Actor
from accounts.models import AccountRecoveryCode, User
from spaces.models import Membership
from spaces.services import invitation_create
from tests.factories import DecisionSpaceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "public_name": "T.",
    "username": "tee",
    "password1": "a long new passphrase",
    "password2": "a long new passphrase",
}


@pytest.fixture
def code(db: None) -> str:
    """A board invitation code from Rosa, who facilitates the Northside space."""
    space = DecisionSpaceFactory(name="Northside", slug="northside")
    rosa = UserFactory(username="rosa", public_name="Rosa")
    MembershipFactory(space=space, user=rosa, role="facilitator")
    _invitation, secret = invitation_create(
        actor=Actor(user=rosa, mfa=True, recently_authenticated=True), space=space, role="board"
    )
    return secret


def test_a_person_joins_with_a_code_and_no_email_and_sees_recovery_codes_once(code: str) -> None:
    client = Client()
    assert client.post("/accounts/join/", {"code": code.lower()})["Location"] == "/accounts/join/"
    response = client.post("/accounts/join/", ACCOUNT)

    assert response.status_code == 200
    page = response.content.decode()
    assert "shown only this once" in page
    person = User.objects.get(username="tee")
    assert person.email is None
    assert person.public_name == "T."
    assert Membership.objects.get(user=person).role == "board"
    assert AccountRecoveryCode.objects.filter(user=person).count() == 10
    assert client.get("/account/").status_code == 200  # signed in


def test_an_unknown_code_is_refused_with_a_clear_message() -> None:
    response = Client().post("/accounts/join/", {"code": "NOPE-NOPE-NOPE"})
    assert response.status_code == 400
    assert "This code is not known" in response.content.decode()


def test_a_used_code_cannot_make_a_second_account(code: str) -> None:
    first = Client()
    first.post("/accounts/join/", {"code": code})
    first.post("/accounts/join/", ACCOUNT)

    second = Client()
    response = second.post("/accounts/join/", {"code": code})
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email__isnull=True).count() == 1


def test_a_code_used_meanwhile_leaves_no_account_behind(code: str) -> None:
    """The account and the membership are made in one transaction: if the code was used
    between the two steps, no account without a membership is left."""
    slow, fast = Client(), Client()
    slow.post("/accounts/join/", {"code": code})
    fast.post("/accounts/join/", {"code": code})
    fast.post("/accounts/join/", {**ACCOUNT, "username": "fast"})

    response = slow.post("/accounts/join/", ACCOUNT)

    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    assert not User.objects.filter(username="tee").exists()


def test_a_taken_sign_in_name_is_refused(code: str) -> None:
    UserFactory(username="tee")
    client = Client()
    client.post("/accounts/join/", {"code": code})
    response = client.post("/accounts/join/", ACCOUNT)
    assert response.status_code == 400
    assert Membership.objects.filter(role="board").count() == 0


def test_the_session_between_the_steps_holds_no_code(code: str) -> None:
    """After step one the session knows which invitation, not the code that redeems it."""
    client = Client()
    client.post("/accounts/join/", {"code": code})

    stored = json.dumps(dict(client.session.items()), default=str).lower()
    compact = code.lower().replace("-", "").replace(" ", "")
    assert code.lower() not in stored
    assert compact not in stored.replace("-", "")
    assert client.post("/accounts/join/", ACCOUNT).status_code == 200  # step two still works


def test_a_sign_in_name_is_kept_in_lower_case_and_taken_whatever_its_case(code: str) -> None:
    client = Client()
    client.post("/accounts/join/", {"code": code})
    client.post("/accounts/join/", {**ACCOUNT, "username": "Tee"})
    assert User.objects.get(public_name="T.").username == "tee"


def test_a_sign_in_name_taken_in_another_case_is_refused(code: str) -> None:
    UserFactory(username="tee")
    client = Client()
    client.post("/accounts/join/", {"code": code})
    response = client.post("/accounts/join/", {**ACCOUNT, "username": "TEE"})
    assert response.status_code == 400
    assert User.objects.filter(username__iexact="tee").count() == 1


def test_two_people_joining_at_once_with_one_sign_in_name_get_a_form_error(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other person's account appears between the form's check and the save: the
    database's unique constraint refuses it, and the page says so instead of failing."""
    real_user_create = services.user_create

    def someone_else_first(**kwargs: Any) -> User:
        UserFactory(username=kwargs["username"], public_name="Quick")
        return real_user_create(**kwargs)

    monkeypatch.setattr(services, "user_create", someone_else_first)
    client = Client(raise_request_exception=True)
    client.post("/accounts/join/", {"code": code})

    response = client.post("/accounts/join/", ACCOUNT)

    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [
        "This sign-in name is taken. Choose another one."
    ]
    assert not User.objects.filter(public_name="T.").exists()
    assert Membership.objects.filter(role="board").count() == 0
    assert client.get("/account/").status_code == 302  # not signed in


def test_guessing_join_codes_is_refused_past_the_limit_and_a_blocked_try_changes_nothing(
    code: str,
) -> None:
    """Twenty tries a minute per client (a keyed hash of its address); then even the right
    code is refused with a clear message, and no invitation step is started."""
    client = Client()
    for _ in range(20):
        assert client.post("/accounts/join/", {"code": "ABCD-EFGH-JKMN"}).status_code == 400

    blocked = client.post("/accounts/join/", {"code": code})

    assert blocked.status_code == 429
    assert "Too many tries. Please wait a minute" in blocked.content.decode()
    assert "accounts_join_invitation" not in client.session
    assert client.post("/accounts/join/", ACCOUNT).status_code == 200  # still at the code step
    assert not User.objects.filter(username="tee").exists()


def test_a_person_who_joins_with_a_code_gets_the_language_they_joined_in(code: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.post("/accounts/join/", {"code": code})
    client.post("/accounts/join/", ACCOUNT)

    assert User.objects.get(username="tee").language == "es"


def test_a_signed_in_person_with_a_code_is_sent_where_they_can_use_it(code: str) -> None:
    from tests.accounts.support import sign_in

    client = Client()
    sign_in(client, UserFactory())

    response = client.get("/accounts/join/")

    assert response["Location"] == "/spaces/invitations/redeem/"
