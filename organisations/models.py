"""Organisations that draft proposals, and the people who edit for them.

An organisation is registered by anyone signed in and stays pending until site staff
approve it. Editor rows are memberships: ``joined_at``/``left_at``, never deleted, so
who could edit for an organisation at any past moment can be reconstructed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OneTimeInvitation, one_time_constraints


class Organisation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short address"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="organisations_organisation_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(slug=""), name="organisations_organisation_named"
            ),
            # Approved exactly when an approval time is recorded.
            models.CheckConstraint(
                condition=(Q(status="approved") & Q(approved_at__isnull=False))
                | (~Q(status="approved") & Q(approved_at__isnull=True)),
                name="organisations_organisation_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("organisations:detail", kwargs={"slug": self.slug})


class OrganisationEditor(models.Model):
    """One period during which a person could edit for an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="editors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="editor_rows"
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("organisation editor")
        verbose_name_plural = _("organisation editors")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(left_at__isnull=True),
                name="organisations_editor_one_open_row",
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gt=F("joined_at")),
                name="organisations_editor_leaves_after_joining",
            ),
        ]
        indexes = [models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.left_at is None


class EditorInvitation(OneTimeInvitation):
    """A one-time code by which an editor invites someone to edit for an organisation.

    Consent instead of look-up: nobody is made an editor by their sign-in name. Only a
    SHA-256 hash of the code is stored; the code is shown once, to the editor who made it,
    and the invitee redeems it while signed in. Single use; expires.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="editor_invitations"
    )
    editor = models.OneToOneField(
        OrganisationEditor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitation",
    )

    class Meta:
        verbose_name = _("editor invitation")
        verbose_name_plural = _("editor invitations")
        ordering = ["-created_at", "-pk"]
        constraints = one_time_constraints("organisations_editor_invitation", "editor")

    def __str__(self) -> str:
        return f"editor invitation to {self.organisation}"
