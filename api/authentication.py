from __future__ import annotations

from knox.auth import TokenAuthentication


class PersonalTokenAuthentication(TokenAuthentication):
    """Personal API tokens (``Authorization: Token rv_…``), stored only as digests.

    ``request.auth`` is the token row, which lets permission rules refuse powers that a
    token must never carry (facilitator actions need a browser session that passed MFA).
    """
