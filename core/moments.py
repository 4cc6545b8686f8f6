"""Moments as a reader of each language writes them, in messages and e-mails.

Pages format dates with the ``date`` filter in the active language
(``config/formats``); a sentence built in Python (a success or refusal message, the body
of an e-mail) uses ``format_moment`` so it reads the same: "21 November 2026, 04:19
(UTC)" in English, "21 de noviembre de 2026 a las 04:19 (UTC)" in Spanish. Called inside
a notification's ``body`` it is in the recipient's language.
"""

from __future__ import annotations

import datetime

from django.utils import formats, timezone


def format_moment(moment: datetime.datetime) -> str:
    """``moment`` in the site's time zone, in the active language's date and time
    format, followed by the time zone's name in brackets."""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"
