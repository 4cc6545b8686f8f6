"""Rate limits fail open: if the cache is unreachable, requests go through and a
warning is logged; after a failure the cache is left alone for a while, so a hanging
Redis does not slow every request down."""

from __future__ import annotations

import logging
import socket
import time
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from api.throttling import RETRY_SECONDS, breaker

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
    """Past the limit of two a minute, and still answered: the limit cannot be counted.
    One warning, without a traceback, says so."""
    with caplog.at_level(logging.WARNING, logger="api.throttling"):
        statuses = [api_client.get("/api/test/throttled/").status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    [warning] = [r for r in caplog.records if r.name == "api.throttling"]
    assert warning.levelno == logging.WARNING
    assert "the cache is unreachable" in warning.getMessage()
    assert "TwoPerMinute" in warning.getMessage()
    assert warning.exc_info is None


def test_the_default_limits_fail_open_too(
    api_client: APIClient, unreachable_cache: RedisCache, caplog: pytest.LogCaptureFixture
) -> None:
    """The site-wide anonymous and per-account limits let the request through; the
    first failure switches both off, so one request logs one warning."""
    with caplog.at_level(logging.WARNING, logger="api.throttling"):
        response = api_client.get("/api/v1/")

    assert response.status_code == 200
    [warning] = [r for r in caplog.records if r.name == "api.throttling"]
    assert warning.getMessage().startswith(
        f"Rate limiting is off for {RETRY_SECONDS:.0f} seconds: the cache is unreachable "
        "(ConnectionError in AnonRateThrottle"
    )


class HangingCache:
    """A cache that hangs, then fails, like Redis behind a dropped network link;
    it counts how often it was asked."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.calls = 0

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        time.sleep(self.delay)
        raise TimeoutError("Timeout reading from socket")

    set = get


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(breaker, "clock", clock)
    return clock


@pytest.fixture
def hanging_cache(monkeypatch: pytest.MonkeyPatch) -> HangingCache:
    cache = HangingCache(delay=0.3)
    monkeypatch.setattr(SimpleRateThrottle, "cache", cache)
    return cache


def test_after_a_failure_requests_skip_the_cache_and_answer_at_once(
    api_client: APIClient, hanging_cache: HangingCache, clock: Clock
) -> None:
    """Only the first request waits for the hanging cache; the next ones, within the
    retry interval, do not ask it at all."""
    assert api_client.get("/api/v1/").status_code == 200
    assert hanging_cache.calls == 1  # the anonymous limit failed; the per-account one skipped

    statuses = [api_client.get("/api/v1/").status_code for _ in range(5)]

    assert statuses == [200] * 5
    # The hanging cache was not asked again, so none of them waited for it (a duration
    # would be the same claim, but one a busy machine can break).
    assert hanging_cache.calls == 1


def test_after_the_retry_interval_the_cache_is_tried_again(
    api_client: APIClient,
    hanging_cache: HangingCache,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Still down: one more try and one more warning per interval. Back up: the
    limits count again, and the log says so."""
    with caplog.at_level(logging.INFO, logger="api.throttling"):
        api_client.get("/api/test/throttled/")
        clock.now += RETRY_SECONDS - 1
        api_client.get("/api/test/throttled/")
        assert hanging_cache.calls == 1

        clock.now += 2
        api_client.get("/api/test/throttled/")
        assert hanging_cache.calls == 2

        recovered = LocMemCache("recovered-rate-limits", {})
        recovered.clear()
        monkeypatch.setattr(SimpleRateThrottle, "cache", recovered)
        clock.now += RETRY_SECONDS + 1
        statuses = [api_client.get("/api/test/throttled/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    messages = [r.getMessage() for r in caplog.records if r.name == "api.throttling"]
    assert len(messages) == 3
    assert all("the cache is unreachable (TimeoutError" in m for m in messages[:2])
    assert messages[2] == "Rate limiting is on again: the cache answers."


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

    # LocMemCache lists no keys but through its private _cache, which the stubs leave out.
    keys = list(counters._cache.keys())  # type: ignore[attr-defined]
    assert keys, "the request should have been counted"
    assert not any("203.0.113.7" in key for key in keys)
