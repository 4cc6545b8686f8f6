"""Write notifications into the outbox, and deliver them.

``notify()`` / ``notify_many()`` are the only way the site sends e-mail to a person. They
write outbox rows in the caller's transaction and queue delivery once it commits, so a
rolled-back change notifies no one and a Redis outage delays e-mail without losing any.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Someone else may see the recipient's inbox: subjects never name drugs, proposals or roles.
NEUTRAL_SUBJECT = _("You have an update on Real Voice")

SWEEP_BATCH = 200
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 6 * 3600
MAX_ERROR_LENGTH = 1000


def notify(
    *,
    recipient: User,
    kind: str,
    body: str,
    subject: str | Promise = NEUTRAL_SUBJECT,
    due_at: datetime | None = None,
) -> Notification | None:
    """Write one notification for ``recipient``; see ``notify_many`` for the guarantees.

    Returns the row, or None when the person cannot receive e-mail (no address, or an
    inactive account).
    """
    rows = notify_many(recipients=[recipient], kind=kind, subject=subject, body=body, due_at=due_at)
    return rows[0] if rows else None


def notify_many(
    *,
    recipients: Iterable[User],
    kind: str,
    body: str,
    subject: str | Promise = NEUTRAL_SUBJECT,
    due_at: datetime | None = None,
) -> list[Notification]:
    """Write one notification per recipient into the outbox, in the caller's transaction.

    Guarantees:
    - the rows commit or roll back with the caller's change; delivery is queued only
      after the commit, so a rolled-back change notifies no one;
    - queueing never raises: if the broker is down, a warning is logged and the beat
      sweep delivers the rows later;
    - a person without an e-mail address (people may join without one) or with an
      inactive account gets no row: there is nothing to deliver, and no message body is
      kept for them;
    - a row due now (no ``due_at``, or one not after this server's clock) is stamped
      with the database's clock, the one workers compare with, so the worker that gets it
      at commit finds it due even if its own clock lags this server's;
    - a row due later (``due_at`` in the future) is not queued now; the sweep sends it
      when it falls due;
    - each person gets one row, however often they appear in ``recipients``.

    The subject defaults to the neutral one; a caller's own subject must be as neutral,
    and so should the body's wording, since others may see the inbox.
    """
    text = str(subject)  # a lazy translation is rendered in the active language
    if not kind or not text or not body:
        raise ValueError("A notification needs a kind, a subject and a body.")
    if "\n" in text or "\r" in text:
        raise ValueError("A notification subject must be a single line.")
    if due_at is not None and timezone.is_naive(due_at):
        raise ValueError("due_at must be timezone-aware.")
    later = due_at is not None and due_at > timezone.now()
    # Due now: leave due_at (and created_at) to the database default, its own clock.
    timing: dict[str, Any] = {"due_at": due_at} if later else {}

    people = {person.pk: person for person in recipients if person.is_active and person.email}
    if not people:
        return []
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            Notification(recipient=person, kind=kind, subject=text, body=body, **timing)
            for person in people.values()
        )
    if not later:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: enqueue_deliveries(ids))
    return rows


def enqueue_deliveries(notification_ids: list[int], *, expires: float | None = None) -> None:
    """Queue one delivery task per id. Never raises: what is not queued, the sweep finds.

    A task still waiting in the queue ``expires`` seconds after queueing is dropped by the
    worker unrun (None: never).
    """
    from notifications import tasks  # tasks imports this module

    app = tasks.deliver.app
    options: dict[str, Any] = {} if expires is None else {"expires": expires}
    try:
        # A fresh connection from the current settings, not the shared pool: one connection
        # attempt and no retry loop, so with Redis down this fails in milliseconds (at most
        # the 2 s connect timeout) instead of holding the request for seconds.
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            producer = app.amqp.Producer(connection, auto_declare=False)
            for pk in notification_ids:
                tasks.deliver.apply_async(
                    kwargs={"notification_id": pk},
                    producer=producer,
                    retry=False,
                    **options,
                )
    except Exception as exc:
        # Any failure here must not reach the request: the rows are safe in the outbox.
        logger.warning(
            "Could not queue delivery of %d notification(s); the outbox sweep will retry: %s",
            len(notification_ids),
            exc,
        )


def deliver_notification(*, notification_id: int) -> bool:
    """Send one notification's e-mail if it is due, unsent and not held by another worker.

    Guarantees:
    - one worker at a time: the row is claimed with a guarded UPDATE whose count must be
      1, so delivering twice, or from two workers at once, sends once;
    - a worker that dies mid-send leaves a lease that runs out after
      NOTIFICATION_CLAIM_SECONDS; the row is then claimed again (so, in that one case,
      the e-mail may go out twice, never zero times);
    - a failed send is recorded in ``last_error`` and retried later with a growing delay;
      after NOTIFICATION_MAX_ATTEMPTS attempts the row is given up;
    - the address is read when sending, so a changed address is used and a removed one
      (or a deactivated account) gives the row up.

    Every time here is the database's clock (due, lease, retry, sent), never this worker's.

    Must run outside a transaction, so the claim commits before the e-mail goes out.
    Returns True when this call sent the e-mail.
    """
    lease = Now() + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    with transaction.atomic():
        claimed = (
            Notification.objects.claimable()
            .filter(pk=notification_id)
            .update(claimed_until=lease, attempts=F("attempts") + 1)
        )
        if claimed != 1:
            return False  # sent, given up, not due yet, held by another worker, or deleted
        # Read in the claim's transaction, which holds the row: these are our claim's values.
        notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    # Later writes are fenced by our claim's attempt number: if our lease ran out and
    # another worker claimed the row (counting an attempt), or it was sent meanwhile, they
    # change nothing.
    ours = Notification.objects.pending().filter(pk=notification_id, attempts=notification.attempts)
    recipient = notification.recipient
    max_attempts = settings.NOTIFICATION_MAX_ATTEMPTS

    if notification.attempts > max_attempts:
        # Earlier attempts never finished (their worker died); stop here.
        ours.update(
            claimed_until=None,
            gave_up_at=Now(),
            last_error=notification.last_error or "Earlier delivery attempts did not finish.",
        )
        return False
    if not recipient.is_active or not recipient.email:
        ours.update(
            claimed_until=None,
            gave_up_at=Now(),
            last_error="The person has no e-mail address or an inactive account.",
        )
        return False

    address = recipient.email
    try:
        EmailMessage(subject=notification.subject, body=notification.body, to=[address]).send()
    except Exception as exc:
        # Keep the address out of the stored error: admin pages show it to staff.
        error = f"{type(exc).__name__}: {exc}".replace(address, "<recipient>")
        error = error[:MAX_ERROR_LENGTH]
        if notification.attempts >= max_attempts:
            ours.update(claimed_until=None, gave_up_at=Now(), last_error=error)
            logger.warning(
                "Gave up notification %s after %d attempts: %s",
                notification_id,
                notification.attempts,
                error,
            )
        else:
            ours.update(
                claimed_until=None,
                due_at=Now() + retry_delay(notification.attempts),
                last_error=error,
            )
            logger.warning("Notification %s not sent, will retry: %s", notification_id, error)
        return False

    # The e-mail went out: record it even if our lease ran out and a later claim gave up.
    Notification.objects.filter(pk=notification_id, sent_at=None).update(
        sent_at=Now(), gave_up_at=None, claimed_until=None, last_error=""
    )
    return True


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next attempt: 1, 2, 4 … minutes after each failure, at most 6 hours."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def sweep_due(*, limit: int = SWEEP_BATCH) -> int:
    """Queue delivery of up to ``limit`` due, pending, unclaimed rows, oldest due first.

    Guarantees: a row that missed its queueing (broker down at commit), failed earlier,
    was due later, or whose worker died is found again here. Queueing a row twice is
    harmless: the claim lets one delivery through. The tasks queued here expire after one
    sweep interval, since the next sweep queues what is still due: during a backlog the
    queue holds at most about one sweep's worth of them, not one more batch a minute.
    Never raises when the broker is down. Returns how many rows were queued.
    """
    ids = list(
        Notification.objects.claimable().order_by("due_at").values_list("pk", flat=True)[:limit]
    )
    if ids:
        enqueue_deliveries(ids, expires=settings.SWEEP_INTERVAL_SECONDS)
    return len(ids)
