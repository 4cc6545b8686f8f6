"""The beat sweep finds what was not delivered and queues it again."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from celery import schedules
from celery.schedules import maybe_schedule
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from config.celery import app as celery_app
from config.celery import schedule_sweeps
from notifications.models import Notification
from notifications.services import notify, sweep_due
from notifications.tasks import deliver, sweep_outbox
from tests.notifications.conftest import Queued

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


@override_settings(SWEEP_INTERVAL_SECONDS=60)
def test_deliveries_queued_by_the_sweep_expire_after_one_sweep_interval(
    alice: User, queued: Queued
) -> None:
    """During a backlog each sweep queues the same rows again: the older copies must die in
    the queue instead of piling up a batch a minute."""
    row(alice)

    sweep_outbox()
    sweep_outbox()

    assert len(queued) == 2
    assert [options.get("expires") for options in queued.options] == [60, 60]


def test_the_delivery_queued_at_commit_does_not_expire(
    alice: User, queued: Queued, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """It is a row's first and only task until a sweep finds the row, so it waits its turn."""
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=alice, kind="round-opened", body="A review round is open.")

    assert len(queued) == 1
    assert queued.options[0].get("expires") is None


def test_the_tasks_are_registered_under_the_names_beat_uses() -> None:
    celery_app.loader.import_default_modules()
    schedule = celery_app.conf.beat_schedule

    assert schedule["deliver-due-notifications"]["task"] == "notifications.sweep_outbox"
    assert celery_app.tasks["notifications.sweep_outbox"].name == sweep_outbox.name
    assert celery_app.tasks["notifications.deliver"].name == deliver.name


def sweep_entry() -> dict[str, Any]:
    celery_app.finalize(auto=True)  # the schedule is set when the app is finalised
    entry: dict[str, Any] = celery_app.conf.beat_schedule["deliver-due-notifications"]
    return entry


def test_beat_runs_the_outbox_sweep_every_sweep_interval_and_lets_a_late_run_expire() -> None:
    entry = sweep_entry()
    every = timedelta(seconds=settings.SWEEP_INTERVAL_SECONDS)

    # A minute unless the environment says otherwise.
    assert int(os.environ.get("SWEEP_INTERVAL_SECONDS", 60)) == settings.SWEEP_INTERVAL_SECONDS
    assert entry["task"] == "notifications.sweep_outbox"
    sweep = maybe_schedule(entry["schedule"], app=celery_app)
    assert isinstance(sweep, schedules.schedule)
    assert sweep.run_every == every  # type: ignore[attr-defined]  # celery-types omits run_every
    # A run beat could not hand over within one interval is dropped: the next one is due.
    assert entry["options"]["expires"] == every.total_seconds()


def test_the_beat_schedule_follows_the_sweep_interval_setting() -> None:
    saved = celery_app.conf.beat_schedule
    try:
        with override_settings(SWEEP_INTERVAL_SECONDS=5):
            schedule_sweeps(celery_app)
        entry = celery_app.conf.beat_schedule["deliver-due-notifications"]
        sweep = maybe_schedule(entry["schedule"])
        assert isinstance(sweep, schedules.schedule)
        assert sweep.run_every == timedelta(seconds=5)  # type: ignore[attr-defined]  # as above
        assert entry["options"]["expires"] == 5
    finally:
        celery_app.conf.beat_schedule = saved
