"""allauth's rate limits (sign-in, sign-up, password reset, joining, recovery) fail open.

They count in the default cache, Redis in production. If Redis is down, refusing every
sign-in would turn an outage of a helper into an outage of the site (and of voting, which
needs a sign-in), so the cache calls allauth makes go through ``FailOpenCache``: a failure
is logged and counts as "nothing counted yet", and after one failure the cache is left
alone for a while. It shares the API's breaker (api/throttling.py): one outage, one switch.
"""

from __future__ import annotations

from typing import Any

from api.throttling import breaker

_NAME = "allauth rate limits"


class FailOpenCache:
    """The few cache calls allauth's rate limiting makes, each failing open."""

    def __init__(self, cache: Any) -> None:
        self.cache = cache

    def get(self, key: str, default: Any = None) -> Any:
        if breaker.is_open():
            return default
        try:
            value = self.cache.get(key, default)
        except Exception as error:
            breaker.failed(error, _NAME)
            return default
        breaker.succeeded()
        return value

    def add(self, key: str, value: Any, timeout: Any = None) -> bool:
        if breaker.is_open():
            return True  # allauth's lock: "acquired", so the request goes on
        try:
            return bool(self.cache.add(key, value, timeout=timeout))
        except Exception as error:
            breaker.failed(error, _NAME)
            return True

    def set(self, key: str, value: Any, timeout: Any = None) -> None:
        if breaker.is_open():
            return
        try:
            self.cache.set(key, value, timeout=timeout)
        except Exception as error:
            breaker.failed(error, _NAME)

    def delete(self, key: str) -> None:
        if breaker.is_open():
            return
        try:
            self.cache.delete(key)
        except Exception as error:
            breaker.failed(error, _NAME)


def install() -> None:
    """Put the fail-open wrapper around the cache allauth's rate limiting uses."""
    from allauth.core.internal import ratelimit
    from django.core.cache import cache

    if not isinstance(ratelimit.cache, FailOpenCache):
        ratelimit.cache = FailOpenCache(cache)
