"""Shared fixtures and the switches for the passes CI runs.

- ``@pytest.mark.postgres`` tests need PostgreSQL (``DATABASE_URL=postgres://…``).
- ``@pytest.mark.integration`` tests need the real Redis (``REDIS_URL``) and a running
  Celery worker on the test database.
- ``@pytest.mark.e2e`` tests drive Debian's Chromium through Playwright.

Without those services such tests are skipped, so a newcomer's ``make test`` passes on
the embedded defaults. With ``REALVOICE_STRICT=1`` (CI's second pass) a skip is a
failure: an unreachable service fails the run instead of hiding behind a skip.

Fixtures more than one folder builds on are plugins registered here, so that every folder
sees them without importing them: the proposals cast, its advisory board and its vote, and
the browser. A folder's own conftest may still define a fixture of the same name, which
wins there (tests/spaces has a cast of its own).
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

if TYPE_CHECKING:
    from accounts.models import User

pytest_plugins = [
    "tests.proposals.fixtures",
    "tests.advisory.fixtures",
    "tests.voting.fixtures",
    "tests.e2e.fixtures",
]

STRICT = os.environ.get("REALVOICE_STRICT") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres" in item.keywords and not _on_postgres():
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))
        if "integration" in item.keywords and not settings.REDIS_URL:
            item.add_marker(
                pytest.mark.skip(reason="needs Redis and a Celery worker: set REDIS_URL")
            )
        if "e2e" in item.keywords and not shutil.which(CHROMIUM):
            item.add_marker(pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM}"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"REALVOICE_STRICT=1 forbids skips; this test was skipped: {reason}"


# --- Passwords -------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing() -> Iterator[None]:
    """Every password a test sets or checks is hashed with MD5: the production hasher is
    slow on purpose, and no test depends on which one is used. For the whole session, so
    that module-wide fixtures (a demo loaded once) hash quickly too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# --- Rate limits (the API's and allauth's) ----------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with empty rate-limit counters, kept in this process: the API's
    throttles (DRF) and allauth's limits (sign-in, sign-up, password reset, joining).

    The counters live in the default cache, which is Redis in CI's second pass: shared
    by every test of the run (all from 127.0.0.1), a test's requests would otherwise
    count against the next one's limit. Not flushing Redis either: it is also the broker.
    allauth's counters stay behind the fail-open wrapper (accounts/ratelimits.py), as in
    production, and the shared breaker starts closed.
    """
    from allauth.core.internal import ratelimit
    from django.core.cache.backends.locmem import LocMemCache
    from rest_framework.throttling import SimpleRateThrottle

    from accounts.ratelimits import FailOpenCache
    from api.throttling import breaker

    api_counters = LocMemCache("test-rate-limits", {})
    api_counters.clear()
    monkeypatch.setattr(SimpleRateThrottle, "cache", api_counters)

    allauth_counters = LocMemCache("test-allauth-rate-limits", {})
    allauth_counters.clear()
    breaker.reset()
    monkeypatch.setattr(ratelimit, "cache", FailOpenCache(allauth_counters))


# --- Shared cast and fixtures (alice; a closed port; a broker that refuses; no delivery) -------


@pytest.fixture
def alice(db: None) -> User:
    """A signed-up person with no special role, with an e-mail address (alice@example.org)."""
    from tests.factories import UserFactory

    return UserFactory(username="alice", public_name="Alice")


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released), so connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def dead_broker(closed_port: int) -> Iterator[str]:
    """Point the in-process Celery app at a Redis port that refuses connections; yield its URL.

    Tasks are really published (not run eagerly), so queueing meets the refused connection.
    """
    from config.celery import app as celery_app

    url = f"redis://127.0.0.1:{closed_port}/0"
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield url
    finally:
        celery_app.conf.update(saved)


@pytest.fixture
def no_delivery_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outbox rows are written, but no delivery task is queued at commit. For the
    transactional tests on PostgreSQL: in CI's second pass a real worker would read the
    outbox of the test database while the test's teardown empties it, and the two can
    deadlock. Delivery has tests of its own (tests/notifications)."""
    monkeypatch.setattr("notifications.services.enqueue_deliveries", lambda *args, **kw: None)


# --- Language -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in this thread; the next test must not
    inherit it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
