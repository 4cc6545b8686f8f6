"""The cast of the account tests: alice (a person with an e-mail address), bob (another
member), sam (site staff), and the proofs a request can bring."""

from __future__ import annotations

import pytest

from accounts.authority import Actor
from accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def bob(db: None) -> User:
    return UserFactory(username="bob", public_name="Bob")


@pytest.fixture
def sam(db: None) -> User:
    """Site staff."""
    return UserFactory(username="sam", public_name="Sam", is_staff=True)


def strong(user: User) -> Actor:
    """A browser session with a second factor, confirmed just now."""
    return Actor(user=user, mfa=True, recently_authenticated=True)
