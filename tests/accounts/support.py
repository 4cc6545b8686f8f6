"""Signing a test client in the way allauth would, with or without a second factor."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.test import Client

if TYPE_CHECKING:
    from accounts.models import User


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
    marks the password as re-entered (allauth's sensitive pages ask for that)."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    moment = time.time() if at is None else at
    records: list[dict[str, object]] = [
        {"method": "password", "at": moment, "username": user.username}
    ]
    if reauthenticated:
        records[0]["reauthenticated"] = True
    if mfa:
        records.append({"method": "mfa", "at": moment, "id": 0, "type": "totp"})
    session = client.session
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
