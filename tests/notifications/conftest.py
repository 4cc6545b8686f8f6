"""Fixtures for the outbox tests: a record of what is queued, and tasks run in-process.

``alice``, ``closed_port`` and ``dead_broker`` are shared, in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

from config.celery import app as celery_app
from notifications import tasks


class Queued(list[int]):
    """The notification ids handed to the broker, in order; ``options`` holds each one's
    ``apply_async`` options (``expires`` …), in the same order."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[dict[str, Any]] = []


@pytest.fixture
def queued() -> Iterator[Queued]:
    """What is handed to the broker (nothing is really sent)."""
    record = Queued()

    def publish(*args: Any, kwargs: dict[str, Any], **options: Any) -> None:
        record.append(kwargs["notification_id"])
        record.options.append(options)

    with mock.patch.object(tasks.deliver, "apply_async", side_effect=publish):
        yield record


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Run tasks in-process as the embedded demo does (no REDIS_URL), whatever the pass."""
    saved = celery_app.conf["task_always_eager"]
    celery_app.conf.update(task_always_eager=True)
    try:
        yield
    finally:
        celery_app.conf.update(task_always_eager=saved)
