"""The minute sweep, once: what Celery beat runs every SWEEP_INTERVAL_SECONDS, what
``manage.py sweep`` runs by hand, and what ``manage.py serve_demo`` runs every minute
beside the demo's server. Safe to run at the same time as beat: every step is a guarded
update.

Each app registers its due work here from its ``AppConfig.ready()`` (``steps``): a step
does its work and says what it did in a few words. ``core`` imports no app. Steps run
by ``order``: advisory's rounds (10), voting's votes (20), spaces' invitations (30),
the notifications' outbox last (40), so that e-mail the earlier steps queued goes out in
the same sweep.
"""

from __future__ import annotations

from collections.abc import Callable

from core.registry import Registry

Step = Callable[[], str]

steps: Registry[Step] = Registry("The minute sweep")


def sweep_once() -> str:
    """Close the due rounds and send their reminders, open, remind and finalise the due
    votes, queue due e-mail; a one-line summary of what was done."""
    return ", ".join(step() for step in steps.entries())
