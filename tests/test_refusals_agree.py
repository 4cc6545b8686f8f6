"""Every refusal reads the same wherever it is met.

For each action that has a guard (``core.guards``), each row of the apps' refusal tables
asks the service, the page and the API to do it for someone the guard refuses. All three
refuse with the guard's message and status, and none of them writes anything. A guard
with no row fails the walk, so no action can gain a refusal that nothing checks.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils.module_loading import autodiscover_modules
from rest_framework.test import APIClient

from core.errors import DomainError
from core.guards import guards
from tests.advisory.refusal_cases import CASES as ADVISORY
from tests.proposals.refusal_cases import CASES as PROPOSALS
from tests.refusals import Attempt, RefusalCase, Request
from tests.voting.refusal_cases import CASES as VOTING

CASES: list[RefusalCase] = [*PROPOSALS, *ADVISORY, *VOTING]

# Written by signing in or by reading a page, never by the action itself.
NOT_THE_ACTIONS = {"django_session", "accounts_user"}


def _every_row() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table the site's models keep, so that an update counts too."""
    rows = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if table in NOT_THE_ACTIONS or model._meta.proxy:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def _ask(client: Client, request: Request, **extra: str) -> Any:
    return getattr(client, request.method)(request.path, request.data, **extra)


def test_every_guard_has_a_row() -> None:
    # Guards live in the apps' rules, or beside the service they guard.
    autodiscover_modules("rules", "services")

    assert sorted(guards()) == sorted({case.action for case in CASES})


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_service_the_page_and_the_api_refuse_alike(
    case: RefusalCase, request: pytest.FixtureRequest
) -> None:
    attempt: Attempt = case.arrange(request)
    page_client = Client()
    page_client.force_login(attempt.user)
    api_client = APIClient()
    api_client.force_authenticate(attempt.user)
    before = _every_row()

    with pytest.raises(DomainError) as raised:
        attempt.service()
    refusal = raised.value
    page = _ask(page_client, attempt.page)
    api = _ask(api_client, attempt.api, format="json")

    assert (page.status_code, api.status_code) == (refusal.status_code, refusal.status_code)
    assert escape(refusal.message) in page.content.decode()
    assert api.json()["error"]["message"] == refusal.message
    assert _every_row() == before
