"""Not even a superuser with a second factor can change, through the admin, what someone
signs in with (their e-mail address, their authenticator) or what they may do (staff and
superuser status, groups, a group's permissions), nor delete an account there. Those
change only through the services, which write the history: a changed address followed by
a password reset would take the account over, unrecorded."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.models import User
from tests.accounts.support import give_totp, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db: None) -> User:
    """The operator's account: every permission Django knows."""
    return UserFactory(username="root", public_name="Operator", is_staff=True, is_superuser=True)


@pytest.fixture
def operator(superuser: User) -> Client:
    return sign_in(Client(), superuser, mfa=True, reauthenticated=True)


@pytest.fixture
def facilitator(db: None) -> User:
    """Someone with an address and an authenticator app worth taking over."""
    person = UserFactory(username="fatima", public_name="Fatima")
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    give_totp(person)
    return person


def test_the_e_mail_address_pages_are_not_there_and_a_posted_change_does_nothing(
    operator: Client, facilitator: User
) -> None:
    address = EmailAddress.objects.get(user=facilitator)
    base = "/admin/account/emailaddress/"

    for url in (base, f"{base}add/", f"{base}{address.pk}/change/", f"{base}{address.pk}/delete/"):
        assert operator.get(url).status_code == 404, url
    operator.post(
        f"{base}{address.pk}/change/",
        {"user": facilitator.pk, "email": "taker@example.net", "primary": "on", "verified": "on"},
    )
    operator.post(f"{base}add/", {"user": facilitator.pk, "email": "taker@example.net"})

    assert list(EmailAddress.objects.filter(user=facilitator).values_list("email", flat=True)) == [
        "fatima@example.org"
    ]
    assert not EmailAddress.objects.filter(email="taker@example.net").exists()


def test_the_authenticator_pages_are_not_there_and_a_posted_delete_removes_nothing(
    operator: Client, facilitator: User
) -> None:
    totp = Authenticator.objects.get(user=facilitator)
    base = "/admin/mfa/authenticator/"

    for url in (base, f"{base}add/", f"{base}{totp.pk}/change/", f"{base}{totp.pk}/delete/"):
        assert operator.get(url).status_code == 404, url
    operator.post(f"{base}{totp.pk}/delete/", {"post": "yes"})
    operator.post(base, {"action": "delete_selected", "_selected_action": [totp.pk], "post": "yes"})

    assert Authenticator.objects.filter(pk=totp.pk).exists()


def test_the_admin_index_offers_neither_e_mail_addresses_nor_authenticators(
    operator: Client,
) -> None:
    page = operator.get("/admin/").content.decode()
    assert "/admin/account/" not in page
    assert "/admin/mfa/" not in page


def test_the_user_admin_shows_staff_rights_but_offers_no_field_to_change_them(
    operator: Client, facilitator: User
) -> None:
    response = operator.get(f"/admin/accounts/user/{facilitator.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    for field in ("is_staff", "is_superuser", "groups", "user_permissions", "email"):
        assert f'name="{field}"' not in page, field
    assert "superuser status" in page.lower()  # shown, read-only


def test_a_superuser_posting_rights_to_the_user_admin_changes_none_of_them(
    operator: Client, facilitator: User
) -> None:
    group = Group.objects.create(name="powerful")
    group.permissions.add(*Permission.objects.all())

    operator.post(
        f"/admin/accounts/user/{facilitator.pk}/change/",
        {
            "email": "taker@example.net",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group.pk],
            "user_permissions": list(Permission.objects.values_list("pk", flat=True)[:5]),
            "language": facilitator.language,
        },
    )

    facilitator.refresh_from_db()
    assert (facilitator.email, facilitator.is_staff, facilitator.is_superuser) == (
        "fatima@example.org",
        False,
        False,
    )
    assert not facilitator.groups.exists()
    assert not facilitator.user_permissions.exists()


def test_a_superuser_cannot_delete_an_account_in_the_admin(
    operator: Client, facilitator: User
) -> None:
    assert operator.get(f"/admin/accounts/user/{facilitator.pk}/delete/").status_code == 403
    operator.post(f"/admin/accounts/user/{facilitator.pk}/delete/", {"post": "yes"})
    operator.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [facilitator.pk], "post": "yes"},
    )

    assert User.objects.filter(pk=facilitator.pk).exists()
    assert Authenticator.objects.filter(user=facilitator).exists()


def test_groups_can_be_looked_at_but_not_added_changed_or_deleted(operator: Client) -> None:
    group = Group.objects.create(name="Site staff")
    base = "/admin/auth/group/"

    assert operator.get(base).status_code == 200
    assert operator.get(f"{base}add/").status_code == 403
    assert operator.get(f"{base}{group.pk}/delete/").status_code == 403
    page = operator.get(f"{base}{group.pk}/change/").content.decode()
    assert 'name="permissions"' not in page
    every = list(Permission.objects.values_list("pk", flat=True))
    operator.post(f"{base}{group.pk}/change/", {"name": "Site staff", "permissions": every})

    assert not group.permissions.exists()
