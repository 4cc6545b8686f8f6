"""Wrong passwords are limited per sign-in name and client together, so a stranger who
knows someone's sign-in name cannot keep them out; per name alone a looser limit slows
every client to one try at a time, and still lets the owner in."""

from __future__ import annotations

import hashlib

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a long demo passphrase"
WRONG = {"login": "alice", "password": "not the password"}


@pytest.fixture
def owner(alice: User) -> User:
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    return alice


def tries(client: Client, count: int) -> list[bool]:
    """For each wrong password sent, whether the page refused to check it."""
    return [
        "Too many" in client.post("/accounts/login/", WRONG).content.decode() for _ in range(count)
    ]


def signs_in(client: Client) -> bool:
    response = client.post("/accounts/login/", {"login": "alice", "password": PASSWORD})
    return response.status_code == 302 and response["Location"] == "/me/"


def test_twenty_wrong_passwords_from_one_client_do_not_keep_the_owner_out(owner: User) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.9")

    refused = tries(guesser, 20)

    assert refused[:5] == [False] * 5
    assert all(refused[5:])  # the guesser's own client is stopped after five
    assert signs_in(Client(REMOTE_ADDR="198.51.100.20"))


def test_past_the_limit_per_name_every_client_is_slowed_and_the_owner_still_gets_in(
    owner: User,
) -> None:
    for number in range(10):  # fifty wrong passwords, five from each of ten clients
        assert tries(Client(REMOTE_ADDR=f"203.0.113.{number + 1}"), 5) == [False] * 5

    stranger = Client(REMOTE_ADDR="192.0.2.77")
    assert tries(stranger, 2) == [False, True]  # one try, then wait

    assert signs_in(Client(REMOTE_ADDR="198.51.100.20"))


def test_a_successful_sign_in_does_not_wipe_the_count_of_wrong_ones(owner: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert tries(client, 4) == [False] * 4
    assert signs_in(client)
    client.post("/accounts/logout/")

    assert tries(client, 2) == [False, True]


def test_the_counters_hold_nothing_a_list_of_guessed_names_could_match(owner: User) -> None:
    from allauth.core.internal import ratelimit

    tries(Client(REMOTE_ADDR="203.0.113.9"), 1)

    keys = " ".join(str(key) for key in ratelimit.cache.cache._cache)
    assert ":rl:allauth.account:login_failed:" in keys  # the wrong password was counted
    assert hashlib.sha256(b"testserver:alice").hexdigest() not in keys
    assert "alice" not in keys
