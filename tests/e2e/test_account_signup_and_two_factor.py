"""A person signs up with an e-mail address, confirms it from the message, signs in, sets
up an authenticator app and reaches their account page, all in Chromium."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from tests.e2e.conftest import BrowserPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


PASSWORD = "a long new passphrase"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def totp(secret: str, *, at: float | None = None) -> str:
    """RFC 6238: HMAC-SHA1 over the 30-second step, 6 digits (what authenticator apps use)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def test_the_totp_helper_matches_rfc_6238() -> None:
    """The RFC's SHA-1 test vector (secret "12345678901234567890", T = 59 s)."""
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59) == "287082"


@pytest.fixture
def mail_from_this_server(live_server: Any, settings: Any) -> Iterator[None]:
    """Links in e-mails lead to the test server, and the server sends its e-mails itself
    (in-process, as the embedded demo does), so they land in ``mail.outbox``."""
    from config.celery import app as celery_app

    settings.SITE_URL = live_server.url
    saved = celery_app.conf["task_always_eager"]
    celery_app.conf.update(task_always_eager=True)
    try:
        yield
    finally:
        celery_app.conf.update(task_always_eager=saved)


def test_sign_up_confirm_sign_in_set_up_two_factor_and_see_the_account(
    browser_page: BrowserPage, mail_from_this_server: None
) -> None:
    page = browser_page.page
    mail.outbox.clear()

    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "river@example.org")
    page.fill("input[name=public_name]", "River")
    page.fill("input[name=username]", "river")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")

    [message] = mail.outbox
    assert message.subject == "Your Real Voice account"
    link = re.search(
        re.escape(browser_page.base_url) + r"/accounts/confirm-email/\S+", str(message.body)
    )
    assert link is not None
    page.goto(link.group(0))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")

    if "/accounts/login/" in page.url:
        page.fill("input[name=login]", "river")
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")

    page.goto("/accounts/2fa/totp/activate/")
    if "/accounts/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")

    page.goto("/account/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert page.locator("input[name=public_name]").input_value() == "River"
    assert "Two-factor authentication (on)" in page.locator("main").inner_text()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()
    assert browser_page.csp_violations() == []
    assert browser_page.external_requests == []
