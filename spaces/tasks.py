"""Celery task: the minute sweep's share for invitations."""

from __future__ import annotations

from celery import shared_task

from spaces.services import invitations_sweep


@shared_task(name="spaces.sweep_invitations")
def sweep_invitations() -> int:
    """Erase the addresses of expired e-mail invitations; safe to run twice at once."""
    return invitations_sweep()
