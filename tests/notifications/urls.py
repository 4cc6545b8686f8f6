"""A test-only page that changes nothing but notifies the signed-in person, like a real
view would: inside ``transaction.atomic``, through ``notify()``."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.models import User
from notifications.services import notify


@require_POST
def notify_me(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    with transaction.atomic():
        notify(recipient=request.user, kind="test-update", body="Something changed.")
    return HttpResponse("done")


urlpatterns = [path("notify-me/", notify_me, name="notify-me")]
