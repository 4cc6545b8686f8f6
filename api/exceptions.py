"""One JSON error format for every API error.

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"title": ["…"]}}}

``message`` is always a translated sentence a person can act on; ``fields`` is present
for validation errors and maps each field to its messages. ``exception_handler`` shapes
what DRF views raise; ``api.middleware.ApiErrorMiddleware`` shapes every other 4xx under
/api/ (an unknown address, a CSRF refusal, a disallowed host).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import DomainError, Invalid
from core.rules import permission_denied_message

# Headers DRF sets on an error response that a client needs to act on it.
KEPT_HEADERS = ("retry-after", "www-authenticate", "allow")

# The code for a status when no exception says more (middleware, generic 4xx).
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}


def error_body(status_code: int, code: str, message: str, fields: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status_code, "code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def error_response(status_code: int, code: str, message: str, fields: Any = None) -> Response:
    return Response(error_body(status_code, code, message, fields), status=status_code)


# --- Messages -------------------------------------------------------------------------------
# Functions, not constants: each is translated into the language of the request at hand.


def not_authenticated_message() -> str:
    return _(
        'Sign in first, or send a personal API token in the header "Authorization: Token '
        '<your token>".'
    )


def not_found_message() -> str:
    try:
        root = reverse("api:root")
    except NoReverseMatch:  # a URLconf without the API (some tests)
        root = "/api/v1/"
    return _(
        "Nothing was found at this address. Check it for typing mistakes; the API's "
        "resources are listed at %(root)s."
    ) % {"root": root}


def method_not_allowed_message(method: str, allowed: list[str]) -> str:
    if not allowed:
        return _("This address does not accept %(method)s requests.") % {"method": method}
    return _("This address does not accept %(method)s requests. It accepts: %(allowed)s.") % {
        "method": method,
        "allowed": ", ".join(allowed),
    }


def throttled_message(wait: int | None) -> str:
    if not wait:
        return _("Too many requests. Wait a moment, then try again.")
    return ngettext(
        "Too many requests. Wait %(seconds)d second, then try again.",
        "Too many requests. Wait %(seconds)d seconds, then try again.",
        wait,
    ) % {"seconds": wait}


def message_for_status(
    status_code: int, *, method: str = "", allowed: list[str] | None = None
) -> str:
    """A message for an error known only by its HTTP status (no exception to read)."""
    if status_code == 400:
        return _(
            "The request could not be understood. Check its address, headers and body, "
            "then send it again."
        )
    if status_code == 401:
        return not_authenticated_message()
    if status_code == 403:
        return permission_denied_message()
    if status_code == 404:
        return not_found_message()
    if status_code == 405:
        return method_not_allowed_message(method, allowed or [])
    if status_code == 413:
        return _("The request is too large. Send less data at once.")
    if status_code == 429:
        return throttled_message(None)
    if status_code >= 500:
        return _(
            "Something went wrong on our side. Try again in a few minutes; if it keeps "
            "happening, tell the people who run this site."
        )
    return _("The request could not be completed (HTTP status %(status)d).") % {
        "status": status_code
    }


def _is_default(exc: exceptions.APIException) -> bool:
    """True when the exception carries DRF's stock wording rather than a view's own."""
    return str(exc.detail) == str(exc.default_detail)


def _message(exc: exceptions.APIException, context: dict[str, Any]) -> str:
    """Our wording for DRF's generic errors; a message a view chose is kept."""
    view = context.get("view")
    if isinstance(exc, exceptions.NotAuthenticated) and _is_default(exc):
        return not_authenticated_message()
    if isinstance(exc, exceptions.PermissionDenied) and _is_default(exc):
        return permission_denied_message()
    if isinstance(exc, exceptions.NotFound) and _is_default(exc):
        return not_found_message()
    if isinstance(exc, exceptions.MethodNotAllowed):
        request = context.get("request")
        method = request.method if request is not None else ""
        allowed = list(getattr(view, "allowed_methods", []))
        return method_not_allowed_message(method or "", allowed)
    if isinstance(exc, exceptions.Throttled):
        return throttled_message(getattr(exc, "wait", None))
    if isinstance(exc, exceptions.NotAcceptable):
        return _('This API answers only in JSON. Ask for "application/json" in the Accept header.')
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _('Send the request body as JSON, with the header "Content-Type: application/json".')
    if isinstance(exc, exceptions.ParseError):
        # DRF's JSON parser says "JSON parse error - <reason>" in English; keep the reason.
        reason = str(exc.detail).removeprefix("JSON parse error - ")
        return _(
            "The request body could not be read as JSON (%(reason)s). Check its syntax and "
            "send it again."
        ) % {"reason": reason}
    if isinstance(exc.detail, dict | list):
        return first_message(flatten(exc.detail)) or message_for_status(exc.status_code)
    return str(exc.detail)


def flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(key): flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [flatten(item) for item in detail]
    return str(detail)


def first_message(fields: Any) -> str:
    if isinstance(fields, dict):
        for key, value in fields.items():
            message = first_message(value)
            if message:
                if key == api_settings.NON_FIELD_ERRORS_KEY:
                    return message
                return f"{key}: {message}"
    if isinstance(fields, list):
        for item in fields:
            message = first_message(item)
            if message:
                return message
    if isinstance(fields, str):
        return fields
    return ""


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return STATUS_CODES.get(exc.status_code, "error")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, answering in the shared error format.

    A ``DomainError`` from a service becomes its own status and code; an ``Invalid`` one,
    which names its fields, a validation error with ``fields``. Anything that is
    neither a ``DomainError`` nor an error DRF knows returns None, so Django's 500
    handling (and ``ApiErrorMiddleware``) takes over.
    """
    if isinstance(exc, Invalid):
        # A service's field-by-field refusal answers as the serializer's own would.
        exc = exceptions.ValidationError(exc.fields)
    elif isinstance(exc, DomainError):
        set_rollback()
        return error_response(exc.status_code, exc.code, exc.message)
    if isinstance(exc, Http404):
        # Http404's own text can name a model ("No User matches the given query.").
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response

    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {api_settings.NON_FIELD_ERRORS_KEY: fields}
        message = first_message(fields) or _("Some of the data sent is not valid.")
        new = error_response(status.HTTP_400_BAD_REQUEST, "invalid", message, fields)
    else:
        new = error_response(response.status_code, _code(exc), _message(exc, context))
    for header, value in response.headers.items():
        if header.lower() in KEPT_HEADERS:
            new[header] = value
    return new
