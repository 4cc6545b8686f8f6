"""Celery tasks: thin wrappers that take ids and call the outbox services.

Both are safe to run twice (the claim in ``deliver_notification`` lets one send through);
``acks_late`` and ``task_reject_on_worker_lost`` are set globally in config/settings.py.
"""

from __future__ import annotations

from celery import shared_task

from notifications.services import deliver_notification, sweep_due


@shared_task(name="notifications.deliver")
def deliver(notification_id: int) -> bool:
    """Send one notification if it is still due and unsent."""
    return deliver_notification(notification_id=notification_id)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> int:
    """Beat's sweep: queue what is due and was not delivered (broker down, retry, worker died)."""
    return sweep_due()
