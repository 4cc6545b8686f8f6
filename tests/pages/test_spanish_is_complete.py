"""A Spanish reader meets no English sentence of the site's own.

The demo is loaded once (it has a proposal in every state), then the space page, the
rulebook, the proposal list and every proposal page are read in Spanish. The site's own
English is every ``msgid`` of the Spanish catalogue whose translation differs from it:
none of those may be a visible text of a Spanish page, and no sentence among them (three
words or more, with any placeholder matching anything) may appear inside one. Proposals'
own texts (the demo's are in English) are left out: they are what their authors wrote.

Strings other parts of the site add are caught here too, once they reach these pages.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from pytest_django import DjangoDbBlocker

from accounts.models import User
from proposals.models import Proposal
from tests.accounts.support import sign_in

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\{?\s*\w+\s*\}?\}")
# Elements whose text people wrote (proposals, reviews, thread posts, names): not the site's.
AUTHORED = {
    "proposal-content",
    "proposal-body",
    "proposal-title",
    "review-text",
    "thread",
    "user-content",
}


def english_of_the_site() -> set[str]:
    """Every English text the Spanish catalogue translates into something else."""
    with CATALOGUE.open("rb") as handle:
        # The one way to list a catalogue, which typeshed leaves out as private.
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    english: set[str] = set()
    for key, translated in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]  # without its context
        if not msgid or msgid == translated:
            continue
        english.add(msgid)
    return english


class _Text(HTMLParser):
    """The visible text nodes of a page, outside what people wrote."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.nodes: list[str] = []
        self._stack: list[tuple[str, bool]] = []
        self._authored = 0
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        # Authored, or in another language on purpose (the language switcher's "English").
        authored = bool(classes & AUTHORED) or tag == "blockquote"
        lang = attributes.get("lang") or self.language
        authored = authored or not lang.startswith(self.language)
        hidden = tag in {"script", "style", "title", "code", "pre", "textarea"}
        self._stack.append((tag, authored or hidden))
        self._authored += authored or hidden

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            name, counted = self._stack.pop()
            self._authored -= counted
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._authored:
            self.nodes.append(text)


def _pattern(msgid: str) -> re.Pattern[str] | None:
    """A sentence (three words or more of its own) as a pattern, placeholders matching
    anything; None for shorter texts, which are checked as whole text nodes only."""
    literal = PLACEHOLDER.sub(" ", msgid)
    if len(re.findall(r"[A-Za-z']+", literal)) < 3:
        return None
    regex, position = "", 0
    for match in PLACEHOLDER.finditer(msgid):
        regex += re.escape(" ".join(msgid[position : match.start()].split())) + ".+?"
        position = match.end()
    regex += re.escape(" ".join(msgid[position:].split()))
    return re.compile(r"(?<![A-Za-z])" + regex.replace(r"\ ", r"\s+") + r"(?![A-Za-z])")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo, loaded once for the module and rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _nodes(client: Client, path: str, language: str) -> list[str]:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, path
    assert response.headers["Content-Language"] == language, path
    parser = _Text(language)
    parser.feed(response.content.decode())
    return parser.nodes


def _spanish_pages(client: Client, paths: list[str]) -> dict[str, list[str]]:
    return {path: _nodes(client, path, "es") for path in paths}


def _authored_texts() -> str:
    """What people wrote or chose, shown as it is in every language: names, titles,
    proposals' texts, reviews, thread posts, responses, reasons, members' notes and
    messages; and the site's name."""
    from advisory.models import Answer, Message, Response, Review
    from organisations.models import Organisation
    from proposals.models import ProposalDraft, ProposalVersion
    from spaces.models import DecisionSpace, JoinRequest, Membership
    from voting.models import Vote

    texts: list[str] = [settings.SITE_NAME]
    for model in (
        User,
        Organisation,
        DecisionSpace,
        Proposal,
        ProposalDraft,
        ProposalVersion,
        Review,
        Message,
        Response,
        Answer,
        Vote,
        Membership,
        JoinRequest,
    ):
        texts += [str(value) for row in model.objects.values() for value in row.values()]
    return "\n".join(texts)


WORDS = re.compile(r"[A-Za-z]{2,}")


