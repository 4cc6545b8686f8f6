"""The database itself refuses outbox rows in impossible states."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"attempts": -1}, id="negative attempts"),
        pytest.param({"sent_at": NOW, "gave_up_at": NOW, "attempts": 1}, id="sent and given up"),
        pytest.param({"sent_at": NOW, "attempts": 0}, id="sent without an attempt"),
        pytest.param({"sent_at": NOW, "attempts": 1, "claimed_until": NOW}, id="sent, claimed"),
        pytest.param({"gave_up_at": NOW, "claimed_until": NOW}, id="given up, claimed"),
        pytest.param({"kind": ""}, id="no kind"),
        pytest.param({"subject": ""}, id="no subject"),
        pytest.param({"body": ""}, id="no body"),
    ],
)
def test_the_database_refuses_a_notification_in_an_impossible_state(
    alice: User, fields: dict[str, object]
) -> None:
    values: dict[str, object] = {"kind": "x", "subject": "Update", "body": "Hi.", **fields}

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=alice, **values)


def test_the_database_refuses_to_claim_a_sent_notification(alice: User) -> None:
    row = Notification.objects.create(
        recipient=alice, kind="x", subject="Update", body="Hi.", sent_at=NOW, attempts=1
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.filter(pk=row.pk).update(claimed_until=NOW)
