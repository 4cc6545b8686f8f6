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


@app.on_after_finalize.connect
def schedule_sweeps(sender: Celery, **kwargs: Any) -> None:
    """The minute sweep: each app's due work, run by beat (one beat per deployment)."""
    from django.conf import settings

    every = float(settings.SWEEP_INTERVAL_SECONDS)
    sender.conf.beat_schedule = {
        "deliver-due-notifications": {
            "task": "notifications.sweep_outbox",
            "schedule": every,
            "options": {"expires": every},
        },
        "close-due-advisory-rounds": {
            "task": "advisory.sweep_rounds",
            "schedule": every,
            "options": {"expires": every},
        },
        "open-due-votes": {
            "task": "voting.sweep_votes",
            "schedule": every,
            "options": {"expires": every},
        },
        "erase-expired-invitation-addresses": {
            "task": "spaces.sweep_invitations",
            "schedule": every,
            "options": {"expires": every},
        },
    }
