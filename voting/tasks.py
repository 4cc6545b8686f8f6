"""Celery task: the minute sweep's share for votes."""

from __future__ import annotations

from celery import shared_task

from voting.services import votes_open_due


@shared_task(name="voting.sweep_votes")
def sweep_votes() -> int:
    """Open the votes whose time has come; safe to run twice at once (each vote is
    locked and opened by a guarded update)."""
    return votes_open_due()
