"""``{% load proposal_markdown %}`` then ``{{ proposal.body|markdown }}``."""

from django import template
from django.utils.safestring import SafeString

from proposals.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: object) -> SafeString:
    """Render Markdown as sanitised HTML; raw HTML in ``value`` is never trusted."""
    return render_markdown("" if value is None else str(value))
