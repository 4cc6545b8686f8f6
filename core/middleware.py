from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PermissionsPolicyMiddleware:
    """Switch off browser features the site never uses (camera, location, …)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateWhenSignedInMiddleware:
    """Mark every answer to a signed-in person ``Cache-Control: private, no-store``
    unless the view said otherwise: such pages carry what only they may see (their
    name, whether they have voted, sealed reviews), which no shared cache may keep, and
    after a quick exit the browser's back button must not bring them back from its
    cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
