"""notify() writes outbox rows in the caller's transaction and queues them on commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.services import NEUTRAL_SUBJECT, notify, notify_many
from notifications.tasks import deliver
from tests.factories import UserFactory
from tests.notifications.support import recipient_name

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    pass


def notify_then_roll_back(person: User) -> None:
    with transaction.atomic():
        notify(recipient=person, kind="round-opened", body="A review round is open.")
        raise RolledBack


def test_a_rolled_back_change_notifies_no_one(
    alice: User, queued: list[int], django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RolledBack):
        notify_then_roll_back(alice)

    assert not Notification.objects.exists()
    assert callbacks == []
    assert queued == []


def test_a_committed_notify_queues_one_delivery_that_sends_one_neutral_email(
    alice: User, queued: list[int], django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        row = notify(recipient=alice, kind="round-opened", body="A review round is open.")
    assert row is not None
    assert queued == []  # nothing goes to the broker before the commit

    assert len(callbacks) == 1
    callbacks[0]()
    assert queued == [row.pk]

    assert deliver(notification_id=row.pk) is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "You have an update on Real Voice" == str(NEUTRAL_SUBJECT)
    assert message.to == ["alice@example.org"]
    assert message.body == "A review round is open."
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 1


def test_a_person_without_an_email_address_gets_no_notification(
    queued: list[int], django_capture_on_commit_callbacks: Callable
) -> None:
    member = UserFactory(email=None)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = notify(recipient=member, kind="round-opened", body="A review round is open.")

    assert row is None
    assert not Notification.objects.exists()
    assert callbacks == []
    assert queued == []


def test_a_person_whose_account_is_inactive_gets_no_notification(queued: list[int]) -> None:
    person = UserFactory(is_active=False)

    assert notify(recipient=person, kind="round-opened", body="A review round is open.") is None
    assert not Notification.objects.exists()


def test_a_notification_due_later_is_written_but_not_queued_at_commit(
    alice: User, queued: list[int], django_capture_on_commit_callbacks: Callable
) -> None:
    later = timezone.now() + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        row = notify(recipient=alice, kind="reminder", body="A reminder.", due_at=later)

    assert row is not None
    assert row.due_at == later
    assert queued == []


def test_notify_many_writes_one_row_per_reachable_person_and_queues_them_together(
    alice: User, queued: list[int], django_capture_on_commit_callbacks: Callable
) -> None:
    bob = UserFactory(username="bob", public_name="Bob")
    charlie = UserFactory(username="charlie", email=None)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = notify_many(
            recipients=[alice, bob, charlie, alice], kind="vote-opened", body="A vote is open."
        )

    assert sorted(recipient_name(row) for row in rows) == ["alice", "bob"]
    assert Notification.objects.count() == 2
    assert len(callbacks) == 1
    assert sorted(queued) == sorted(row.pk for row in rows)


def test_a_subject_on_two_lines_is_refused(alice: User) -> None:
    with pytest.raises(ValueError, match="single line"):
        notify(recipient=alice, kind="x", subject="Hello\nBcc: someone", body="Hi.")


def test_deleting_an_account_deletes_its_pending_notifications(
    alice: User, queued: list[int]
) -> None:
    notify(recipient=alice, kind="round-opened", body="A review round is open.")

    alice.delete()

    assert not Notification.objects.exists()


def test_without_redis_a_committed_notification_is_sent_right_after_the_commit(
    alice: User, eager_tasks: None, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = notify(recipient=alice, kind="round-opened", body="A review round is open.")
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    assert row is not None
    row.refresh_from_db()
    assert row.sent_at is not None
