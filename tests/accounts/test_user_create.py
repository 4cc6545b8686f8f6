"""Creating an account records its address for sign-in, confirmed only when known."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from accounts.services import user_create

pytestmark = pytest.mark.django_db


def test_a_new_address_must_be_confirmed_before_it_signs_in() -> None:
    person = user_create(
        username="sam", public_name="Sam", password="a long passphrase 1", email="sam@example.org"
    )
    address = EmailAddress.objects.get(user=person)
    assert (address.email, address.primary, address.verified) == ("sam@example.org", True, False)


def test_an_address_the_caller_vouches_for_is_recorded_as_confirmed() -> None:
    person = user_create(
        username="sam", public_name="Sam", password="a long passphrase 1",
        email="sam@example.org", email_verified=True,
    )  # fmt: skip
    assert EmailAddress.objects.get(user=person).verified


def test_an_account_without_an_address_records_none_and_may_wait_for_a_password() -> None:
    person = user_create(username="t", public_name="T.", password=None)
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not person.has_usable_password()


def test_two_sign_in_names_differing_only_in_case_are_refused_by_the_database() -> None:
    from django.db import IntegrityError, transaction

    from accounts.models import User

    User.objects.create(username="rosa", public_name="Rosa")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Rosa", public_name="Another Rosa")
    assert User.objects.filter(username__iexact="rosa").count() == 1
