"""Run the minute sweep once: what Celery beat runs every SWEEP_INTERVAL_SECONDS.

Useful where no beat runs or to catch up by hand (``manage.py serve_demo`` runs it every
minute beside the demo's server); safe to run at the same time as beat, since every step
is a guarded update.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.sweep import sweep_once


class Command(BaseCommand):
    help = (
        "Close the advisory rounds that are due, send due reminders, open the votes that are"
        " due, remind voters before a close, finalise the votes that closed and queue due"
        " e-mail."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(sweep_once())
