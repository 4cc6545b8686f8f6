"""The outbox admin is for looking: public names only, and nothing can be changed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
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
