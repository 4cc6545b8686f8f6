"""Each person reads their e-mails in their own language, whoever caused them; the outbox
also sends to an address with no account, keeps no address once a row is finished, and
keeps no body that held a one-time link. With SMTP failing, account e-mails wait in the
outbox and go out after."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.authority import Actor
from accounts.models import User
from notifications.models import Notification
from notifications.services import BODY_NOT_KEPT, notify_address, notify_many
from spaces import services as space_services
from tests.accounts.support import sign_in
from tests.factories import DecisionSpaceFactory, MembershipFactory, UserFactory
from tests.notifications.support import deliver_all

pytestmark = pytest.mark.django_db


class FailingBackend:
    """An SMTP server that refuses every message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        raise ConnectionRefusedError("SMTP is down")


def test_an_email_to_a_spanish_speaker_is_in_spanish_though_an_english_speaker_caused_it() -> None:
    space = DecisionSpaceFactory(name="Northside", slug="northside")
    rosa = UserFactory(username="rosa", language="en")
    MembershipFactory(space=space, user=rosa, role="facilitator")
    lucia = UserFactory(username="lucia", language="es", email="lucia@example.org")
    dee = UserFactory(username="dee", language="en", email="dee@example.org")

    with translation.override("en"):  # Rosa's request is in English
        for person in (lucia, dee):
            space_services.membership_add(
                actor=Actor(user=rosa, mfa=True, recently_authenticated=True),
                space=space,
                user=person,
                role="electorate",
            )

    spanish = Notification.objects.get(recipient=lucia)
    english = Notification.objects.get(recipient=dee)
    assert "Se te añadió al espacio de decisión Northside" in spanish.body
    assert "En el sitio: http://127.0.0.1:8000/spaces/northside/" in spanish.body
    assert spanish.subject == "Tienes una novedad en Real Voice"
    assert "You were added to the decision space Northside" in english.body
    assert english.subject == "You have an update on Real Voice"


def test_a_body_function_is_written_once_per_language_with_that_language_active() -> None:
    people = [UserFactory(language="es"), UserFactory(language="en"), UserFactory(language="es")]
    calls: list[str | None] = []

    def body() -> str:
        calls.append(translation.get_language())
        return f"in {translation.get_language()}"

    rows = notify_many(recipients=people, kind="test", body=body)

    assert sorted(calls, key=str) == ["en", "es"]
    assert [row.body for row in rows] == ["in es", "in en", "in es"]


def test_a_password_reset_is_in_the_accounts_language_not_the_visitors() -> None:
    from allauth.account.models import EmailAddress

    lucia = UserFactory(username="lucia", language="es", email="lucia@example.org")
    EmailAddress.objects.create(user=lucia, email=lucia.email, verified=True, primary=True)

    Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/password/reset/", {"email": lucia.email})

    row = Notification.objects.get()
    assert row.recipient == lucia
    assert row.subject == "Tu cuenta de Real Voice"
    assert "Alguien, probablemente tú, pidió poner una contraseña nueva" in row.body


def test_an_invitation_is_written_in_the_inviters_language() -> None:
    space = DecisionSpaceFactory(slug="northside")
    ana = UserFactory(language="es")
    MembershipFactory(space=space, user=ana, role="facilitator")

    with translation.override("en"):
        space_services.invitation_create(
            actor=Actor(user=ana, mfa=True, recently_authenticated=True),
            space=space,
            role="board",
            email="friend@example.org",
        )

    row = Notification.objects.get()
    assert row.recipient is None
    assert row.address == "friend@example.org"
    assert row.subject == "Tienes una novedad en Real Voice"


def test_signing_up_records_the_language_the_site_is_shown_in() -> None:
    password = "a long new passphrase"
    Client(HTTP_ACCEPT_LANGUAGE="es").post(
        "/accounts/signup/",
        {
            "email": "rio@example.org",
            "public_name": "Río",
            "username": "rio",
            "password1": password,
            "password2": password,
        },
    )

    person = User.objects.get(username="rio")
    assert person.language == "es"
    assert Notification.objects.get(recipient=person).subject == "Tu cuenta de Real Voice"


def test_a_person_changes_the_language_of_their_emails_on_the_account_page() -> None:
    person = UserFactory(language="en")
    client = Client()
    sign_in(client, person)

    assert client.post(reverse("accounts:language"), {"language": "es"}).status_code == 302
    person.refresh_from_db()
    assert person.language == "es"
    refused = client.post(reverse("accounts:language"), {"language": "fr"})
    assert refused.status_code == 400
    person.refresh_from_db()
    assert person.language == "es"


