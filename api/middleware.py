"""Every error under /api/ answers in the API's JSON error format, whoever produced it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

from api.exceptions import STATUS_CODES, error_body, first_message, flatten, message_for_status

API_PREFIX = "/api/"


class ApiErrorMiddleware:
    """Rewrite an error response under /api/ that is not yet in the error format.

    DRF views already answer in the format (``api.exceptions.exception_handler``). This
    catches the rest: a 404 for an address no view matches, Django's CSRF or
    disallowed-host refusals, an HTML error page from the Swagger UI view, and a 500
    (except in DEBUG, where the technical page helps more than a JSON sentence).

    It sits inside ``LocaleMiddleware``, so messages come in the request's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            not request.path_info.startswith(API_PREFIX)
            or response.status_code < 400
            or (response.status_code >= 500 and settings.DEBUG)
            or response.streaming
            or _in_error_format(response)
        ):
            return response
        return _as_error(request, response)


def _in_error_format(response: HttpResponseBase) -> bool:
    body = _json_body(response)
    return isinstance(body, dict) and isinstance(body.get("error"), dict)


def _json_body(response: HttpResponseBase) -> Any:
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    assert isinstance(response, HttpResponse)
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _as_error(request: HttpRequest, response: HttpResponseBase) -> HttpResponse:
    status = response.status_code
    allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
    message = message_for_status(status, method=request.method or "", allowed=allowed)
    fields = None
    # A view that returned a JSON error of its own: keep what it said.
    body = _json_body(response)
    if status == 400 and isinstance(body, dict) and "detail" not in body:
        fields = flatten(body)
        message = first_message(fields) or message
    elif isinstance(body, dict) and isinstance(body.get("detail"), str):
        message = body["detail"]
    new = JsonResponse(
        error_body(status, STATUS_CODES.get(status, "error"), message, fields),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    # Everything else the response carried still applies: its headers (Vary, Allow,
    # Retry-After…) and its cookies (a CSRF cookie, a language cookie).
    for header, value in response.items():
        if header.lower() not in {"content-type", "content-length"}:
            new[header] = value
    new.cookies = response.cookies
    return new
