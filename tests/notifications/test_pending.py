"""One meaning of "pending": the queryset, the status shown, and what workers may claim."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models.functions import Now
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def row(person: User, **fields: object) -> Notification:
    return Notification.objects.create(
        recipient=person, kind="round-opened", subject="You have an update", body="Hi.", **fields
    )


def test_pending_rows_are_exactly_those_whose_status_is_pending(alice: User) -> None:
    now = timezone.now()
    rows = [
        row(alice),
        row(alice, due_at=now + timedelta(days=1)),
        row(alice, claimed_until=now + timedelta(minutes=5), attempts=1),
        row(alice, sent_at=now, attempts=1),
        row(alice, gave_up_at=now, attempts=8),
    ]

    pending = set(Notification.objects.pending().values_list("pk", flat=True))

    assert pending == {r.pk for r in rows if r.status == Notification.Status.PENDING}
    assert pending == {r.pk for r in rows[:3]}


def test_claimable_rows_are_pending_due_and_without_a_live_lease(alice: User) -> None:
    due = row(alice)
    lease_ran_out = row(alice, attempts=1)
    Notification.objects.filter(pk=lease_ran_out.pk).update(
        claimed_until=Now() - timedelta(seconds=1)
    )
    row(alice, due_at=timezone.now() + timedelta(hours=1))
    held = row(alice, attempts=1)
    Notification.objects.filter(pk=held.pk).update(claimed_until=Now() + timedelta(minutes=5))
    row(alice, sent_at=timezone.now(), attempts=1)

    claimable = set(Notification.objects.claimable().values_list("pk", flat=True))

    assert claimable == {due.pk, lease_ran_out.pk}
