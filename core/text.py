"""Checks on plain text people type."""

from __future__ import annotations


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
