"""Fixtures for the outbox tests: a person with an address, a record of what is queued,
and a broker that does not answer."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

from accounts.models import User
from config.celery import app as celery_app
from notifications import tasks
from tests.factories import UserFactory


@pytest.fixture
def alice(db: None) -> User:
    return UserFactory(username="alice", public_name="Alice")


@pytest.fixture
def queued() -> Iterator[list[int]]:
    """The notification ids handed to the broker, in order (nothing is really sent)."""
    ids: list[int] = []

    def record(*args: Any, kwargs: dict[str, Any], **options: Any) -> None:
        ids.append(kwargs["notification_id"])

    with mock.patch.object(tasks.deliver, "apply_async", side_effect=record):
        yield ids


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def dead_broker() -> Iterator[str]:
    """Point the in-process Celery app at a Redis port that refuses connections."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield url
    finally:
        celery_app.conf.update(saved)


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Run tasks in-process as the embedded demo does (no REDIS_URL), whatever the pass."""
    saved = celery_app.conf["task_always_eager"]
    celery_app.conf.update(task_always_eager=True)
    try:
        yield
    finally:
        celery_app.conf.update(task_always_eager=saved)
