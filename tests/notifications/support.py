"""Deliver what the outbox holds, in this process, as a worker would; count what this
process asks of the broker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from kombu import Connection

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


@contextmanager
def broker_connection_attempts() -> Iterator[mock.MagicMock]:
    """Counts this process's attempts to connect to the broker (``call_count``): kombu
    makes each one, a retry included, through ``Connection._establish_connection``, which
    still runs as it would."""
    establish = Connection._establish_connection
    with mock.patch.object(
        Connection, "_establish_connection", autospec=True, side_effect=establish
    ) as attempts:
        yield attempts
