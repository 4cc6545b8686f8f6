"""Page-numbered lists: ``{"count", "next", "previous", "results"}``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2`` and, up to 200 items, ``?page_size=100``.

    A page past the end is a 404 in the shared error format, saying how to recover.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _(  # type: ignore[assignment]
        "There is no page {page_number} in this list ({message}). Start from the first "
        "page and follow the next links."
    )
