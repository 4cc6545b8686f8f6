"""The site's URLs plus views that fail on purpose, to render each error page.

Mounted with ``@pytest.mark.urls("tests.pages.urls")``; the error handlers are the
site's own, named again here because Django reads them from the root URLconf.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_protect


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("test")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("test")


@csrf_protect
def form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sent")


urlpatterns = [
    path("test/400/", suspicious),
    path("test/403/", forbidden),
    path("test/500/", broken),
    path("test/form/", form),
    path("", include("config.urls")),
]

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
