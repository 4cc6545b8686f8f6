"""Proposal bodies render from Markdown to HTML that is inert on a public page.

Every hostile input is checked by parsing the output with the standard library's
``html.parser``, the way a browser would see the elements and attributes, rather than
by looking for substrings.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from proposals.markdown import render_markdown, sanitise_html

FORBIDDEN_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "style",
    "img",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "object",
    "embed",
    "link",
    "meta",
    "base",
    "video",
    "audio",
    "source",
}
SAFE_SCHEMES = {"http", "https", "mailto"}


class _Element:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = tag
        self.attrs = {name: value or "" for name, value in attrs}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(_Element(tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(_Element(tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def scheme_as_a_browser_reads_it(url: str) -> str:
    """The URL standard trims C0 controls and spaces and drops tabs and newlines."""
    trimmed = url.strip("".join(map(chr, range(0x21))))
    for ignored in "\t\n\r":
        trimmed = trimmed.replace(ignored, "")
    return urlsplit(trimmed).scheme.lower()


def assert_inert(html: str) -> None:
    for element in parse(html).elements:
        assert element.tag not in FORBIDDEN_ELEMENTS, html
        for name, value in element.attrs.items():
            assert not name.startswith("on"), html
            assert name not in {"style", "class", "src", "srcset", "action", "formaction"}, html
            if name == "href":
                scheme = scheme_as_a_browser_reads_it(value)
                assert scheme in SAFE_SCHEMES or scheme == "", html


HOSTILE_INPUTS = {
    "script element": "<script>alert(1)</script>",
    "image with onerror": "<img src=x onerror=alert(1)>",
    "link with onclick": '<a href="#" onclick="x">click</a>',
    "javascript link": "[x](javascript:alert(1))",
    "upper-case javascript link": "[x](JAVASCRIPT:alert(1))",
    "javascript link after spaces": "[x](  javascript:alert(1))",
    "javascript link split by an encoded tab": "[x](java&#x09;script:alert(1))",
    "javascript link split by an encoded newline": "[x](java&#x0A;script:alert(1))",
    "javascript link with an entity colon": "[x](javascript&colon;alert(1))",
    "data link": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "vbscript link": "[x](vbscript:msgbox)",
    "file link": "[x](file:///etc/passwd)",
    "tracking pixel": "![alt](https://tracker.example/pixel.png)",
    "image with a javascript source": "![alt](javascript:alert(1))",
    "image inside a link": "[![alt](https://tracker.example/p.png)](https://example.org)",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style element": "<style>body { display: none }</style>",
    "svg with onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "form": '<form action="https://evil.example"><input name=p><button>Go</button></form>',
    "object and embed": '<object data="x.swf"></object><embed src="x.swf">',
    "javascript autolink": "<javascript:alert(1)>",
    "javascript reference definition": "[x]\n\n[x]: javascript:alert(1)",
    "javascript reference definition with a title": '[x]\n\n[x]: javascript:alert(1) "t"',
    "style attribute in raw html": '<p style="position:fixed;inset:0">cover</p>',
    "raw html block": '<div onmouseover="alert(1)">\n\n*x*\n\n</div>',
    "html comment": "<!-- <script>alert(1)</script> -->",
    "javascript link title breaking out": '[x](https://example.org "a\\" onclick=\\"alert(1)")',
    "base element": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
}


@pytest.mark.parametrize("text", HOSTILE_INPUTS.values(), ids=HOSTILE_INPUTS.keys())
def test_hostile_markdown_renders_inert(text: str) -> None:
    """No script, frame, style, image, form or plug-in; no handlers; only safe links."""
    assert_inert(render_markdown(text))


@pytest.mark.parametrize("text", HOSTILE_INPUTS.values(), ids=HOSTILE_INPUTS.keys())
def test_sanitiser_alone_makes_hostile_html_inert(text: str) -> None:
    """The second layer holds even if HTML reached it unescaped."""
    assert_inert(sanitise_html(text))


RAW_HTML_INPUTS = {
    "script element": ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    "image with onerror": ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    "iframe": ("<iframe></iframe>", "<iframe></iframe>"),
    "style attribute": ('<p style="color:red">hi</p>', '<p style="color:red">hi</p>'),
}


@pytest.mark.parametrize(("text", "shown"), RAW_HTML_INPUTS.values(), ids=RAW_HTML_INPUTS.keys())
def test_raw_html_is_shown_as_text(text: str, shown: str) -> None:
    """Raw HTML in a body is something the author wrote, so readers see it as written."""
    collector = parse(render_markdown(text))
    assert [element.tag for element in collector.elements] == ["p"]
    assert "".join(collector.text).strip() == shown


UNSAFE_LINKS = {
    "javascript": "[x](javascript:alert(1))",
    "upper-case javascript": "[x](JAVASCRIPT:alert(1))",
    "javascript after spaces": "[x](  javascript:alert(1))",
    "data": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "vbscript": "[x](vbscript:msgbox)",
    "javascript autolink": "<javascript:alert(1)>",
    "javascript reference": "[x]\n\n[x]: javascript:alert(1)",
    "ftp, outside the allow-list": "[x](ftp://example.org/f)",
    "tel autolink, outside the allow-list": "<tel:+15550100>",
}


@pytest.mark.parametrize("text", UNSAFE_LINKS.values(), ids=UNSAFE_LINKS.keys())
def test_link_to_an_unsafe_scheme_is_not_a_link(text: str) -> None:
    assert not [e for e in parse(render_markdown(text)).elements if e.tag == "a"]


def test_image_becomes_its_alt_text_and_loads_nothing() -> None:
    html = render_markdown("See ![the *route* map](https://tracker.example/pixel.png).")
    assert html == "<p>See the route map.</p>\n"
    assert "tracker.example" not in html


def test_image_alt_text_is_escaped() -> None:
    html = render_markdown("![<b>&</b>](https://example.org/x.png)")
    assert html == "<p>&lt;b&gt;&amp;&lt;/b&gt;</p>\n"


NORMAL_MARKDOWN = {
    "headings shift down one level": (
        "# Aim\n\n## Who\n\n###### Note",
        "<h2>Aim</h2>\n<h3>Who</h3>\n<h6>Note</h6>\n",
    ),
    "emphasis, strong and strikethrough": (
        "*a* **b** ~~c~~",
        "<p><em>a</em> <strong>b</strong> <del>c</del></p>\n",
    ),
    "bullet list": ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"),
    "numbered list": ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"),
    "quote": ("> said", "<blockquote>\n<p>said</p>\n</blockquote>\n"),
    "fenced code is escaped and loses its language class": (
        "```html\n<script>alert(1)</script> & more\n```",
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more\n</code></pre>\n",
    ),
    "inline code is escaped": ("`a < b`", "<p><code>a &lt; b</code></p>\n"),
    "rule and hard line break": ("a  \nb\n\n---", "<p>a<br>\nb</p>\n<hr>\n"),
    "table loses its alignment styles": (
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n",
    ),
    "link keeps its title and gets rel": (
        '[site](https://example.org/a?b=1&c=2 "Home")',
        '<p><a href="https://example.org/a?b=1&amp;c=2" title="Home" '
        'rel="nofollow noopener noreferrer">site</a></p>\n',
    ),
    "mailto autolink gets rel": (
        "<mailto:team@example.org>",
        '<p><a href="mailto:team@example.org" rel="nofollow noopener noreferrer">'
        "mailto:team@example.org</a></p>\n",
    ),
    "relative link is kept": (
        "[rules](/spaces/rules/)",
        '<p><a href="/spaces/rules/" rel="nofollow noopener noreferrer">rules</a></p>\n',
    ),
    "bare address is not linked": (
        "see https://example.org",
        "<p>see https://example.org</p>\n",
    ),
    "plain text with < and & is escaped": (
        "doses < 2 & tests > 0; &amp; stays as written",
        "<p>doses &lt; 2 &amp; tests &gt; 0; &amp; stays as written</p>\n",
    ),
    "empty body renders nothing": ("", ""),
}


@pytest.mark.parametrize(("text", "expected"), NORMAL_MARKDOWN.values(), ids=NORMAL_MARKDOWN.keys())
def test_normal_markdown_renders(text: str, expected: str) -> None:
    html = render_markdown(text)
    assert html == expected
    assert_inert(html)


def test_render_returns_a_safe_string() -> None:
    assert isinstance(render_markdown("x"), SafeString)


def test_every_link_gets_nofollow_noopener_noreferrer() -> None:
    html = render_markdown("[a](https://a.example) [b](/b) <https://c.example>")
    links = [e for e in parse(html).elements if e.tag == "a"]
    assert len(links) == 3
    assert {e.attrs["rel"] for e in links} == {"nofollow noopener noreferrer"}


def test_template_filter_renders_markdown_without_escaping_it_twice() -> None:
    template = Template("{% load proposal_markdown %}{{ body|markdown }}")
    html = template.render(Context({"body": "# Aim\n\n*a* & <script>"}))
    assert html == "<h2>Aim</h2>\n<p><em>a</em> &amp; &lt;script&gt;</p>\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (SafeString("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
    ],
    ids=["nothing", "a string already marked safe"],
)
def test_template_filter_trusts_no_input(value: object, expected: str) -> None:
    template = Template("{% load proposal_markdown %}{{ body|markdown }}")
    assert template.render(Context({"body": value})) == expected


def test_inert_check_catches_what_it_looks_for() -> None:
    """The checker itself fails on each kind of hostile output."""
    for html in [
        "<script>x</script>",
        "<IMG SRC=x>",
        '<p onclick="x">',
        '<p style="x">',
        '<a href="java&#x09;script:x">',
        '<a href=" JavaScript:x">',
    ]:
        with pytest.raises(AssertionError):
            assert_inert(html)
