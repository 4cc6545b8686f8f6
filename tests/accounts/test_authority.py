"""What a request proves about the person behind it."""

from __future__ import annotations

import time

import pytest
from django.test import RequestFactory

from accounts.authority import Actor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_for(user, records):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {
        "account_authentication_methods": records,
        "account_authentication_methods_user": str(user.pk),
    }
    return request


def test_a_session_that_passed_a_second_factor_may_use_powers() -> None:
    person = UserFactory()
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
