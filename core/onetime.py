"""One-time codes and link tokens: shown once to the person who makes them, stored only
as a hash, so a copy of the database cannot be used to join anything."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L or U: a code is read aloud and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits


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
