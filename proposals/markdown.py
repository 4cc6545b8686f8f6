"""Proposal bodies: Markdown in, HTML that is safe to show on a public page out.

Two layers, each enough on its own for the usual attacks:

1. markdown-it-py parses CommonMark with raw HTML off, so anything that looks like a
   tag is shown as text, and only links to http, https, mailto or a relative address
   become links (anything else stays as its Markdown source).
2. nh3 then keeps only an allow-list of tags and attributes and URL schemes, and
   adds ``rel="nofollow noopener noreferrer"`` to every link.

The page loads nothing from other sites and carries no inline style or script, so
an image becomes its alt text, and the alignment styles tables would get are dropped.
Headings shift down one level (``#`` becomes ``<h2>``): the page's ``<h1>`` is the
proposal's title.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "code",
        "em",
        "strong",
        "del",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
        "br",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow noopener noreferrer"

# Characters a browser removes from a URL before reading its scheme.
_URL_IGNORED = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def url_is_allowed(url: str) -> bool:
    """Whether ``url`` is relative or uses one of ``ALLOWED_URL_SCHEMES``.

    Reads the scheme the way a browser does: leading and trailing spaces and control
    characters trimmed, tabs and newlines inside removed, case ignored.
    """
    cleaned = url.strip(_C0_AND_SPACE)
    scheme = urlsplit(cleaned.translate(_URL_IGNORED)).scheme.lower()
    return scheme == "" or scheme in ALLOWED_URL_SCHEMES


def _render_image_as_alt_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    """An image is shown as its alt text: no request leaves for another site."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


@functools.cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = url_is_allowed  # type: ignore[method-assign]
    md.add_render_rule("image", _render_image_as_alt_text)
    return md


_HEADING_TAGS = {f"h{level}": f"h{min(level + 1, 6)}" for level in range(1, 7)}


def _adjust(tokens: Sequence[Token]) -> None:
    """Shift headings down one level; strikethrough becomes ``<del>``, as in GFM."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_TAGS[token.tag]
        elif token.type in ("s_open", "s_close"):
            token.tag = "del"
        if token.children:
            _adjust(token.children)


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes of ``html``."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Render a proposal body written in Markdown as safe HTML."""
    md = _parser()
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    _adjust(tokens)
    html = md.renderer.render(tokens, md.options, env)
    return mark_safe(sanitise_html(html))  # noqa: S308 - sanitised by nh3 just above
