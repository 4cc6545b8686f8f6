"""Deliver what the outbox holds, in this process, as a worker would."""

from __future__ import annotations

from notifications.models import Notification
from notifications.services import deliver_notification


def deliver_all() -> int:
    """Send every pending, due row now (a test's transaction never commits, so nothing
    was queued). Returns how many went out."""
    ids = list(Notification.objects.claimable().order_by("pk").values_list("pk", flat=True))
    return sum(deliver_notification(notification_id=pk) for pk in ids)


def recipient_name(row: Notification) -> str:
    """The username a row was addressed to, for a row sent to a person, not an address."""
    assert row.recipient is not None, f"notification {row.pk} has no recipient"
    return row.recipient.username
