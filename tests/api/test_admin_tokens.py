"""Personal API tokens cannot be created, seen or changed in the admin: a token is made
by its owner only, so no one at the site can mint one and act as someone else."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from knox.models import AuthToken

from tests.accounts.support import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_token_model_is_not_in_the_admin() -> None:
    assert not admin.site.is_registered(AuthToken)
    assert all(model._meta.app_label != "knox" for model in admin.site._registry)


@pytest.mark.parametrize("is_superuser", [False, True], ids=["site-staff", "operator"])
@pytest.mark.parametrize(
    "path", ["/admin/knox/authtoken/add/", "/admin/knox/authtoken/", "/admin/knox/"]
)
def test_the_token_pages_of_the_admin_do_not_exist_even_for_an_operator(
    path: str, is_superuser: bool
) -> None:
    """Not even a superuser (who passes every permission check) reaches them."""
    client = Client()
    sign_in(client, UserFactory(is_staff=True, is_superuser=is_superuser), mfa=True)

    assert client.get(path).status_code == 404
