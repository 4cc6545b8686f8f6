"""Creating something at a short address of its own (an organisation, a space): the
address checked and claimed once, with the same refusals everywhere."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError

M = TypeVar("M", bound=models.Model)


def _taken(slug: str) -> Conflict:
    return Conflict(_("The short address %(slug)s is taken. Choose another one.") % {"slug": slug})


def create_at_slug(model: type[M], *, slug: str, reserved: Collection[str], **fields: Any) -> M:
    """Create a ``model`` row at ``slug`` with ``fields``. Refuses a slug that names one
    of the pages (``reserved``) and one already taken, also when another request takes
    it between the check and the insert (the unique constraint: a Conflict, not a 500)."""
    if slug in reserved:
        raise DomainError(
            _("The short address %(slug)s is reserved. Choose another one.") % {"slug": slug}
        )
    if model._default_manager.filter(slug=slug).exists():
        raise _taken(slug)
    try:
        with transaction.atomic():
            return model._default_manager.create(slug=slug, **fields)
    except IntegrityError:
        raise _taken(slug) from None
