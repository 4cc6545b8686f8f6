"""deliver_notification() sends each e-mail once, retries failures, and gives up in the end."""

from __future__ import annotations

import smtplib
import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db.models import F
from django.db.models.functions import Now
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.services import deliver_notification, notify, retry_delay
from tests.concurrency import run_at_barrier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.EmailMessage.send"
OUTSIDE_WORKER_SECONDS = 30


def pending(person: User, **fields: object) -> Notification:
    """An outbox row as notify() leaves it (written directly: nothing is queued here)."""
    return Notification.objects.create(
        recipient=person, kind="round-opened", subject="You have an update", body="Hi.", **fields
    )


def make_due(row: Notification) -> None:
    """Let the retry delay pass, on the database's clock (which time-machine cannot move)."""
    Notification.objects.filter(pk=row.pk).update(due_at=Now() - timedelta(seconds=1))


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
    # One claim in all. With a Celery worker serving this test database (CI's integration
    # pass), something there may claim the row first: the test counts claims rather than
    # naming the winner, and gives an outside winner time to finish its send.
    wins = [value for _, _, value in outcomes].count(True)
    assert wins <= 1
    row = Notification.objects.get()
    assert row.attempts == 1
    if wins == 0:
        deadline = time.monotonic() + OUTSIDE_WORKER_SECONDS
        while row.sent_at is None and time.monotonic() < deadline:
            time.sleep(0.2)
            row.refresh_from_db()
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


def test_a_failed_send_is_recorded_and_retried_after_a_delay_on_the_database_clock(
    alice: User,
) -> None:
    row = pending(alice)

    # The worker's own clock is an hour behind: the delay is still counted from the
    # database's now, so the row is not due again at once.
    with (
        time_machine.travel(timezone.now() - timedelta(hours=1)),
        mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("Connection closed")),
    ):
        assert deliver_notification(notification_id=row.pk) is False

    row.refresh_from_db()
    assert row.sent_at is None
    assert row.gave_up_at is None
    assert row.claimed_until is None
    assert row.last_error == "SMTPServerDisconnected: Connection closed"
    assert Notification.objects.filter(
        pk=row.pk,
        due_at__gt=Now() + timedelta(seconds=50),
        due_at__lte=Now() + timedelta(minutes=1),
    ).exists()

    assert deliver_notification(notification_id=row.pk) is False  # not due yet
    make_due(row)
    assert deliver_notification(notification_id=row.pk) is True

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.last_error == ""


@override_settings(NOTIFICATION_MAX_ATTEMPTS=3)
def test_delivery_is_given_up_after_the_maximum_number_of_attempts(alice: User) -> None:
    row = pending(alice)

    with mock.patch(SEND, side_effect=smtplib.SMTPDataError(451, b"Try again later")):
        for _ in range(3):
            assert deliver_notification(notification_id=row.pk) is False
            make_due(row)

    row.refresh_from_db()
    assert row.attempts == 3
    assert row.gave_up_at is not None
    assert row.status == Notification.Status.GAVE_UP
    assert "Try again later" in row.last_error
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


def test_a_worker_whose_clock_lags_still_finds_a_just_written_notification_due(
    alice: User,
) -> None:
    """notify() stamps the row with the database's clock and the claim compares with it, so a
    worker a few seconds behind the web server does not leave the e-mail for the sweep."""
    row = notify(recipient=alice, kind="round-opened", body="A review round is open.")
    assert row is not None

    with time_machine.travel(timezone.now() - timedelta(seconds=5)):
        assert deliver_notification(notification_id=row.pk) is True

    assert len(mail.outbox) == 1


def test_a_live_lease_holds_against_a_worker_whose_clock_runs_ahead(alice: User) -> None:
    row = pending(alice)
    Notification.objects.filter(pk=row.pk).update(
        claimed_until=Now() + timedelta(minutes=1), attempts=1
    )

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert deliver_notification(notification_id=row.pk) is False

    assert mail.outbox == []
    row.refresh_from_db()
    assert row.attempts == 1


@override_settings(NOTIFICATION_CLAIM_SECONDS=300)
def test_the_lease_is_measured_on_the_database_clock(alice: User) -> None:
    row = pending(alice)
    leases: list[bool] = []

    def look_at_the_lease() -> None:
        leases.append(
            Notification.objects.filter(
                pk=row.pk,
                claimed_until__gt=Now() + timedelta(seconds=290),
                claimed_until__lte=Now() + timedelta(seconds=300),
            ).exists()
        )

    with (
        time_machine.travel(timezone.now() - timedelta(hours=1)),
        mock.patch(SEND, side_effect=look_at_the_lease),
    ):
        assert deliver_notification(notification_id=row.pk) is True

    assert leases == [True]


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
