"""Rate limits that fail open: a cache outage is logged, never turned into refusals.

The limits live in the cache (Redis in production). If Redis is down, refusing every
API request would turn an outage of a helper into an outage of the site, so the request
goes through and a warning is logged instead.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.crypto import salted_hmac
from rest_framework import throttling

logger = logging.getLogger(__name__)


class FailOpenMixin:
    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)  # type: ignore[misc]
        except Exception:
            logger.warning(
                "Rate limiting skipped for this request: the cache is unreachable (%s).",
                type(self).__name__,
                exc_info=True,
            )
            return True


class HashedAddressMixin:
    def get_ident(self, request: Any) -> str:
        """The client's address as a keyed hash: the counters in the cache hold no IP."""
        address = super().get_ident(request)  # type: ignore[misc]
        return salted_hmac("realvoice.api.throttle", address).hexdigest()[:32]


class AnonRateThrottle(FailOpenMixin, HashedAddressMixin, throttling.AnonRateThrottle):
    """Limits requests without an account, per client address (kept only in the cache)."""


class UserRateThrottle(FailOpenMixin, HashedAddressMixin, throttling.UserRateThrottle):
    """Limits requests per account (per client address for anonymous requests)."""
