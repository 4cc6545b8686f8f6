"""``{{ amount|money:currency }}``: an amount as the reader's language writes it."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)
