"""With Redis unreachable, a change that notifies still commits, quickly, and the row waits.

The broker here is a real closed local port, refused by the real client. Quickly means
one connection attempt and no retry, which is what is counted: a duration would make the
same claim, but one a busy machine can break. The commit hooks run through
``django_capture_on_commit_callbacks`` so that the rows stay inside the test's own
transaction, out of reach of a worker sweeping the same test database in CI; the
integration tests do the same with real commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify, sweep_due
from tests.notifications.support import broker_connection_attempts

pytestmark = pytest.mark.django_db


def test_notify_commits_returns_quickly_and_warns_when_the_broker_is_unreachable(
    alice: User,
    dead_broker: str,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    caplog.set_level(logging.WARNING, logger="notifications")

    with (
        broker_connection_attempts() as attempts,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        notify(recipient=alice, kind="round-opened", body="A review round is open.")

    assert attempts.call_count == 1  # one refused connection, no retry
    assert len(callbacks) == 1
    row = Notification.objects.get()
    assert row.status == Notification.Status.PENDING
    assert row.attempts == 0
    assert "Could not queue delivery of 1 notification" in caplog.text


@pytest.mark.urls("tests.notifications.urls")
def test_a_request_that_notifies_succeeds_quickly_when_the_broker_is_unreachable(
    alice: User,
    dead_broker: str,
    client: Client,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    caplog.set_level(logging.WARNING, logger="notifications")
    client.force_login(alice)

    with (
        broker_connection_attempts() as attempts,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post("/notify-me/")

    assert response.status_code == 200
    assert attempts.call_count == 1  # one refused connection, no retry
    assert len(callbacks) == 1
    assert Notification.objects.get().status == Notification.Status.PENDING
    assert "the outbox sweep will retry" in caplog.text


def test_the_sweep_does_not_raise_when_the_broker_is_unreachable(
    alice: User, dead_broker: str, caplog: pytest.LogCaptureFixture
) -> None:
    Notification.objects.create(recipient=alice, kind="x", subject="Update", body="Hi.")

    assert sweep_due() == 1
    assert "the outbox sweep will retry" in caplog.text
