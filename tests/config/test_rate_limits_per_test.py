"""Every test, in every folder, counts rate limits in its own memory: the API's throttles
and allauth's sign-in limits (tests/conftest.py). In CI's second pass the default cache is
the shared Redis, where one test's sign-ins would count against the next one's limit."""

from __future__ import annotations

import pytest
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from accounts.ratelimits import FailOpenCache
from tests.conftest import _fresh_rate_limits

pytestmark = pytest.mark.django_db

KEY = "rate-limit-isolation-probe"


def _allauth_counters() -> BaseCache:
    from allauth.core.internal import ratelimit

    assert isinstance(ratelimit.cache, FailOpenCache)  # still failing open, as in production
    return ratelimit.cache.cache


def test_allauths_counters_are_in_this_tests_own_memory_not_the_default_cache() -> None:
    counters = _allauth_counters()

    assert isinstance(counters, LocMemCache)
    assert counters is not caches["default"]
    assert isinstance(SimpleRateThrottle.cache, LocMemCache)
    assert SimpleRateThrottle.cache is not caches["default"]


def test_counters_a_test_leaves_behind_are_gone_when_the_next_test_starts() -> None:
    """Trips allauth's sign-in limit (30 a minute per address) and leaves a mark in both
    counter stores, then runs the fixture the next test would get (tests/conftest.py
    ``_fresh_rate_limits``): it starts with no counts, whatever order tests run in."""
    client = Client()
    statuses = [
        client.post("/accounts/login/", {"login": "nobody", "password": "wrong"}).status_code
        for _n in range(32)
    ]
    assert 429 in statuses
    _allauth_counters().set(KEY, 1)
    SimpleRateThrottle.cache.set(KEY, 1)
    assert _allauth_counters().get(KEY) == 1

    with pytest.MonkeyPatch.context() as next_test:
        # pytest sets __wrapped__ on a fixture it defines, but does not declare it.
        _fresh_rate_limits.__wrapped__(next_test)  # type: ignore[attr-defined]

        assert _allauth_counters().get(KEY) is None
        assert SimpleRateThrottle.cache.get(KEY) is None
        response = Client().post("/accounts/login/", {"login": "nobody", "password": "wrong"})
        assert response.status_code != 429
