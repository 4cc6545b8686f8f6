"""Every test, in every folder, counts rate limits in its own memory: the API's throttles
and allauth's sign-in limits (tests/conftest.py). In CI's second pass the default cache is
the shared Redis, where one test's sign-ins would count against the next one's limit."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from accounts.ratelimits import FailOpenCache

pytestmark = pytest.mark.django_db

KEY = "rate-limit-isolation-probe"


def _allauth_counters() -> object:
    from allauth.core.internal import ratelimit

    assert isinstance(ratelimit.cache, FailOpenCache)  # still failing open, as in production
    return ratelimit.cache.cache


def test_allauths_counters_are_in_this_tests_own_memory_not_the_default_cache() -> None:
    counters = _allauth_counters()

    assert isinstance(counters, LocMemCache)
    assert counters is not caches["default"]
    assert isinstance(SimpleRateThrottle.cache, LocMemCache)
    assert SimpleRateThrottle.cache is not caches["default"]


def test_a_test_that_trips_allauths_sign_in_limit() -> None:
    """Fails sign-ins until allauth refuses them (its "login" limit: 30 a minute per address)."""
    client = Client()
    statuses = [
        client.post("/accounts/login/", {"login": "nobody", "password": "wrong"}).status_code
        for _n in range(32)
    ]
    assert 429 in statuses
    _allauth_counters().set(KEY, 1)  # type: ignore[attr-defined]


def test_the_next_test_starts_with_no_counts() -> None:
    """Runs after the test above (same file, in order): nothing it counted is left."""
    counters = _allauth_counters()

    assert counters.get(KEY) is None  # type: ignore[attr-defined]
    response = Client().post("/accounts/login/", {"login": "nobody", "password": "wrong"})
    assert response.status_code != 429
