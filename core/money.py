"""Amounts of money as a reader of each language writes them.

A decision space states its currency (an ISO 4217 code, ``CURRENCIES``); a cost is
shown with it: "£9,800.00" in English, "9800,00 £" in Spanish (the number in the
language's own format, the symbol after it, as Spanish writes it).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# The currencies a space may state: code → (symbol, name). A symbol that several
# currencies share ("$") carries its country, so an amount is never ambiguous.
CURRENCIES: dict[str, tuple[str, object]] = {
    "GBP": ("£", _("pound sterling")),
    "EUR": ("€", _("euro")),
    "USD": ("US$", _("United States dollar")),
    "CAD": ("CA$", _("Canadian dollar")),
    "AUD": ("A$", _("Australian dollar")),
    "NZD": ("NZ$", _("New Zealand dollar")),
    "MXN": ("MX$", _("Mexican peso")),
}
DEFAULT_CURRENCY = "GBP"

# Languages that write the symbol after the amount, with a space between.
SYMBOL_AFTER = {"es"}


def currency_choices() -> list[tuple[str, object]]:
    """(code, "pound sterling (GBP)"), the name in the reader's language."""
    return [
        (code, format_lazy("{} ({})", name, code)) for code, (_symbol, name) in CURRENCIES.items()
    ]


def format_money(amount: Decimal | int | str, currency: str) -> str:
    """``amount`` in ``currency`` as the active language writes it, two decimals, its
    thousands grouped (in Spanish only from five digits on, as the RAE advises:
    "9800,00", "12 500,00")."""
    value = Decimal(amount)
    language = (translation.get_language() or "en").split("-")[0]
    after = language in SYMBOL_AFTER
    grouped = not after or abs(value) >= 10_000
    number = formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=grouped)
    symbol = CURRENCIES.get(currency, (currency, ""))[0]
    if after:
        return f"{number}\N{NO-BREAK SPACE}{symbol}"
    return f"{symbol}{number}"
