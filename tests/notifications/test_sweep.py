"""The beat sweep finds what was not delivered and queues it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from config.celery import app as celery_app
from notifications.models import Notification
from notifications.services import sweep_due
from notifications.tasks import deliver, sweep_outbox

pytestmark = pytest.mark.django_db


def row(person: User, **fields: object) -> Notification:
    return Notification.objects.create(
        recipient=person, kind="round-opened", subject="You have an update", body="Hi.", **fields
    )


def test_the_sweep_queues_due_pending_rows_and_nothing_else(alice: User, queued: list[int]) -> None:
    now = timezone.now()
    due = row(alice, due_at=now - timedelta(minutes=5))
    abandoned = row(alice, claimed_until=now - timedelta(seconds=1), attempts=1)
    row(alice, due_at=now + timedelta(hours=1))
    row(alice, claimed_until=now + timedelta(minutes=5), attempts=1)
    row(alice, sent_at=now, attempts=1)
    row(alice, gave_up_at=now, attempts=8)

    assert sweep_outbox() == 2

    assert queued == [due.pk, abandoned.pk]


def test_the_sweep_queues_at_most_one_batch_oldest_first(alice: User, queued: list[int]) -> None:
    now = timezone.now()
    rows = [row(alice, due_at=now - timedelta(minutes=minutes)) for minutes in range(5)]

    assert sweep_due(limit=3) == 3

    assert queued == [rows[4].pk, rows[3].pk, rows[2].pk]


def test_a_notification_that_missed_its_queueing_is_delivered_through_the_sweep(
    alice: User, queued: list[int]
) -> None:
    missed = row(alice)

    sweep_outbox()
    for notification_id in queued:
        deliver(notification_id=notification_id)

    assert len(mail.outbox) == 1
    missed.refresh_from_db()
    assert missed.sent_at is not None


def test_the_tasks_are_registered_under_the_names_beat_uses() -> None:
    celery_app.loader.import_default_modules()
    schedule = celery_app.conf.beat_schedule

    assert schedule["deliver-due-notifications"]["task"] == "notifications.sweep_outbox"
    assert celery_app.tasks["notifications.sweep_outbox"].name == sweep_outbox.name
    assert celery_app.tasks["notifications.deliver"].name == deliver.name
