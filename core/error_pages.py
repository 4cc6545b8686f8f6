"""The site's own error pages while DEBUG is on, for the demo (SITE_ERROR_PAGES=true).

With DEBUG on, Django answers a missing page with its debug page, which lists every URL
pattern, and a server error with a traceback and the settings. The demo runs with DEBUG
on (it serves its static files and its one published password only that way), but a
visitor should meet the site as it is: with SITE_ERROR_PAGES the handlers configured in
``config.urls`` (``handler404``, ``handler500``) answer instead. The traceback of a
server error still goes to the log, as Django logs it before it builds the page. With
DEBUG off, Django uses those handlers anyway, and this changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver
from django.views import debug


def _site_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    view: Any = get_resolver().resolve_error_handler(404)
    response: HttpResponse = view(request, exception=exception)
    return response


def _site_server_error(
    request: HttpRequest, exc_type: Any, exc_value: Any, tb: Any, status_code: int = 500
) -> HttpResponse:
    # Django uses this page for a bad request (400) too, with DEBUG on.
    if status_code == 400:
        view: Any = get_resolver().resolve_error_handler(400)
        response: HttpResponse = view(request, exception=exc_value)
    else:
        response = get_resolver().resolve_error_handler(500)(request)
    response.status_code = status_code
    return response


def use_site_error_pages() -> None:
    """Replace Django's debug 404, 400 and 500 pages with the site's (at start-up)."""
    # django.core.handlers.exception calls these through the module, at each error.
    debug.technical_404_response = _site_not_found
    debug.technical_500_response = _site_server_error
