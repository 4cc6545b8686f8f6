"""The user admin shows who someone is and what they may do, and changes none of it: those
fields change only through the services. Resetting a lost authenticator stays."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.models import User
from tests.accounts.support import give_totp, sign_in

pytestmark = pytest.mark.django_db

KEY_FIELDS = ("username", "email", "public_name", "is_staff", "is_superuser", "is_active")


def _staff_who_may_change_people(sam: User) -> Client:
    sam.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["view_user", "change_user"]
        )
    )
    return sign_in(Client(), sam, mfa=True, reauthenticated=True)


def test_posting_a_change_to_key_fields_through_the_admin_changes_nothing(
    alice: User, sam: User
) -> None:
    client = _staff_who_may_change_people(sam)
    group = Group.objects.create(name="powerful")
    before = {field: getattr(alice, field) for field in KEY_FIELDS}

    response = client.post(
        f"/admin/accounts/user/{alice.pk}/change/",
        {
            "username": "renamed",
            "email": "someone.else@example.net",
            "public_name": "Renamed",
            "is_staff": "on",
            "is_superuser": "on",
            "is_active": "",
            "groups": [group.pk],
        },
    )

    assert response.status_code in (200, 302)
    alice.refresh_from_db()
    assert {field: getattr(alice, field) for field in KEY_FIELDS} == before
    assert not alice.is_staff
    assert not alice.groups.exists()


def test_the_change_page_shows_the_key_fields_read_only_and_the_reset_link(
    alice: User, sam: User
) -> None:
    give_totp(alice)
    client = _staff_who_may_change_people(sam)
    page = client.get(f"/admin/accounts/user/{alice.pk}/change/").content.decode()

    for field in ("username", "email", "public_name", "is_staff", "is_active"):
        assert f'name="{field}"' not in page
    assert 'name="is_superuser"' not in page
    assert 'name="groups"' not in page
    assert f"/admin/accounts/user/{alice.pk}/reset-two-factor/" in page


def test_the_admin_does_not_add_people(sam: User) -> None:
    sam.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename="add_user")
    )
    client = _staff_who_may_change_people(sam)
    assert client.get("/admin/accounts/user/add/").status_code == 403
