"""Shared by the browser tests: a signed-in page, and the clean-up that lets a
transactional test end on SQLite despite the append-only triggers."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from advisory.models import Answer, Message, Response, Review, Round, Seat
from proposals.models import (
    CosignInvitation,
    Proposal,
    ProposalCosigner,
    ProposalDraft,
    ProposalVersion,
)
from tests.accounts.support import sign_in
from tests.e2e.conftest import BrowserPage, open_page
from voting.models import Ballot, Elector, Participation, Vote

# Children before parents (a vote refers to its round).
APPEND_ONLY_MODELS = (
    Ballot,
    Participation,
    Elector,
    Vote,
    Answer,
    Response,
    Message,
    Review,
    Seat,
    Round,
    CosignInvitation,
    ProposalCosigner,
    ProposalDraft,
    ProposalVersion,
    Proposal,
)


def remove_append_only_rows_on_sqlite() -> None:
    """A transactional test ends by emptying every table. PostgreSQL does it with
    TRUNCATE, which the immutability triggers do not trap; SQLite does it with DELETE,
    which they refuse. On SQLite, the rows are removed with the triggers briefly dropped,
    then the triggers are put back exactly as installed (their SQL from sqlite_master)."""
    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        installed = cursor.fetchall()
        for name, _sql in installed:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for model in APPEND_ONLY_MODELS:
            model.objects.all()._raw_delete(model.objects.db)
        for _name, sql in installed:
            cursor.execute(sql)


def signed_in_page(browser: Browser, live_server: LiveServer, user: User) -> Iterator[BrowserPage]:
    """A browser context carrying a session for ``user``, as after signing in."""
    client = sign_in(Client(), user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    for opened in open_page(browser, str(live_server.url)):
        opened.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": str(live_server.url)}]
        )
        yield opened
