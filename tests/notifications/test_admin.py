"""The outbox admin is for looking: public names only, and nothing can be changed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from tests.accounts.support import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    sign_in(client, UserFactory(username="staff", is_staff=True, is_superuser=True), mfa=True)
    return client


@pytest.fixture
def row(alice: User) -> Notification:
    return Notification.objects.create(
        recipient=alice, kind="round-opened", subject="Update", body="Hi."
    )


def test_the_admin_list_shows_public_names_and_never_email_addresses(
    staff_client: Client, row: Notification
) -> None:
    response = staff_client.get(reverse("admin:notifications_notification_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice" in page
    assert "round-opened" in page
    assert "alice@example.org" not in page
    assert "@example.org" not in page


def test_the_admin_search_does_not_find_people_by_email_address(
    staff_client: Client, row: Notification
) -> None:
    url = reverse("admin:notifications_notification_changelist")

    response = staff_client.get(url, {"q": "alice@example.org"})

    assert response.context["cl"].result_count == 0


def test_the_admin_shows_a_notification_but_cannot_add_change_or_delete_it(
    staff_client: Client, row: Notification
) -> None:
    change = reverse("admin:notifications_notification_change", args=[row.pk])

    page = staff_client.get(change)
    assert page.status_code == 200
    assert "Alice" in page.content.decode()
    assert "@example.org" not in page.content.decode()
    assert staff_client.post(change, {"kind": "other", "sent_at": ""}).status_code == 403
    add = reverse("admin:notifications_notification_add")
    assert staff_client.get(add).status_code == 403
    delete = reverse("admin:notifications_notification_delete", args=[row.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403

    row.refresh_from_db()
    assert row.kind == "round-opened"


def test_the_admin_status_filter_shows_the_rows_in_each_state(
    staff_client: Client, alice: User
) -> None:
    now = timezone.now()
    waiting = Notification.objects.create(recipient=alice, kind="waiting", subject="U", body="B")
    sent = Notification.objects.create(
        recipient=alice, kind="sent", subject="U", body="B", sent_at=now, attempts=1
    )
    given_up = Notification.objects.create(
        recipient=alice, kind="given-up", subject="U", body="B", gave_up_at=now, attempts=8
    )
    url = reverse("admin:notifications_notification_changelist")

    def listed(status: str) -> list[int]:
        response = staff_client.get(url, {"status": status})
        return [row.pk for row in response.context["cl"].result_list]

    assert listed("pending") == [waiting.pk]
    assert listed("sent") == [sent.pk]
    assert listed("gave_up") == [given_up.pk]


@pytest.mark.parametrize(
    "lookup",
    ["body__contains", "body__startswith", "body__regex", "address__startswith", "subject"],
)
def test_the_admin_list_refuses_lookups_that_would_test_what_a_body_or_address_holds(
    staff_client: Client, alice: User, lookup: str
) -> None:
    Notification.objects.create(
        address="friend@example.org",
        kind="space.invitation",
        subject="Update",
        body="Accept here: https://vote.example.org/invite/SECRETtoken1/",
        holds_secret=True,
    )
    url = reverse("admin:notifications_notification_changelist")

    response = staff_client.get(url, {lookup: "SECRET" if "body" in lookup else "friend"})

    assert response.status_code == 400
    assert b"SECRETtoken1" not in response.content


def test_the_admin_list_still_filters_by_status_kind_and_date(
    staff_client: Client, row: Notification
) -> None:
    url = reverse("admin:notifications_notification_changelist")
    today = timezone.now()

    for query in (
        {"status": "pending"},
        {"kind": "round-opened"},
        {"kind__exact": "round-opened"},
        {"created_at__year": today.year, "created_at__month": today.month},
    ):
        response = staff_client.get(url, query)
        assert response.status_code == 200, query
        assert response.context["cl"].result_count == 1, query
