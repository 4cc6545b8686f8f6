"""Fixtures for the API tests: a client, and the fixed cast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from api.throttling import breaker
from tests.factories import UserFactory


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def alice(db: None) -> User:
    """A signed-up person with no special role."""
    return UserFactory(username="alice", public_name="Alice")


@pytest.fixture(autouse=True)
def _closed_rate_limit_breaker() -> Iterator[None]:
    """Each test starts with rate limiting on, whatever cache outage an earlier one faked."""
    breaker.reset()
    yield
    breaker.reset()