def test_the_database_refuses_an_unknown_language() -> None:
    person = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=person.pk).update(language="xx")


# --- Addresses and secrets in the outbox ----------------------------------------------------------


def test_a_row_to_an_address_goes_there_and_keeps_neither_address_nor_secret_once_sent() -> None:
    row = notify_address(
        address="friend@example.org",
        kind="space.invitation",
        language="en",
        body="Open https://vote.example.org/spaces/invitations/secret/",
        holds_secret=True,
    )

    assert deliver_all() == 1
    [message] = mail.outbox
    assert message.to == ["friend@example.org"]
    assert "invitations/secret/" in message.body
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.address is None
    assert row.body == BODY_NOT_KEPT


def test_the_database_refuses_a_pending_row_with_nowhere_to_go_or_a_finished_one_with_an_address(
    alice: User,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(kind="x", subject="Update", body="Hi.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            address="a@example.org",
            kind="x",
            subject="Update",
            body="Hi.",
            sent_at=timezone.now(),
            attempts=1,
        )


def test_the_admin_does_not_show_a_body_that_holds_a_one_time_link(
    client: Client, settings: Any
) -> None:
    row = notify_address(
        address="friend@example.org",
        kind="space.invitation",
        language="en",
        body="Open https://vote.example.org/spaces/invitations/the-secret-token/",
        holds_secret=True,
    )
    sign_in(client, UserFactory(username="staff", is_staff=True, is_superuser=True), mfa=True)

    page = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))

    assert page.status_code == 200
    assert "the-secret-token" not in page.content.decode()
    assert "friend@example.org" not in page.content.decode()


def test_with_smtp_failing_account_emails_wait_in_the_outbox_and_go_out_after(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    password = "a long new passphrase"
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "rio@example.org",
            "public_name": "Río",
            "username": "rio",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302  # the sign-up itself does not fail

    assert deliver_all() == 0
    row = Notification.objects.get(kind="account.email_confirmation_signup")
    assert row.sent_at is None
    assert row.gave_up_at is None
    assert "SMTP is down" in row.last_error
    assert "/accounts/confirm-email/" in row.body

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The retry falls due.
    Notification.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert deliver_all() == 1
    [message] = mail.outbox
    assert message.to == ["rio@example.org"]
    assert "http://127.0.0.1:8000/accounts/confirm-email/" in message.body


def test_a_person_reads_and_changes_their_language_through_the_api() -> None:
    from rest_framework.test import APIClient

    person = UserFactory(language="en", public_name="Rio")
    client = APIClient()
    sign_in(client, person)

    assert client.get("/api/v1/account/").json() == {"public_name": "Rio", "language": "en"}
    changed = client.patch("/api/v1/account/", {"language": "es"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["language"] == "es"
    refused = client.patch("/api/v1/account/", {"language": "fr"}, format="json")
    assert refused.status_code == 400
    person.refresh_from_db()
    assert person.language == "es"
    assert APIClient().get("/api/v1/account/").status_code in (401, 403)


def test_an_account_email_that_names_an_address_is_neither_shown_to_staff_nor_kept() -> None:
    # Anyone can ask for a password reset for any address: the e-mail that says no account
    # has it names the address, which the outbox must not keep or show.
    Client().post("/accounts/password/reset/", {"email": "someone.else@example.org"})
    row = Notification.objects.get(kind="account.unknown_account")
    assert row.holds_secret

    assert deliver_all() == 1
    assert "someone.else@example.org" in mail.outbox[0].body
    row.refresh_from_db()
    assert row.address is None
    assert "someone.else@example.org" not in row.body


def test_the_data_download_does_not_show_a_pending_account_emails_link(alice: User) -> None:
    # Adding an address one does not own writes its confirmation to the adder's outbox.
    client = sign_in(Client(), alice, reauthenticated=True)
    client.post("/accounts/email/", {"action_add": "", "email": "not.mine@example.org"})
    pending = Notification.objects.get(recipient=alice, kind__startswith="account.")
    assert "/accounts/confirm-email/" in pending.body

    text = client.get("/account/data.json").content.decode()

    assert "/accounts/confirm-email/" not in text
    assert "account.email_confirmation" in text  # the e-mail is listed, its body is not
