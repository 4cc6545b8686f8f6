"""The site's own pages: home, each person's own page, and the error pages in the site's
layout."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from accounts.authority import Actor
from pages.selectors import home_page, my_page

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The spaces, the open votes and the latest decisions, for everyone."""
    return render(request, "pages/home.html", {"home": home_page()})


@never_cache
@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """A person's own page, where signing in lands: what needs them, by role."""
    return render(request, "pages/me.html", {"mine": my_page(Actor.from_request(request))})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 while the database answers. Redis is not checked: pages
    and voting keep working without it, so its outage must not take servers out."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check failed: the database does not answer.")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


# Error pages. ``requires_csrf_token`` lets the layout's language switcher render a CSRF
# token even though CsrfViewMiddleware did not run for the request that failed.


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token, almost always because the page was old."""
    return render(request, "errors/403_csrf.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
