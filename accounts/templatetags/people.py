"""How templates name a person: ``{% load people %}`` then ``{{ user|display_name }}``.

Always through ``accounts.selectors.display_name``, so a deleted account reads "former
member" in the page's language on every page, never a stored name.
"""

from __future__ import annotations

from django import template

from accounts import selectors
from accounts.models import User

register = template.Library()


@register.filter(name="display_name")
def display_name(user: User | None) -> str:
    return selectors.display_name(user)
