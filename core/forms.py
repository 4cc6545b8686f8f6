"""The one way a page shows a service's refusal on its form, and the fields that forms
share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, Invalid

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def text_area(
    label: StrOrPromise,
    *,
    rows: int = 4,
    max_length: int | None = None,
    required: bool = False,
    help_text: StrOrPromise = "",
    strip: bool = True,
) -> forms.CharField:
    """Free text typed in a text area of ``rows`` lines, optional unless ``required``."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=strip,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class RefusalForm(forms.Form):
    """A form that shows what a service refused: an ``Invalid`` refusal's messages on the
    fields they name (those the form does not have above it), any other refusal's message
    above the form. The form checks shapes; the service decides, so its words are shown."""

    def add_refusal(self, error: DomainError) -> None:
        if not isinstance(error, Invalid):
            self.add_error(None, error.message)
            return
        for name, texts in error.fields.items():
            for text in texts:
                self.add_error(self.refusal_field(name), text)

    def refusal_field(self, name: str) -> str | None:
        """The field that shows a refusal of ``name``; None for above the form."""
        return name if name in self.fields else None


class NewAtSlugForm(RefusalForm):
    """The first fields of a form that makes something with a short address of its own
    (an organisation, a space; ``core.slugs``): its name, and the address, which the
    service makes from the name when it is left empty."""

    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Short address"),
        max_length=60,
        required=False,
        help_text=_("Made from the name if empty."),
    )
