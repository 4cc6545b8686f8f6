"""Signing up asks for a public name; e-mail from the account pages has a neutral subject
and a plain body; allauth's rate limits count by a keyed hash of the address."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from accounts.adapter import AccountAdapter, hashed_client_address
from accounts.models import User
from tests.notifications.support import deliver_all
from tests.pages.support import Page

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new@example.org",
    "public_name": "  River  ",
    "username": "River_7",
    "password1": "a long new passphrase",
    "password2": "a long new passphrase",
}


def test_the_signup_form_asks_for_a_public_name_with_a_kind_hint() -> None:
    page = Page(Client().get("/accounts/signup/").content.decode())
    field = page.find("input", name="public_name")
    assert "required" in field
    assert "does not need to be your legal name" in page.text
    assert "Private sign-in name" in page.text


def test_signing_up_keeps_the_public_name_and_sends_a_neutral_confirmation() -> None:
    response = Client().post("/accounts/signup/", SIGNUP)

    assert response.status_code == 302
    person = User.objects.get(email="new@example.org")
    assert person.public_name == "River"
    assert person.username == "river_7"  # sign-in names are kept in lower case
    assert deliver_all() == 1
    [message] = mail.outbox
    assert message.subject == "Your Real Voice account"
    assert "http://127.0.0.1:8000/accounts/confirm-email/" in message.body
    assert "river" not in message.subject.lower()


def test_a_signup_without_a_public_name_is_refused() -> None:
    response = Client().post("/accounts/signup/", {**SIGNUP, "public_name": "   "})
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_in_waits_for_the_confirmed_address() -> None:
    Client().post("/accounts/signup/", SIGNUP)
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "river_7", "password": "a long new passphrase"}
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/account/").status_code == 302


def test_password_reset_mail_is_neutral_and_names_the_sign_in_name(alice: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    Client().post("/accounts/password/reset/", {"email": "alice@example.org"})

    assert deliver_all() == 1
    [message] = mail.outbox
    assert message.subject == "Your Real Voice account"
    assert "http://127.0.0.1:8000/accounts/password/reset/key/" in message.body
    assert "alice" in message.body


def test_the_client_address_is_a_keyed_hash_never_the_address() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    key = AccountAdapter(request).get_client_ip(request)

    assert "203.0.113.9" not in key
    assert key == hashed_client_address("203.0.113.9")
    assert key != hashed_client_address("203.0.113.10")


def test_ipv6_visitors_count_per_network() -> None:
    assert hashed_client_address("2001:db8::1") == hashed_client_address("2001:db8::ffff")
    assert hashed_client_address("2001:db8::1") != hashed_client_address("2001:db8:0:1::1")


def test_behind_the_proxy_the_forwarded_address_is_the_one_hashed(settings) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert AccountAdapter(request).get_client_ip(request) == hashed_client_address("198.51.100.4")


def test_failed_sign_ins_are_rate_limited_and_the_counters_hold_no_address(alice: User) -> None:
    client = Client(REMOTE_ADDR="192.0.2.55")
    wrong = {"login": "alice", "password": "not the password"}
    refused = [
        "Too many" in client.post("/accounts/login/", wrong).content.decode() for _ in range(6)
    ]

    assert refused == [False] * 5 + [True]  # allauth: 5 failures per account per 5 minutes
    from allauth.core.internal import ratelimit

    keys = " ".join(str(key) for key in ratelimit.cache.cache._cache)
    assert "192.0.2.55" not in keys
    assert re.search(r"client-[0-9a-f]{32}", keys)


def test_sign_in_works_while_the_cache_is_down(alice: User, caplog, monkeypatch) -> None:
    """Redis down: the rate limits are skipped (and a warning logged), sign-in still works."""
    from allauth.core.internal import ratelimit

    from accounts.ratelimits import FailOpenCache
    from api.throttling import breaker

    class DownCache:
        def __getattr__(self, name: str):
            def fail(*args, **kwargs):
                raise ConnectionError("Redis is down")

            return fail

    monkeypatch.setattr(ratelimit, "cache", FailOpenCache(DownCache()))
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    try:
        response = Client().post(
            "/accounts/login/", {"login": "alice", "password": "a long demo passphrase"}
        )
    finally:
        breaker.reset()

    assert response.status_code == 302
    assert response["Location"] == "/me/"  # where signing in lands
    assert "Rate limiting is off" in caplog.text
