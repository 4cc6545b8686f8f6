"""The notification outbox: one row per e-mail to send, written with the change that causes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

# The one spelling of "pending": neither sent nor given up. The index, the constraints, the
# queryset and so the admin and the delivery services all use it.
PENDING = Q(sent_at__isnull=True, gave_up_at__isnull=True)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def pending(self) -> NotificationQuerySet:
        """Neither sent nor given up (whether or not due, claimed or not)."""
        return self.filter(PENDING)

    def claimable(self) -> NotificationQuerySet:
        """Pending rows a worker may claim now: due and with no live lease.

        "Now" is the database's clock, the one that wrote ``due_at`` and the leases, so a
        worker whose own clock lags or leads the web server's still agrees on what is due.
        """
        return self.pending().filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=Now()),
            due_at__lte=Now(),
        )


class Notification(models.Model):
    """One e-mail waiting for, or done with, delivery.

    A row is pending while ``sent_at`` and ``gave_up_at`` are both empty. A worker claims
    it by setting ``claimed_until`` (a lease) and counting an attempt; a lease that runs
    out means the worker died, and the row can be claimed again. The subject is neutral
    because someone else may see the recipient's inbox.

    It goes to ``address`` when one is set (an account e-mail confirming that very
    address, or an invitation to someone with no account yet), otherwise to the
    recipient's address as it is when the row is sent. A pending row has at least one of
    the two; a finished row keeps no ``address``, and a row that ``holds_secret`` (a link
    that signs in, resets a password or accepts an invitation) keeps no body either.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        GAVE_UP = "gave_up", _("given up")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # A deleted account's pending mail goes with it.
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        null=True,
        blank=True,
    )
    # Private, and kept only until the row is finished.
    address = models.EmailField(_("e-mail address"), null=True, blank=True)  # noqa: DJ001
    holds_secret = models.BooleanField(_("holds a secret link"), default=False)
    kind = models.SlugField(_("kind"), max_length=50, db_index=False)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    # The database's clock, as for every time the outbox compares (see ``claimable()``).
    created_at = models.DateTimeField(_("created"), db_default=Now(), editable=False)
    due_at = models.DateTimeField(_("due"), db_default=Now())
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    gave_up_at = models.DateTimeField(_("given up"), null=True, blank=True)
    attempts = models.IntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The sweep's query: pending rows by due time. Finished rows stay out of it.
            models.Index(
                fields=["due_at"],
                name="notifications_pending_due",
                condition=Q(sent_at__isnull=True, gave_up_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts__gte=0), name="notifications_attempts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(gave_up_at__isnull=True),
                name="notifications_sent_or_given_up_not_both",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(attempts__gte=1),
                name="notifications_sent_after_an_attempt",
            ),
            models.CheckConstraint(
                # A finished row holds no lease, so no worker can think it is still busy.
                condition=PENDING | Q(claimed_until__isnull=True),
                name="notifications_finished_holds_no_claim",
            ),
            models.CheckConstraint(condition=~Q(kind=""), name="notifications_kind_not_empty"),
            models.CheckConstraint(
                condition=~Q(subject=""), name="notifications_subject_not_empty"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="notifications_body_not_empty"),
            models.CheckConstraint(
                # Somewhere to send it while pending; no address kept once finished.
                condition=(PENDING & (Q(recipient__isnull=False) | Q(address__isnull=False)))
                | (~PENDING & Q(address__isnull=True)),
                name="notifications_pending_has_an_address_finished_keeps_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def status(self) -> Notification.Status:
        if self.sent_at is not None:
            return self.Status.SENT
        if self.gave_up_at is not None:
            return self.Status.GAVE_UP
        return self.Status.PENDING
