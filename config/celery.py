"""The Celery app. Settings come from Django's (CELERY_* names); the beat schedule is here."""

from __future__ import annotations

import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("realvoice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def configure_worker_logging(**kwargs: Any) -> None:
    """Workers log through Django's LOGGING, so web and worker lines look alike."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


# Each beat entry's name and the task it runs.
SWEEPS = {
    "deliver-due-notifications": "notifications.sweep_outbox",
    "close-due-advisory-rounds": "advisory.sweep_rounds",
    "open-due-votes": "voting.sweep_votes",
    "erase-expired-invitation-addresses": "spaces.sweep_invitations",
}


@app.on_after_finalize.connect
def schedule_sweeps(sender: Celery, **kwargs: Any) -> None:
    """The minute sweep: each app's due work, run by beat (one beat per deployment)."""
    from django.conf import settings

    every = float(settings.SWEEP_INTERVAL_SECONDS)
    # A run not started by the next one expires, so sweeps never queue up behind a busy worker.
    sender.conf.beat_schedule = {
        name: {"task": task, "schedule": every, "options": {"expires": every}}
        for name, task in SWEEPS.items()
    }
