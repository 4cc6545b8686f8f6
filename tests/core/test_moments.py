"""A moment in a sentence reads as pages write it, in the active language, with its time
zone: British English and Spanish, never a fixed ISO-like form."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import translation

from core.moments import format_moment

MOMENT = datetime(2026, 11, 21, 4, 19, tzinfo=UTC)


def test_a_moment_reads_the_british_way_in_english() -> None:
    with translation.override("en"):
        assert format_moment(MOMENT) == "21 November 2026, 04:19 (UTC)"


def test_a_moment_reads_the_spanish_way_in_spanish() -> None:
    with translation.override("es"):
        assert format_moment(MOMENT) == "21 de noviembre de 2026 a las 04:19 (UTC)"
