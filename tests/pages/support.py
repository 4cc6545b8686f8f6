"""Reading a page's HTML in tests, the way assistive technology sees its structure."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Collects the elements of a page (tag and attributes) and its visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in {"script", "style", "title"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "title"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text_parts.append(" ".join(data.split()))

    @property
    def text(self) -> str:
        return " ".join(self.text_parts)

    def find_all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            found
            for name, found in self.elements
            if name == tag
            and all(found.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> dict[str, str | None]:
        [found] = self.find_all(tag, **attrs)
        return found
