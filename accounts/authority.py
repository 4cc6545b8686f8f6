"""Who is acting, and with what proof: the input to every permission rule.

Powers depend not only on a person's roles but on how the request was authenticated:
facilitator and staff powers need a browser session that passed a second factor, and a
personal API token never carries them. Services take an ``Actor``; views and the API
build it with ``Actor.from_request``; tests build it directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None
    # This browser session passed a second factor (TOTP or a recovery code).
    mfa: bool = False
    # The request came with a personal API token rather than a browser session.
    via_token: bool = False
    # The person re-entered their password or code within ACCOUNT_REAUTHENTICATION_TIMEOUT.
    recently_authenticated: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user is None

    @property
    def can_use_powers(self) -> bool:
        """Facilitator and staff powers: a session with a second factor, never a token."""
        return self.user is not None and self.mfa and not self.via_token

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(user=None)

    @classmethod
    def from_request(cls, request: Any) -> Actor:
        """Read the proof of identity from a Django or DRF request."""
        from allauth.account.authentication import get_authentication_records

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return cls.anonymous()
        if getattr(request, "auth", None) is not None:  # DRF: a personal token
            return cls(user=user, via_token=True)
        records = get_authentication_records(request, user)
        window = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
        now = time.time()
        mfa_records = [record for record in records if record.get("method") == "mfa"]
        return cls(
            user=user,
            mfa=bool(mfa_records) and _second_factor_still_held(user, mfa_records),
            recently_authenticated=any(now - record.get("at", 0) <= window for record in records),
        )


def _second_factor_still_held(user: User, mfa_records: list[dict[str, Any]]) -> bool:
    """The proof counts only while the person still has an authenticator app (TOTP) and,
    when the session names the authenticator it used, that one: a staff reset or turning
    two-factor off ends every power at once, even in sessions that passed it. One query."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
    used = [record["id"] for record in mfa_records if record.get("id") is not None]
    if used:
        same_person = Authenticator.objects.filter(user=OuterRef("user"), pk__in=used)
        totp = totp.filter(Exists(same_person))
    return totp.exists()
