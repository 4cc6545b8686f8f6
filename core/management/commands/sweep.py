"""Run the minute sweep once: what Celery beat runs every SWEEP_INTERVAL_SECONDS.

Useful where no beat runs (the embedded demo) or to catch up by hand; safe to run at the
same time as beat, since every step is a guarded update.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from advisory.services import rounds_sweep
from notifications.services import sweep_due
from spaces.services import invitations_sweep
from voting.services import votes_sweep


class Command(BaseCommand):
    help = (
        "Close the advisory rounds that are due, send due reminders, open the votes that are"
        " due, remind voters before a close, finalise the votes that closed, erase the addresses"
        " of expired invitations and queue due e-mail."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = rounds_sweep()
        votes = votes_sweep()
        invitations = invitations_sweep()
        queued = sweep_due()
        self.stdout.write(
            f"rounds closed: {rounds.closed}, reminders sent: {rounds.reminded}, "
            f"votes opened: {votes.opened}, reminded: {votes.reminded}, "
            f"finalised: {votes.finalised}, expired invitation addresses erased: {invitations}, "
            f"notifications queued: {queued}"
        )
