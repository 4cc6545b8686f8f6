"""The browser, as a fixture for every folder's end-to-end tests (registered in
tests/conftest.py); the pages opened in it are in tests/e2e/conftest.py."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import CHROMIUM
from tests.e2e.conftest import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module.

    Playwright's sync API keeps an asyncio loop running in this thread, and Django
    refuses ORM calls from such a thread. The loop only drives the browser, so the
    check is switched off for as long as the browser runs (and only then).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
            )
            yield chromium
            chromium.close()
