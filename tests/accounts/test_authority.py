"""What a request proves about the person behind it."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from accounts.authority import Actor
from accounts.services import mfa_reset_by_staff
from tests.accounts.conftest import strong
from tests.accounts.support import give_totp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_for(user, records):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request.session.update(
        {
            "account_authentication_methods": records,
            "account_authentication_methods_user": str(user.pk),
        }
    )
    return request


def test_a_session_that_passed_a_second_factor_may_use_powers() -> None:
    person = UserFactory()
    give_totp(person)
    now = time.time()
    actor = Actor.from_request(
        request_for(person, [{"method": "password", "at": now}, {"method": "mfa", "at": now}])
    )
    assert actor.mfa
    assert actor.can_use_powers
    assert actor.recently_authenticated


def test_a_password_only_session_may_not_use_powers() -> None:
    person = UserFactory()
    actor = Actor.from_request(request_for(person, [{"method": "password", "at": time.time()}]))
    assert not actor.mfa
    assert not actor.can_use_powers


def test_a_personal_token_never_carries_powers_even_after_mfa() -> None:
    person = UserFactory()
    request = request_for(person, [{"method": "mfa", "at": time.time()}])
    request.auth = object()  # DRF sets the token row here
    actor = Actor.from_request(request)
    assert actor.via_token
    assert not actor.can_use_powers


def test_an_old_sign_in_is_not_recent_enough_for_sensitive_actions(settings) -> None:
    person = UserFactory()
    give_totp(person)
    long_ago = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 60
    actor = Actor.from_request(request_for(person, [{"method": "mfa", "at": long_ago}]))
    assert actor.can_use_powers
    assert not actor.recently_authenticated


def test_an_anonymous_visitor_has_no_powers() -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    actor = Actor.from_request(request)
    assert actor.is_anonymous
    assert not actor.can_use_powers


def test_the_second_factor_ends_when_staff_reset_the_authenticator() -> None:
    """A session that passed a second factor loses its powers the moment staff remove the
    person's authenticator: the proof does not outlive it."""
    person = UserFactory()
    staff = UserFactory(is_staff=True)
    give_totp(staff)
    totp = give_totp(person)
    request = request_for(
        person, [{"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"}]
    )
    assert Actor.from_request(request).can_use_powers

    mfa_reset_by_staff(actor=strong(staff), person=person, reason="asked in person")

    actor = Actor.from_request(request)
    assert not actor.mfa
    assert not actor.can_use_powers


def test_the_second_factor_ends_when_the_person_turns_it_off() -> None:
    person = UserFactory()
    totp = give_totp(person)
    records = [{"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"}]
    assert Actor.from_request(request_for(person, records)).mfa

    totp.delete()

    assert not Actor.from_request(request_for(person, records)).mfa


def test_a_new_authenticator_does_not_revive_a_session_that_passed_the_old_one() -> None:
    """The session names the authenticator it used: only that one counts."""
    person = UserFactory()
    old = give_totp(person)
    records = [{"method": "mfa", "at": time.time(), "id": old.pk, "type": "totp"}]
    old.delete()
    give_totp(person)

    assert not Actor.from_request(request_for(person, records)).mfa


def test_a_second_factor_record_without_any_authenticator_gives_no_powers() -> None:
    person = UserFactory()
    actor = Actor.from_request(request_for(person, [{"method": "mfa", "at": time.time()}]))
    assert not actor.can_use_powers


def test_checking_the_second_factor_takes_one_query(django_assert_num_queries) -> None:
    person = UserFactory()
    totp = give_totp(person)
    request = request_for(
        person, [{"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"}]
    )
    # SELECT 1 FROM mfa_authenticator WHERE user = … AND type = 'totp' AND EXISTS (id in …)
    with django_assert_num_queries(1):
        assert Actor.from_request(request).mfa
