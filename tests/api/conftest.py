"""Fixtures for the API tests: a client, and the fixed cast."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def alice(db: None) -> User:
    """A signed-up person with no special role."""
    return UserFactory(username="alice", public_name="Alice")
