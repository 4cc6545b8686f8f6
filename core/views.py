"""Pages every app shares."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def needs_powers(request: HttpRequest, message: str) -> HttpResponse:
    """A refusal that says what would make it work (403)."""
    return render(request, "core/needs_powers.html", {"message": message}, status=403)
