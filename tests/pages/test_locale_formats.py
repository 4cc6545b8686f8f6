"""Dates, numbers and money in the reader's language: British English, as the site spells
it ("21 November 2026, 04:19", "£9,800.00"), and Spanish ("21 de noviembre de 2026 a las
04:19", "9800,00 £"); a space states its currency and its costs are shown in it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from accounts.authority import Actor
from core.money import format_money
from proposals import services as proposal_services
from proposals.models import Proposal
from spaces import services as space_services
from spaces.models import DecisionSpace
from tests.accounts.support import sign_in
from tests.factories import UserFactory
from tests.pages.support import Page
from tests.proposals.conftest import Cast, actor

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 11, 21, 4, 19, tzinfo=UTC)


def _render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load money %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [
        ("en", "21 November 2026", "21 November 2026, 04:19"),
        ("es", "21 de noviembre de 2026", "21 de noviembre de 2026 a las 04:19"),
    ],
)
def test_dates_follow_the_readers_language(language: str, date: str, moment: str) -> None:
    assert _render('{{ at|date:"DATE_FORMAT" }}', language, at=MOMENT) == date
    assert _render('{{ at|date:"DATETIME_FORMAT" }}', language, at=MOMENT) == moment


@pytest.mark.parametrize(
    ("language", "currency", "amount", "shown"),
    [
        ("en", "GBP", "9800.00", "£9,800.00"),
        ("en", "EUR", "1234567.5", "€1,234,567.50"),
        ("en", "USD", "0", "US$0.00"),
        ("es", "GBP", "9800.00", "9800,00\N{NO-BREAK SPACE}£"),
        ("es", "EUR", "12500", "12\N{NO-BREAK SPACE}500,00\N{NO-BREAK SPACE}€"),
    ],
)
def test_money_follows_the_readers_language(
    language: str, currency: str, amount: str, shown: str
) -> None:
    with translation.override(language):
        assert format_money(Decimal(amount), currency) == shown
    assert _render("{{ cost|money:currency }}", language, cost=Decimal(amount), currency=currency)


@pytest.fixture
def submitted(cast: Cast, draft: Proposal) -> Proposal:
    """The draft, costing 9800.00 in a space that counts in euros, submitted."""
    DecisionSpace.objects.filter(pk=cast.space.pk).update(currency="EUR")
    proposal_services.proposal_update_draft(
        actor=actor(cast.olu), proposal=draft, cost=Decimal("9800.00")
    )
    proposal_services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "€9,800.00"), ("es", "9800,00\N{NO-BREAK SPACE}€")],
)
def test_the_proposal_page_and_list_show_the_cost_in_the_spaces_currency(
    cast: Cast,
    submitted: Proposal,
    language: str,
    shown: str,
) -> None:
    client = Client()
    detail = client.get(
        f"/spaces/{cast.space.slug}/proposals/{submitted.pk}/", HTTP_ACCEPT_LANGUAGE=language
    )
    listed = client.get(f"/spaces/{cast.space.slug}/proposals/", HTTP_ACCEPT_LANGUAGE=language)

    for response in (detail, listed):
        text = Page(response.content.decode()).text
        assert shown.replace("\N{NO-BREAK SPACE}", " ") in text.replace("\N{NO-BREAK SPACE}", " ")
        assert "9800.00" not in text


def test_the_api_gives_the_amount_and_the_currency(
    cast: Cast,
    submitted: Proposal,
) -> None:
    client = APIClient()
    detail = client.get(f"/api/v1/spaces/{cast.space.slug}/proposals/{submitted.pk}/").json()
    listed = client.get(f"/api/v1/spaces/{cast.space.slug}/proposals/").json()["results"]
    space = client.get(f"/api/v1/spaces/{cast.space.slug}/").json()

    assert detail["currency"] == "EUR"
    assert detail["current_version"]["cost"] == "9800.00"
    assert [(row["cost"], row["currency"]) for row in listed] == [("9800.00", "EUR")]
    assert space["currency"] == "EUR"


# --- A space states its currency -------------------------------------------------------------


def _staff() -> Actor:
    return Actor(user=UserFactory(is_staff=True), mfa=True, recently_authenticated=True)


def test_a_new_space_counts_in_pounds_unless_staff_choose_another_currency(
    cast: Cast,
) -> None:
    staff = _staff()
    pounds = space_services.space_create(actor=staff, name="Eastside", facilitators=[cast.dee])
    euros = space_services.space_create(
        actor=staff, name="Westside", facilitators=[cast.dee], currency="EUR"
    )

    assert (pounds.currency, euros.currency) == ("GBP", "EUR")


def test_an_unknown_currency_is_refused_with_a_field_error(cast: Cast) -> None:
    with pytest.raises(space_services.SpaceInvalid) as refused:
        space_services.space_create(
            actor=_staff(), name="Eastside", facilitators=[cast.dee], currency="XYZ"
        )

    assert list(refused.value.fields) == ["currency"]
    assert not DecisionSpace.objects.filter(name="Eastside").exists()


def test_the_database_refuses_an_unknown_currency(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionSpace.objects.filter(pk=cast.space.pk).update(currency="XYZ")


def test_staff_choose_the_currency_on_the_page_and_in_the_api(cast: Cast) -> None:
    staff = UserFactory(is_staff=True, username="sam")
    page = Client()
    sign_in(page, staff, mfa=True)
    api = APIClient()
    sign_in(api, staff, mfa=True)

    form = page.get("/spaces/new/")
    created = page.post(
        "/spaces/new/", {"name": "Eastside", "currency": "EUR", "facilitators": "dee"}
    )
    answered = api.post(
        "/api/v1/spaces/",
        {"name": "Westside", "currency": "USD", "facilitators": ["dee"]},
        format="json",
    )
    refused = api.post(
        "/api/v1/spaces/",
        {"name": "Southside", "currency": "XYZ", "facilitators": ["dee"]},
        format="json",
    )

    assert Page(form.content.decode()).find_all("select", name="currency")
    assert created.status_code == 302
    assert DecisionSpace.objects.get(name="Eastside").currency == "EUR"
    assert answered.status_code == 201
    assert answered.json()["currency"] == "USD"
    assert refused.status_code == 400
    assert "currency" in refused.json()["error"]["fields"]
    assert not DecisionSpace.objects.filter(name="Southside").exists()
