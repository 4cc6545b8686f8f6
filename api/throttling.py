"""Rate limits that fail open: a cache outage is logged, never turned into refusals.

The limits live in the cache (Redis in production). If Redis is down, refusing every
API request would turn an outage of a helper into an outage of the site, so the request
goes through and a warning is logged instead.

A Redis that hangs costs each request its socket timeout (1 s) per rate limit, so after
one failure the limits are skipped without asking the cache for ``RETRY_SECONDS``; then
the next request tries again. One warning is logged per failed try, not per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.utils.crypto import salted_hmac
from rest_framework import throttling

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30.0


class CacheBreaker:
    """Remembers, per process, that the cache failed, and for how long to leave it alone."""

    def __init__(self, retry_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.retry_seconds = retry_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._open_until: float | None = None

    def is_open(self) -> bool:
        """True while the cache is left alone after a failure."""
        open_until = self._open_until
        return open_until is not None and self.clock() < open_until

    def failed(self, error: BaseException, throttle: str) -> None:
        with self._lock:
            if self.is_open():
                return  # another thread's request already reported this outage
            self._open_until = self.clock() + self.retry_seconds
        logger.warning(
            "Rate limiting is off for %d seconds: the cache is unreachable (%s in %s: %s).",
            self.retry_seconds,
            type(error).__name__,
            throttle,
            error,
        )

    def succeeded(self) -> None:
        if self._open_until is None:
            return
        with self._lock:
            if self._open_until is None:
                return
            self._open_until = None
        logger.info("Rate limiting is on again: the cache answers.")

    def reset(self) -> None:
        with self._lock:
            self._open_until = None


breaker = CacheBreaker(RETRY_SECONDS)


class FailOpenMixin:
    def allow_request(self, request: Any, view: Any) -> bool:
        if breaker.is_open():
            return True
        try:
            allowed: bool = super().allow_request(request, view)  # type: ignore[misc]
        except Exception as error:
            breaker.failed(error, type(self).__name__)
            return True
        if getattr(self, "key", None) is not None:  # the cache was asked (DRF sets the key)
            breaker.succeeded()
        return allowed


class HashedAddressMixin:
    def get_ident(self, request: Any) -> str:
        """The client's address as a keyed hash: the counters in the cache hold no IP."""
        address = super().get_ident(request)  # type: ignore[misc]
        return salted_hmac("realvoice.api.throttle", address).hexdigest()[:32]


class AnonRateThrottle(FailOpenMixin, HashedAddressMixin, throttling.AnonRateThrottle):
    """Limits requests without an account, per client address (kept only in the cache)."""


class UserRateThrottle(FailOpenMixin, HashedAddressMixin, throttling.UserRateThrottle):
    """Limits requests per account (per client address for anonymous requests)."""
