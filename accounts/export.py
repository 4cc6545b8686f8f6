"""What a person can download about themselves (``/account/data.json``).

Each app registers a section: a function that takes the person and returns JSON-ready
data about them only (never about anyone else). ``export_for`` gathers every section::

    from accounts.export import register

    @register("memberships")
    def memberships(user): ...

Register in the app's ``AppConfig.ready()`` (or a module it imports).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from notifications.services import BODY_NOT_KEPT

if TYPE_CHECKING:
    from accounts.models import User

Section = Callable[["User"], Any]

_sections: dict[str, Section] = {}


def register(name: str) -> Callable[[Section], Section]:
    """Add a section named ``name`` to every person's data download."""

    def decorator(section: Section) -> Section:
        if name in _sections and _sections[name] is not section:
            raise ValueError(f"A data-download section named {name!r} is already registered.")
        _sections[name] = section
        return section

    return decorator


def section_names() -> list[str]:
    return sorted(_sections)


def export_for(user: User) -> dict[str, Any]:
    """Everything the registered sections hold about ``user``, keyed by section name."""
    return {
        "exported_at": timezone.now().isoformat(),
        **{name: _sections[name](user) for name in sorted(_sections)},
    }


def moment(value: Any) -> str | None:
    """A date or time as a section writes it (ISO 8601), or None."""
    return value.isoformat() if value is not None else None


@register("account")
def account_section(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from accounts.selectors import personal_tokens

    return {
        "public_id": str(user.public_id),
        "sign_in_name": user.username,
        "public_name": user.public_name,
        "language": user.language,
        "email": user.email,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "date_joined": moment(user.date_joined),
        "last_login": moment(user.last_login),
        "is_staff": user.is_staff,
        "two_factor": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "recovery_codes_unused": user.recovery_codes.filter(used_at__isnull=True).count(),
        "personal_api_tokens": [
            {
                "name": getattr(getattr(token, "personal", None), "name", ""),
                "starts_with": token.token_key,
                "created": moment(token.created),
            }
            for token in personal_tokens(user=user)
        ],
    }


@register("notifications")
def notifications_section(user: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": row.kind,
            "subject": row.subject,
            # A pending account e-mail's link would confirm an address or reset a password
            # for whoever reads this file; the outbox keeps such a body only to send it.
            "body": BODY_NOT_KEPT if row.holds_secret else row.body,
            "created": moment(row.created_at),
            "sent": moment(row.sent_at),
        }
        for row in user.notifications.order_by("pk")
    ]
