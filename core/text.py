"""Checks on plain text people type."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import Invalid


def has_control_characters(value: str) -> bool:
    """NUL and other control characters (but tab and line breaks) have no place in what
    people write here, and PostgreSQL refuses NUL in text; a lone surrogate cannot be
    stored."""
    return any(
        (ord(char) < 32 and char not in "\t\n\r")
        or ord(char) == 127
        or 0xD800 <= ord(char) <= 0xDFFF
        for char in value
    )


# The most a person may write in one reason, note or message box: a long paragraph. The
# forms, the API's serializers and the services read this one figure, so the page, the API
# and the service refuse the same text.
NOTE_MAX_LENGTH = 2000
# A space's or an organisation's public description.
DESCRIPTION_MAX_LENGTH = 5000


def choose_one_of(choices: list[str]) -> str:
    """The refusal of a value that is none of ``choices``, which it lists."""
    return _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}


def too_long(value: str, limit: int) -> str | None:
    """The message for ``value`` longer than ``limit`` characters, or None if it fits."""
    if len(value) <= limit:
        return None
    return ngettext(
        "Keep this to %(limit)s character or fewer (it has %(count)s).",
        "Keep this to %(limit)s characters or fewer (it has %(count)s).",
        limit,
    ) % {
        "limit": number_format(limit, force_grouping=True),
        "count": number_format(len(value), force_grouping=True),
    }


def require_fits(**values: tuple[str, int]) -> None:
    """Refuse (``Invalid``, naming each field) any of ``values`` — field name to (text,
    limit) — longer than its limit. Services call it before they write anything."""
    fields = {
        name: [message]
        for name, (value, limit) in values.items()
        if (message := too_long(value, limit)) is not None
    }
    if fields:
        raise Invalid(fields)
