"""Rate limits fail open: if the cache is unreachable, requests go through and a
warning is logged."""

from __future__ import annotations

import logging
import socket

import pytest
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unreachable_cache(monkeypatch: pytest.MonkeyPatch) -> RedisCache:
    """The rate-limit counters point at a Redis port that refuses connections."""
    cache = RedisCache(
        f"redis://127.0.0.1:{closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    monkeypatch.setattr(SimpleRateThrottle, "cache", cache)
    return cache


def test_requests_go_through_when_the_cache_is_down(
    api_client: APIClient, unreachable_cache: RedisCache, caplog: pytest.LogCaptureFixture
) -> None:
    """Past the limit of two a minute, and still answered: the limit cannot be counted."""
    with caplog.at_level(logging.WARNING, logger="api.throttling"):
        statuses = [api_client.get("/api/test/throttled/").status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    warnings = [r for r in caplog.records if r.name == "api.throttling"]
    assert len(warnings) == 3
    assert all(r.levelno == logging.WARNING for r in warnings)
    assert "the cache is unreachable" in warnings[0].getMessage()
    assert warnings[0].exc_info is not None


def test_the_default_limits_fail_open_too(
    api_client: APIClient, unreachable_cache: RedisCache, caplog: pytest.LogCaptureFixture
) -> None:
    """The site-wide anonymous and per-account limits log and let the request through."""
    with caplog.at_level(logging.WARNING, logger="api.throttling"):
        response = api_client.get("/api/v1/")

    assert response.status_code == 200
    assert {r.getMessage() for r in caplog.records if r.name == "api.throttling"} == {
        "Rate limiting skipped for this request: the cache is unreachable (AnonRateThrottle).",
        "Rate limiting skipped for this request: the cache is unreachable (UserRateThrottle).",
    }


def test_limits_are_counted_when_the_cache_works(api_client: APIClient) -> None:
    statuses = [api_client.get("/api/test/throttled/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(api_client: APIClient) -> None:
    """Limits count per connection address; X-Forwarded-For is not trusted."""
    statuses = [
        api_client.get("/api/test/throttled/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(
    api_client: APIClient, settings
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    first = [
        api_client.get("/api/test/throttled/", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
        for _ in range(3)
    ]
    second = api_client.get("/api/test/throttled/", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert first == [200, 200, 429]
    assert second.status_code == 200


def test_the_rate_limit_counters_hold_no_ip_address(api_client: APIClient) -> None:
    counters = SimpleRateThrottle.cache  # the per-test local-memory cache (tests/conftest.py)

    api_client.get("/api/test/throttled/", REMOTE_ADDR="203.0.113.7")

    keys = list(counters._cache.keys())
    assert keys, "the request should have been counted"
    assert not any("203.0.113.7" in key for key in keys)
