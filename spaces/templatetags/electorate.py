"""The electorate in words on pages, from ``spaces.electorate`` (the one place they are
defined, shared with the API): ``{% load electorate %}{% electorate_who %}`` for the
space's electorate now, ``{% vote_who vote %}`` for a vote's (taken when it opened, or
to be taken when it opens)."""

from __future__ import annotations

from typing import Any

from django import template

from spaces import electorate

register = template.Library()


@register.simple_tag
def electorate_who() -> str:
    return electorate.electorate_who()


@register.simple_tag
def vote_who(vote: Any) -> str:
    return electorate.vote_who(opened=vote.opened_at is not None)
