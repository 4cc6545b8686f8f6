from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager["User"]):
    def _create_user(
        self, username: str, email: str | None, password: str | None, **extra_fields: Any
    ) -> User:
        if not username:
            raise ValueError("A username is required.")
        user = self.model(
            username=username,
            email=self.normalize_email(email) or None,
            **extra_fields,
        )
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account.

    Public surfaces show ``public_name`` only. ``email`` is private and optional: people
    who join with a facilitator's code have none. ``public_id`` is the opaque actor id
    written into the decision history, so the chain never names a person directly.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    username = models.CharField(_("username"), max_length=150, unique=True)
    # NULL, not "": people who join by code have none, and uniqueness ignores NULLs.
    email = models.EmailField(_("e-mail address"), blank=True, null=True)  # noqa: DJ001
    public_name = models.CharField(
        _("public name"),
        max_length=80,
        help_text=_("Shown next to what you do on the site. Any name you like."),
    )
    # The language every e-mail to the person is written in: the one they used the site
    # in when they signed up or joined, changeable on the account page.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_staff = models.BooleanField(_("site staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set when the person deletes their account. The row stays (memberships and the
    # history refer to it) but holds nothing that identifies the person any more.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["public_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # "Rosa" and "rosa" would be two sign-in names for one way of typing it.
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_unique_ci"),
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_unique_ci",
                condition=models.Q(email__isnull=False),
            ),
            models.CheckConstraint(
                condition=~models.Q(public_name=""), name="accounts_user_public_name_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="accounts_user_language_known",
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True)
                | models.Q(is_active=False, email__isnull=True),
                name="accounts_user_deleted_is_inactive_without_email",
            ),
        ]

    def __str__(self) -> str:
        return self.public_name


class AccountRecoveryCode(models.Model):
    """One single-use code that lets a person without an e-mail address set a new password.

    Only a SHA-256 hash is stored (each code has 80 random bits); the codes are shown once.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("person")
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("account recovery code")
        verbose_name_plural = _("account recovery codes")

    def __str__(self) -> str:
        return f"recovery code {self.pk}"


class PersonalTokenName(models.Model):
    """The name a person gave one of their personal API tokens (knox keeps no name)."""

    token = models.OneToOneField(
        "knox.AuthToken", on_delete=models.CASCADE, primary_key=True, related_name="personal"
    )
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("personal API token name")
        verbose_name_plural = _("personal API token names")

    def __str__(self) -> str:
        return self.name
