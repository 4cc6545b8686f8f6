"""System checks: a broken phrase list stops `manage.py check` (and so start-up in CI and
deployment), instead of failing the first person who saves a draft."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from proposals import language


@register()
def phrase_list_is_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        language.compile_rules(language.load_rules(language.PHRASES_FILE))
    except language.PhraseListError as error:
        return [
            Error(
                str(error),
                hint="Fix that line of proposals/data/stigmatising_phrases.csv (see README).",
                id="proposals.E001",
            )
        ]
    return []
