"""The electorate in words: who is counted, said the same way on the space page, the vote
pages and in the API (``spaces.selectors.ELECTORATE_ROLES`` is who is counted)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def electorate_who() -> str:
    """Who the space's electorate is, now."""
    return _(
        "The electorate is every voter and every advisory board member of the space, each "
        "person counted once; board members on leave are in it."
    )


def snapshot_who() -> str:
    """Who a vote's electorate is: the space's, as it stood when the vote opened."""
    return _(
        "A vote's electorate is every voter and every advisory board member of the space "
        "when the vote opened, each person counted once; board members on leave are in it."
    )


def scheduled_who() -> str:
    """Who a scheduled vote's electorate will be: the space's, as it stands when it opens."""
    return _(
        "A vote's electorate is every voter and every advisory board member of the space "
        "when the vote opens, each person counted once; board members on leave are in it. "
        "Someone who joins before then votes in it."
    )


def vote_who(*, opened: bool) -> str:
    """Who a vote's electorate is: taken at its opening, or to be taken then."""
    return snapshot_who() if opened else scheduled_who()
