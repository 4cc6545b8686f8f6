"""Write notifications into the outbox, and deliver them.

``notify()`` / ``notify_many()`` are the only way the site sends e-mail to a person. They
write outbox rows in the caller's transaction and queue delivery once it commits, so a
rolled-back change notifies no one and a Redis outage delays e-mail without losing any.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification


class User(Protocol):
    """A person e-mail goes to (the site's ``settings.AUTH_USER_MODEL``), as this app
    needs them: the accounts app sits above it and is never imported here."""

    @property
    def pk(self) -> Any: ...
    @property
    def email(self) -> str | None: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def language(self) -> str: ...


logger = logging.getLogger(__name__)

# Someone else may see the recipient's inbox: subjects never name drugs, proposals or roles.
NEUTRAL_SUBJECT = _("You have an update on Real Voice")

SWEEP_BATCH = 200
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 6 * 3600
MAX_ERROR_LENGTH = 1000


# A body is text, or a function that writes it: called once per language, with that
# language active, so each person reads the e-mail in their own (``User.language``),
# whoever caused it. Text is sent as it is, in whatever language it was written.
Body = str | Callable[[], str]


def language_of(person: User | None) -> str:
    """The language e-mails to ``person`` are written in: their own, or, for no account,
    the one active now (the request's)."""
    if person is not None and person.language:
        return str(person.language)
    return translation.get_language() or settings.LANGUAGE_CODE


def _render(body: Body, subject: str | Promise, language: str) -> tuple[str, str]:
    with translation.override(language):
        text = body() if callable(body) else body
        title = str(subject)  # a lazy translation is rendered in this language
    if not text:
        raise ValueError("A notification needs a kind, a subject and a body.")
    if not title:
        raise ValueError("A notification needs a kind, a subject and a body.")
    if "\n" in title or "\r" in title:
        raise ValueError("A notification subject must be a single line.")
    return title, text


def notify(
    *,
    recipient: User,
    kind: str,
    body: Body,
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
    body: Body,
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
    - each person's subject and body are written in their language (``User.language``):
      a ``body`` function is called once per language, with it active, and so is a lazy
      ``subject``; links in it are built with ``core.links.absolute_url``;
    - a row due now (no ``due_at``, or one not after this server's clock) is stamped
      with the database's clock, the one workers compare with, so the worker that gets it
      at commit finds it due even if its own clock lags this server's;
    - a row due later (``due_at`` in the future) is not queued now; the sweep sends it
      when it falls due;
    - each person gets one row, however often they appear in ``recipients``.

    The subject defaults to the neutral one; a caller's own subject must be as neutral,
    and so should the body's wording, since others may see the inbox.
    """
    people = {person.pk: person for person in recipients if person.is_active and person.email}
    return _write(
        [(person, None, language_of(person)) for person in people.values()],
        kind=kind,
        body=body,
        subject=subject,
        due_at=due_at,
        holds_secret=False,
    )


def notify_address(
    *,
    address: str,
    kind: str,
    body: Body,
    language: str,
    recipient: User | None = None,
    subject: str | Promise = NEUTRAL_SUBJECT,
    holds_secret: bool = False,
) -> Notification:
    """Write one notification to ``address`` itself, with the guarantees of ``notify_many``.

    For the e-mails that must reach one given address: an account e-mail confirming that
    address (``recipient`` is then its account, whose deletion takes the row with it), or
    an invitation to someone who may have no account yet (no ``recipient``). Written in
    ``language``. ``holds_secret`` (a link that confirms, resets or accepts): the body
    is not shown in the admin, and is not kept once the row is finished. The address is
    not kept either.
    """
    if not address or "@" not in address:
        raise ValueError("A notification to an address needs an e-mail address.")
    return _write(
        [(recipient, address, language)],
        kind=kind,
        body=body,
        subject=subject,
        due_at=None,
        holds_secret=holds_secret,
    )[0]


def _write(
    targets: list[tuple[User | None, str | None, str]],
    *,
    kind: str,
    body: Body,
    subject: str | Promise,
    due_at: datetime | None,
    holds_secret: bool,
) -> list[Notification]:
    if not kind:
        raise ValueError("A notification needs a kind, a subject and a body.")
    if due_at is not None and timezone.is_naive(due_at):
        raise ValueError("due_at must be timezone-aware.")
    later = due_at is not None and due_at > timezone.now()
    # Due now: leave due_at (and created_at) to the database default, its own clock.
    timing: dict[str, Any] = {"due_at": due_at} if later else {}
    if not targets:
        # Checked all the same, so a bad body fails where it is written, not in production.
        _render(body, subject, settings.LANGUAGE_CODE)
        return []
    languages = {language for _person, _address, language in targets}
    rendered = {language: _render(body, subject, language) for language in languages}
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            Notification(
                recipient_id=person.pk if person is not None else None,
                address=address,
                holds_secret=holds_secret,
                kind=kind,
                subject=rendered[language][0],
                body=rendered[language][1],
                **timing,
            )
            for person, address, language in targets
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
            **_finished(notification),
        )
        return False
    address = notification.address or (recipient.email if recipient is not None else None)
    if (recipient is not None and not recipient.is_active) or not address:
        ours.update(
            claimed_until=None,
            gave_up_at=Now(),
            last_error="The person has no e-mail address or an inactive account.",
            **_finished(notification),
        )
        return False

    try:
        EmailMessage(subject=notification.subject, body=notification.body, to=[address]).send()
    except Exception as exc:
        # Keep the address out of the stored error: admin pages show it to staff.
        error = f"{type(exc).__name__}: {exc}".replace(address, "<recipient>")
        error = error[:MAX_ERROR_LENGTH]
        if notification.attempts >= max_attempts:
            ours.update(
                claimed_until=None, gave_up_at=Now(), last_error=error, **_finished(notification)
            )
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
        sent_at=Now(), gave_up_at=None, claimed_until=None, last_error="", **_finished(notification)
    )
    return True


# What replaces the body of a finished row that held a secret link.
BODY_NOT_KEPT = "(The message held a link that works once; it is not kept.)"


def _finished(notification: Notification) -> dict[str, Any]:
    """The fields a row drops when it is finished (sent or given up): the address it was
    sent to, and a body holding a secret link."""
    fields: dict[str, Any] = {"address": None}
    if notification.holds_secret:
        fields["body"] = BODY_NOT_KEPT
    return fields


def notification_give_up(*, notification_id: int, reason: str) -> bool:
    """Stop a pending row from going out (what it says no longer holds: an invitation
    used or withdrawn before its e-mail left). Its address goes, and a secret body too.
    Returns whether a pending row was given up; a row a worker holds right now may still
    go out."""
    row = Notification.objects.pending().filter(pk=notification_id).first()
    if row is None:
        return False
    return bool(
        Notification.objects.pending()
        .filter(pk=notification_id)
        .update(claimed_until=None, gave_up_at=Now(), last_error=reason, **_finished(row))
    )


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
