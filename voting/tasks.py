"""Celery task: the minute sweep's share for votes."""

from __future__ import annotations

from celery import shared_task

from voting.services import votes_sweep


@shared_task(name="voting.sweep_votes")
def sweep_votes() -> dict[str, int]:
    """Open the votes whose time has come, send the 24-hour reminders and finalise the
    votes that have closed; safe to run twice at once (each vote is locked and changed by
    a guarded update)."""
    done = votes_sweep()
    return {"opened": done.opened, "reminded": done.reminded, "finalised": done.finalised}
