"""deliver_notification() sends each e-mail once, retries failures, and gives up in the end."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.services import deliver_notification, retry_delay
from tests.concurrency import run_at_barrier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.EmailMessage.send"


def pending(person: User, **fields: object) -> Notification:
    """An outbox row as notify() leaves it (written directly: nothing is queued here)."""
    return Notification.objects.create(
        recipient=person, kind="round-opened", subject="You have an update", body="Hi.", **fields
    )


def test_delivering_twice_sends_once(alice: User) -> None:
    row = pending(alice)

    assert deliver_notification(notification_id=row.pk) is True
    assert deliver_notification(notification_id=row.pk) is False

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.claimed_until is None


def test_a_row_claimed_by_a_live_worker_is_not_sent_by_a_second_one(alice: User) -> None:
    # The first worker's claim, still within its lease, as it would be mid-send.
    row = pending(alice, claimed_until=timezone.now() + timedelta(minutes=5), attempts=1)

    assert deliver_notification(notification_id=row.pk) is False

    assert mail.outbox == []
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.sent_at is None


def deliver_first_row(index: int) -> bool:
    return deliver_notification(notification_id=Notification.objects.get().pk)


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_row_at_the_same_instant_send_it_once() -> None:
    pending(UserFactory())

    outcomes = run_at_barrier(2, deliver_first_row)

    assert [status for _, status, _ in outcomes] == ["ok", "ok"]
    # One claim in all: in CI's integration pass a worker sweeping this test database may
    # be the one that wins, so the test counts claims rather than naming the winner.
    assert [value for _, _, value in outcomes].count(True) <= 1
    row = Notification.objects.get()
    assert row.attempts == 1
    assert row.sent_at is not None


def test_a_claim_whose_lease_ran_out_is_claimed_again(alice: User) -> None:
    # The worker that claimed this died before it could mark the row sent.
    row = pending(alice, claimed_until=timezone.now() - timedelta(seconds=1), attempts=1)

    assert deliver_notification(notification_id=row.pk) is True

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.sent_at is not None


def test_a_worker_that_outlived_its_lease_does_not_undo_the_next_workers_claim(
    alice: User,
) -> None:
    row = pending(alice)
    next_lease = timezone.now() + timedelta(minutes=10)

    def slow_failure() -> None:
        # While this send hangs, the lease runs out and another worker claims the row.
        Notification.objects.filter(pk=row.pk).update(
            claimed_until=next_lease, attempts=F("attempts") + 1
        )
        raise smtplib.SMTPServerDisconnected("Connection closed")

    with mock.patch(SEND, side_effect=slow_failure):
        assert deliver_notification(notification_id=row.pk) is False

    row.refresh_from_db()
    assert row.claimed_until == next_lease
    assert row.last_error == ""
    assert row.attempts == 2


def test_a_failed_send_is_recorded_and_retried_after_a_delay(alice: User) -> None:
    row = pending(alice)
    start = timezone.now()

    with (
        time_machine.travel(start, tick=False),
        mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("Connection closed")),
    ):
        assert deliver_notification(notification_id=row.pk) is False

    row.refresh_from_db()
    assert row.sent_at is None
    assert row.gave_up_at is None
    assert row.claimed_until is None
    assert row.last_error == "SMTPServerDisconnected: Connection closed"
    assert row.due_at == start + timedelta(minutes=1)

    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert deliver_notification(notification_id=row.pk) is False  # not due yet
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert deliver_notification(notification_id=row.pk) is True

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.last_error == ""


@override_settings(NOTIFICATION_MAX_ATTEMPTS=3)
def test_delivery_is_given_up_after_the_maximum_number_of_attempts(alice: User) -> None:
    row = pending(alice)
    clock = timezone.now()

    with mock.patch(SEND, side_effect=smtplib.SMTPDataError(451, b"Try again later")):
        for _ in range(3):
            with time_machine.travel(clock, tick=False):
                assert deliver_notification(notification_id=row.pk) is False
            clock += timedelta(hours=7)  # past any retry delay

    row.refresh_from_db()
    assert row.attempts == 3
    assert row.gave_up_at is not None
    assert row.status == Notification.Status.GAVE_UP
    assert "Try again later" in row.last_error
    with time_machine.travel(clock, tick=False):
        assert deliver_notification(notification_id=row.pk) is False
    assert mail.outbox == []


@override_settings(NOTIFICATION_MAX_ATTEMPTS=3)
def test_a_row_whose_workers_kept_dying_is_given_up_without_a_further_send(
    alice: User,
) -> None:
    row = pending(alice, claimed_until=timezone.now() - timedelta(seconds=1), attempts=3)

    assert deliver_notification(notification_id=row.pk) is False

    assert mail.outbox == []
    row.refresh_from_db()
    assert row.gave_up_at is not None
    assert row.claimed_until is None


def test_a_notification_is_not_sent_before_it_is_due(alice: User) -> None:
    row = pending(alice, due_at=timezone.now() + timedelta(hours=1))

    assert deliver_notification(notification_id=row.pk) is False

    assert mail.outbox == []
    row.refresh_from_db()
    assert row.attempts == 0


def test_the_current_address_is_used_and_a_removed_one_gives_the_row_up(alice: User) -> None:
    first, second = pending(alice), pending(alice)

    alice.email = "alice.new@example.org"
    alice.save(update_fields=["email"])
    assert deliver_notification(notification_id=first.pk) is True
    assert mail.outbox[0].to == ["alice.new@example.org"]

    alice.email = None
    alice.save(update_fields=["email"])
    assert deliver_notification(notification_id=second.pk) is False
    second.refresh_from_db()
    assert second.gave_up_at is not None
    assert len(mail.outbox) == 1


def test_a_stored_error_never_contains_the_address(alice: User) -> None:
    row = pending(alice)
    refusal = smtplib.SMTPRecipientsRefused({"alice@example.org": (550, b"No such mailbox")})

    with mock.patch(SEND, side_effect=refusal):
        deliver_notification(notification_id=row.pk)

    row.refresh_from_db()
    assert row.last_error
    assert "alice@example.org" not in row.last_error


def test_the_retry_delay_doubles_after_each_failure_up_to_six_hours() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == timedelta(hours=6)
