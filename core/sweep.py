"""The minute sweep, once: what Celery beat runs every SWEEP_INTERVAL_SECONDS, what
``manage.py sweep`` runs by hand, and what ``manage.py serve_demo`` runs every minute
beside the demo's server. Safe to run at the same time as beat: every step is a guarded
update."""

from __future__ import annotations

from advisory.services import rounds_sweep
from notifications.services import sweep_due
from spaces.services import invitations_sweep
from voting.services import votes_sweep


def sweep_once() -> str:
    """Close the due rounds and send their reminders, open, remind and finalise the due
    votes, queue due e-mail; a one-line summary of what was done."""
    rounds = rounds_sweep()
    votes = votes_sweep()
    invitations = invitations_sweep()
    queued = sweep_due()
    return (
        f"rounds closed: {rounds.closed}, reminders sent: {rounds.reminded}, "
        f"votes opened: {votes.opened}, reminded: {votes.reminded}, "
        f"finalised: {votes.finalised}, expired invitation addresses erased: {invitations}, "
        f"notifications queued: {queued}"
    )
