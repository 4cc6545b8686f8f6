"""Signing a test client in the way allauth would, with or without a second factor."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.test import Client

if TYPE_CHECKING:
    from allauth.mfa.models import Authenticator

    from accounts.models import User


def give_totp(user: User) -> Authenticator:
    """The person's authenticator app (TOTP), made if they have none."""
    from allauth.mfa.models import Authenticator

    totp, _created = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
    )
    return totp


def sign_in(
    client: Client,
    user: User,
    *,
    mfa: bool = False,
    at: float | None = None,
    reauthenticated: bool = False,
) -> Client:
    """Log ``user`` in and record how, as allauth does: a password, and a second factor
    when ``mfa`` (what the admin and every staff or facilitator power needs). ``at`` is
    when (default: now), for tests of re-authentication windows; ``reauthenticated``
    marks the password as re-entered (allauth's sensitive pages ask for that). With
    ``mfa`` the person gets an authenticator app (TOTP) unless they have one: a session's
    second factor counts only while it exists (accounts/authority.py)."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    moment = time.time() if at is None else at
    records: list[dict[str, object]] = [
        {"method": "password", "at": moment, "username": user.username}
    ]
    if reauthenticated:
        records[0]["reauthenticated"] = True
    if mfa:
        totp = give_totp(user)
        records.append({"method": "mfa", "at": moment, "id": totp.pk, "type": "totp"})
    session = client.session
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
