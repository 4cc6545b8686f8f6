"""Celery task: the minute sweep's share for advisory rounds."""

from __future__ import annotations

from celery import shared_task

from advisory.services import rounds_sweep


@shared_task(name="advisory.sweep_rounds")
def sweep_rounds() -> dict[str, int]:
    """Close the rounds that are due and send due reminders; safe to run twice at once
    (each round is locked and each close and reminder is a guarded update)."""
    report = rounds_sweep()
    return {"closed": report.closed, "reminded": report.reminded}