def _english_found(
    pages: dict[str, list[str]], english_pages: dict[str, list[str]] | None = None
) -> list[tuple[str, str]]:
    """The site's English found in Spanish pages: catalogue texts as whole text nodes or
    as sentences inside the text; and, with the same pages in English, any text node of
    two words or more that reads the same in both languages and is no one's writing (a
    text the catalogue does not know yet)."""
    english = english_of_the_site()
    sentences = [(msgid, pattern) for msgid in english if (pattern := _pattern(msgid))]
    authored = _authored_texts() if english_pages else ""
    found = []
    for path, nodes in pages.items():
        for node in nodes:
            if node in english:
                found.append((path, node))
        text = " ".join(nodes)
        for msgid, pattern in sentences:
            if pattern.search(text):
                found.append((path, msgid))
        if english_pages:
            same = set(nodes) & set(english_pages[path])
            for node in same:
                words = WORDS.findall(node)
                if len(words) >= 2 and node not in authored and not _authored_words(node, authored):
                    found.append((path, node))
    return sorted(set(found))


def _authored_words(node: str, authored: str) -> bool:
    """A node made of what people wrote, punctuation and numbers between (a title with
    its version number, a name with its organisation)."""
    pieces = [piece for piece in re.split(r"[\s·,:;()\[\]“”\"|\u2014\u2013-]+", node) if piece]
    return all(piece in authored or not WORDS.search(piece) for piece in pieces)


def _proposal_pages() -> list[str]:
    submitted = Proposal.objects.filter(space__slug="northside").exclude(
        first_submitted_at__isnull=True
    )
    assert {proposal.state for proposal in submitted} >= {
        "advisory_review",
        "revision",
        "awaiting_vote",
        "voting",
        "adopted",
        "rejected",
        "failed",
        "withdrawn",
    }
    return [f"/spaces/northside/proposals/{proposal.pk}/" for proposal in submitted]


def test_the_public_pages_have_no_english_of_the_sites_own_in_spanish(demo: None) -> None:
    paths = [
        "/spaces/northside/",
        "/spaces/northside/proposals/",
        *(f"/spaces/northside/proposals/?state={state}" for state in ("adopted", "rejected")),
        *_proposal_pages(),
    ]

    client = Client()
    english = {path: _nodes(client, path, "en") for path in paths}
    found = _english_found(_spanish_pages(client, paths), english)
    assert found == [], "\n".join(f"{path}: {text}" for path, text in found)


def test_the_facilitators_pages_have_no_english_of_the_sites_own_in_spanish(demo: None) -> None:
    """The rulebook, the members page and the confirmation of a board member's ending."""
    from spaces.models import Membership

    client = Client()
    sign_in(client, User.objects.get(username="facilitator"), mfa=True, reauthenticated=True)
    board = Membership.objects.filter(
        space__slug="northside", role="board", left_at__isnull=True
    ).first()
    assert board is not None

    paths = [
        "/spaces/northside/rulebook/",
        "/spaces/northside/members/",
        f"/spaces/northside/members/{board.pk}/end/",
    ]
    english = {path: _nodes(client, path, "en") for path in paths}
    found = _english_found(_spanish_pages(client, paths), english)
    assert found == [], "\n".join(f"{path}: {text}" for path, text in found)


def test_the_rulebook_sentences_are_spanish(demo: None) -> None:
    nodes = _spanish_pages(Client(), ["/spaces/northside/"])["/spaces/northside/"]
    text = " ".join(nodes)

    assert "El consejo asesor tiene 14 días para revisar una propuesta." in text
    assert "Una votación permanece abierta 10 días." in text  # the demo changed it to 10


def test_the_state_filter_agrees_with_la_propuesta(demo: None) -> None:
    response = Client().get("/spaces/northside/proposals/", HTTP_ACCEPT_LANGUAGE="es")
    options = re.findall(
        r"<option value=\"(\w+)\"[^>]*>([^<]+)</option>", response.content.decode()
    )
    states = dict(options)

    assert states["adopted"] == "adoptada"
    assert states["rejected"] == "rechazada"
    assert states["withdrawn"] == "retirada"
    assert states["failed"] == "fallida (sin quórum)"
