"""One-time codes and link tokens: shown once to the person who makes them, stored only
as a hash, so a copy of the database cannot be used to join anything."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Protocol

from django.utils import timezone

from core.errors import DomainError

# No 0/O, 1/I/L or U: a code is read aloud and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits
# The rate limit (allauth's, config/settings.py) that every try of a typed code counts
# against: a space's invitation or an organisation's, on the pages and in the API.
CODE_ACTION = "redeem_code"


def new_code() -> str:
    """A code in its stored form (see ``format_code`` for how it is shown)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def new_link_token() -> str:
    """A 256-bit token for a link sent by e-mail."""
    return secrets.token_urlsafe(32)


def normalise_code(code: str) -> str:
    """A code as typed (any case, spaces or dashes) in its stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read aloud and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def secret_hash(secret: str, *, purpose: str) -> str:
    """SHA-256 of the secret, separated by purpose so one kind of code never matches
    another's row."""
    return hashlib.sha256(f"realvoice-{purpose}\x00".encode() + secret.encode()).hexdigest()


class Spendable(Protocol):
    """An invitation that a code or link makes usable once, until it expires."""

    @property
    def used_at(self) -> datetime.datetime | None: ...
    @property
    def expires_at(self) -> datetime.datetime: ...


def refuse_if_spent(invitation: Spendable, *, used: str, expired: str) -> None:
    """Refuse an invitation already used (code ``invitation_used``) or expired
    (``invitation_expired``), in the words of the app whose invitation it is."""
    if invitation.used_at is not None:
        raise DomainError(used, code="invitation_used")
    if invitation.expires_at <= timezone.now():
        raise DomainError(expired, code="invitation_expired")
