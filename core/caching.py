"""Answers that only one person may see are kept by no shared cache."""

from __future__ import annotations

from typing import Any, TypeVar

from django.http import HttpResponseBase
from django.utils.cache import patch_cache_control

Answer = TypeVar("Answer", bound=HttpResponseBase)


def private(response: Answer) -> Answer:
    """Mark ``response`` as one person's (their review, their receipt, what they may do):
    no shared cache keeps it, and no cache stores it at all."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def private_if_signed_in(response: Answer, actor: Any) -> Answer:
    """A page that shows a signed-in person what they may do is theirs; the same page
    for someone signed out is everyone's."""
    return private(response) if actor.user is not None else response
