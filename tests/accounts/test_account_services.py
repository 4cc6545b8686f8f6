"""The account services: each refusal says what to do and changes nothing."""

from __future__ import annotations

import pytest
from knox.models import AuthToken

from accounts import services
from accounts.authority import Actor
from accounts.models import User
from accounts.selectors import display_name
from core.errors import DomainError, NotPermitted
from tests.accounts.conftest import strong

pytestmark = pytest.mark.django_db


def test_a_person_changes_their_public_name_with_spaces_tidied(alice: User) -> None:
    services.account_set_public_name(actor=strong(alice), public_name="  Al   ice ")
    alice.refresh_from_db()
    assert alice.public_name == "Al ice"


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "Choose a public name"), ("x" * 81, "at most 80 characters")],
)
def test_an_empty_or_long_public_name_is_refused_and_the_old_one_kept(
    alice: User, name: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        services.account_set_public_name(actor=strong(alice), public_name=name)
    alice.refresh_from_db()
    assert alice.public_name == "Alice"


def test_an_anonymous_visitor_cannot_change_a_name() -> None:
    with pytest.raises(NotPermitted, match="Sign in first"):
        services.account_set_public_name(actor=Actor.anonymous(), public_name="X")


def test_a_token_is_created_with_a_name_and_shown_once(alice: User) -> None:
    token, secret = services.token_create(actor=Actor(user=alice), name="My script")

    assert secret.startswith("rv_")
    assert token.personal.name == "My script"
    assert secret.startswith(token.token_key)
    assert secret not in {token.digest, token.token_key}


def test_a_token_cannot_create_another_token(alice: User) -> None:
    with pytest.raises(NotPermitted, match="account page"):
        services.token_create(actor=Actor(user=alice, via_token=True), name="More")
    assert not AuthToken.objects.filter(user=alice).exists()


def test_a_token_needs_a_name(alice: User) -> None:
    with pytest.raises(DomainError, match="Give the token a name"):
        services.token_create(actor=Actor(user=alice), name="  ")
    assert not AuthToken.objects.exists()


def test_an_anonymous_visitor_cannot_create_a_token() -> None:
    with pytest.raises(NotPermitted):
        services.token_create(actor=Actor.anonymous(), name="x")


def test_a_person_has_at_most_twenty_tokens(alice: User) -> None:
    for n in range(services.MAX_PERSONAL_TOKENS):
        services.token_create(actor=Actor(user=alice), name=f"t{n}")
    with pytest.raises(DomainError, match="Revoke one"):
        services.token_create(actor=Actor(user=alice), name="one more")
    assert AuthToken.objects.filter(user=alice).count() == services.MAX_PERSONAL_TOKENS


def test_a_person_revokes_their_own_token(alice: User) -> None:
    token, _secret = services.token_create(actor=Actor(user=alice), name="t")
    services.token_revoke(actor=Actor(user=alice), token_key=token.token_key)
    assert not AuthToken.objects.exists()


def test_nobody_revokes_someone_elses_token(alice: User, bob: User) -> None:
    token, _secret = services.token_create(actor=Actor(user=alice), name="t")
    with pytest.raises(DomainError, match="no such token"):
        services.token_revoke(actor=Actor(user=bob), token_key=token.token_key)
    assert AuthToken.objects.filter(pk=token.pk).exists()


def test_display_name_is_the_public_name_or_former_member(alice: User) -> None:
    assert display_name(alice) == "Alice"
    assert display_name(None) == "former member"
    services.account_delete(actor=strong(alice))
    alice.refresh_from_db()
    assert display_name(alice) == "former member"
