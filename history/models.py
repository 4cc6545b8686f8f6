"""The decision history: a global, gap-free, append-only chain of events.

Each event is an immutable envelope (``Event``) and a content row (``EventContent``).
``content_hash = SHA-256(salt ‖ data)`` and ``event_hash = SHA-256(envelope fields,
including prev_hash)``. Only ``history.services.append`` writes here; on PostgreSQL
triggers (migration 0002) refuse any UPDATE or DELETE of an envelope and any change of a
content row other than redaction (data and salt both set to NULL).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from history import chain

GENESIS_HASH = "0" * 64
# A redaction is itself an event, whose subject is the redacted event.
REDACTION_KIND = "history.redacted"


class ActorRole(models.TextChoices):
    SYSTEM = "system", _("Real Voice")
    STAFF = "staff", _("site staff")
    FACILITATOR = "facilitator", _("facilitator")
    EDITOR = "editor", _("organisation editor")
    BOARD_MEMBER = "board_member", _("advisory board member")
    VOTER = "voter", _("voter")
    MEMBER = "member", _("member")


class Event(models.Model):
    """The envelope of one history event; never updated, never deleted."""

    seq = models.BigIntegerField(_("sequence number"), primary_key=True)
    occurred_at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=64)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    # Opaque: a person's public_id, never their name or e-mail, so a deleted account
    # leaves the chain intact and shows as "former member".
    actor_id = models.CharField(max_length=64, blank=True)
    actor_role = models.CharField(max_length=32, choices=ActorRole.choices)
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64, unique=True)  # one successor per event
    event_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "seq"]),
            models.Index(fields=["kind", "seq"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gte=1), name="history_event_seq_positive"),
            models.CheckConstraint(
                condition=(Q(seq=1) & Q(prev_hash=GENESIS_HASH))
                | (Q(seq__gt=1) & ~Q(prev_hash=GENESIS_HASH)),
                name="history_event_genesis_only_first",
            ),
            models.CheckConstraint(condition=~Q(kind=""), name="history_event_kind_not_empty"),
            models.CheckConstraint(
                condition=Q(actor_role__in=ActorRole.values), name="history_event_actor_role_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    Exact(Length("content_hash"), 64),
                    Exact(Length("prev_hash"), 64),
                    Exact(Length("event_hash"), 64),
                ),
                name="history_event_hashes_are_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"

    def computed_hash(self) -> str:
        """The hash this envelope should carry, from its own fields."""
        return chain.event_hash(
            [
                chain.canonical_time(self.occurred_at)
                if name == "occurred_at"
                else getattr(self, name)
                for name in chain.ENVELOPE
            ]
        )


class EventContent(models.Model):
    """The data of one event, salted so that a redacted event's hash reveals nothing."""

    event = models.OneToOneField(
        Event, primary_key=True, on_delete=models.PROTECT, related_name="content"
    )
    data = models.BinaryField(null=True)
    salt = models.BinaryField(null=True)

    class Meta:
        verbose_name = _("history event content")
        verbose_name_plural = _("history event contents")
        constraints = [
            models.CheckConstraint(
                condition=(Q(data__isnull=True) & Q(salt__isnull=True))
                | (Q(data__isnull=False) & Q(salt__isnull=False)),
                name="history_content_redacted_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"content of #{self.event_id}"

    @property
    def is_redacted(self) -> bool:
        return self.data is None
