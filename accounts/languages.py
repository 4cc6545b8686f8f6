"""Each person's language: the one every e-mail to them is written in."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def supported_language(code: str | None) -> str:
    """One of ``settings.LANGUAGES`` for a language code ("es-MX" is Spanish); the site's
    default language for an unknown or missing one."""
    if code:
        try:
            variant = translation.get_supported_language_variant(code)
        except LookupError:
            pass
        else:
            known = {language for language, _name in settings.LANGUAGES}
            base = variant.split("-")[0]
            if variant in known:
                return variant
            if base in known:
                return base
    return str(settings.LANGUAGE_CODE)


def current_language() -> str:
    """The language the site is shown in right now (the request's), as a person's
    language: what sign-up and joining with a code record."""
    return supported_language(translation.get_language())
