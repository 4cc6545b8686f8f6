"""How API callers say who they are: a browser session, or a personal API token."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from knox.settings import knox_settings
from rest_framework import authentication, exceptions
from rest_framework.request import Request


class BrowserSessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser session, with CSRF protection on unsafe methods.

    Only the refusal's wording differs from DRF's: it says what to do about it.
    """

    def enforce_csrf(self, request: Request) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _(
                    "The CSRF token of this browser session is missing or wrong. Reload the "
                    "page and try again, or use a personal API token instead of the session."
                ),
                code="csrf_failed",
            ) from None


class PersonalTokenAuthentication(TokenAuthentication):
    """Personal API tokens (``Authorization: Token rv_…``), stored only as digests.

    ``request.auth`` is the token row, which lets permission rules refuse powers that a
    token must never carry (facilitator powers).

    A header that cannot be a token (wrong shape, non-ASCII bytes, a NUL) is refused
    before any query, so garbage never reaches the database as a 500. Every refusal
    has the same message, so a caller cannot tell an unknown token from a revoked one
    or from a deactivated account.
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.authenticate_header(request).lower().encode():
            return None  # no header, or one meant for another scheme
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _(
                    'Send the token as the header "Authorization: Token <your token>", '
                    "with one space and nothing after the token."
                )
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise self._invalid() from None
        if not _token_pattern().fullmatch(token):
            raise self._invalid()
        try:
            return self.authenticate_credentials(token.encode("ascii"))
        except exceptions.AuthenticationFailed:
            raise self._invalid() from None

    def authenticate_header(self, request: Request) -> str:
        return str(knox_settings.AUTH_HEADER_PREFIX)

    @staticmethod
    def _invalid() -> exceptions.AuthenticationFailed:
        return exceptions.AuthenticationFailed(
            _(
                "This API token is not valid: it may be mistyped, revoked, or belong to an "
                "account that was closed. Check that you copied the whole token, or create "
                "a new one."
            )
        )


def _token_pattern() -> re.Pattern[str]:
    # Read at call time, not import time, so that settings overrides in tests apply.
    prefix = re.escape(knox_settings.TOKEN_PREFIX)
    return re.compile(rf"{prefix}[0-9a-f]{{{knox_settings.AUTH_TOKEN_CHARACTER_LENGTH}}}")
