"""Model parts several apps share. Abstract only: core's one table, the database
clock's setting, is not a model (core/clock.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OneTimeInvitation(models.Model):
    """An invitation used at most once, by a code or a link whose secret is stored only
    as a hash (``core.onetime``), until it expires: an organisation's to its editors, a
    space's to its members. A subclass adds what it invites to and the row its use
    produces, and lists ``one_time_constraints`` among its constraints."""

    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


def one_time_constraints(prefix: str, produced: str) -> list[models.BaseConstraint]:
    """The database's rules for a ``OneTimeInvitation``: it expires after it was made, and
    it is used exactly when it produced its row (the field ``produced``). Each is named
    after ``prefix``."""
    made = {f"{produced}__isnull": False}
    none_made = {f"{produced}__isnull": True}
    return [
        models.CheckConstraint(
            condition=Q(expires_at__gt=F("created_at")),
            name=f"{prefix}_expires_after_creation",
        ),
        models.CheckConstraint(
            condition=(Q(used_at__isnull=True) & Q(**none_made))
            | (Q(used_at__isnull=False) & Q(**made)),
            name=f"{prefix}_used_once_with_{produced}",
        ),
    ]
