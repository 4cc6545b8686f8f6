"""Account recovery codes: people without an e-mail address set a new password with one."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import services
from accounts.models import AccountRecoveryCode, User
from core.errors import DomainError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def tess(db: None) -> User:
    """Joined with a facilitator's code: no e-mail address."""
    return UserFactory(username="tess", public_name="T.", email=None)


def test_ten_codes_are_issued_and_only_their_hashes_are_kept(tess: User) -> None:
    codes = services.recovery_codes_issue(user=tess)

    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = list(AccountRecoveryCode.objects.filter(user=tess).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not set(codes) & set(stored)


def test_new_codes_replace_the_old_ones(tess: User) -> None:
    old = services.recovery_codes_issue(user=tess)
    services.recovery_codes_issue(user=tess)
    with pytest.raises(DomainError, match="do not match"):
        services.account_recover_with_code(username="tess", code=old[0], new_password=NEW_PASSWORD)


def test_a_code_sets_a_new_password_and_is_used_up(tess: User) -> None:
    codes = services.recovery_codes_issue(user=tess)

    services.account_recover_with_code(
        username="TESS", code=codes[3].upper(), new_password=NEW_PASSWORD
    )

    tess.refresh_from_db()
    assert tess.check_password(NEW_PASSWORD)
    with pytest.raises(DomainError, match="do not match"):
        services.account_recover_with_code(
            username="tess", code=codes[3], new_password="another new passphrase"
        )
    tess.refresh_from_db()
    assert tess.check_password(NEW_PASSWORD)


def test_a_wrong_code_and_an_unknown_name_get_the_same_answer(tess: User) -> None:
    services.recovery_codes_issue(user=tess)
    with pytest.raises(DomainError) as wrong_code:
        services.account_recover_with_code(
            username="tess", code="aaaa-bbbb-cccc-dddd", new_password=NEW_PASSWORD
        )
    with pytest.raises(DomainError) as unknown:
        services.account_recover_with_code(
            username="nobody", code="aaaa-bbbb-cccc-dddd", new_password=NEW_PASSWORD
        )
    assert wrong_code.value.message == unknown.value.message
    tess.refresh_from_db()
    assert tess.check_password("a long demo passphrase")


def test_a_weak_new_password_is_refused_and_the_code_kept(tess: User) -> None:
    codes = services.recovery_codes_issue(user=tess)
    with pytest.raises(DomainError, match=r"too short|too common"):
        services.account_recover_with_code(username="tess", code=codes[0], new_password="abc")
    assert AccountRecoveryCode.objects.filter(user=tess, used_at__isnull=True).count() == 10


def test_the_recover_page_sets_the_password_and_sends_the_person_to_sign_in(tess: User) -> None:
    codes = services.recovery_codes_issue(user=tess)
    response = Client().post(
        "/accounts/recover/",
        {
            "username": "tess",
            "code": codes[0],
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    tess.refresh_from_db()
    assert tess.check_password(NEW_PASSWORD)


def test_the_recover_page_is_rate_limited_per_sign_in_name(tess: User) -> None:
    """Five tries per sign-in name per 15 minutes: guessing codes gets nowhere."""
    client = Client()
    data = {
        "username": "tess",
        "code": "aaaa-bbbb-cccc-dddd",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    statuses = [client.post("/accounts/recover/", data).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    assert "Too many tries" in client.post("/accounts/recover/", data).content.decode()


def test_new_codes_from_the_account_page_need_the_password_again(tess: User) -> None:
    from tests.accounts.support import sign_in

    old = services.recovery_codes_issue(user=tess)
    client = sign_in(Client(), tess)
    assert client.post("/account/recovery-codes/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )

    sign_in(client, tess, reauthenticated=True)
    page = client.post("/account/recovery-codes/").content.decode()

    assert "shown only this once" in page
    assert old[0] not in page
    assert AccountRecoveryCode.objects.filter(user=tess).count() == 10


@pytest.mark.parametrize("password", ["abc", "password123"])
def test_a_weak_password_gets_the_same_answer_for_a_real_and_an_unknown_sign_in_name(
    tess: User, password: str
) -> None:
    """The password is judged before the name is looked up: the answer tells nothing
    about whether the account exists."""
    services.recovery_codes_issue(user=tess)
    answers = []
    for username in ("tess", "nobody-by-this-name"):
        with pytest.raises(DomainError) as refused:
            services.account_recover_with_code(
                username=username, code="aaaa-bbbb-cccc-dddd", new_password=password
            )
        answers.append(refused.value.message)

    assert answers[0] == answers[1]
    assert "do not match" not in answers[0]


def test_the_recover_page_answers_a_weak_password_alike_for_real_and_unknown_names(
    tess: User,
) -> None:
    services.recovery_codes_issue(user=tess)
    pages = []
    for username in ("tess", "nobody-by-this-name"):
        response = Client().post(
            "/accounts/recover/",
            {
                "username": username,
                "code": "aaaa-bbbb-cccc-dddd",
                "password1": "abc",
                "password2": "abc",
            },
        )
        assert response.status_code == 400
        pages.append(response.context["form"].errors)

    assert pages[0] == pages[1]
    assert "do not match" not in str(pages[0])


def test_a_right_recovery_code_past_the_limit_is_refused_and_changes_nothing(tess: User) -> None:
    [code, *_rest] = services.recovery_codes_issue(user=tess)
    client = Client()
    wrong = {
        "username": "tess",
        "code": "aaaa-bbbb-cccc-dddd",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    for _ in range(5):
        assert client.post("/accounts/recover/", wrong).status_code == 400

    # Another client (a new address) still meets the per-account limit.
    blocked = Client(REMOTE_ADDR="198.51.100.7").post("/accounts/recover/", {**wrong, "code": code})

    assert blocked.status_code == 429
    assert "Too many tries" in blocked.content.decode()
    tess.refresh_from_db()
    assert not tess.check_password(NEW_PASSWORD)
    assert not AccountRecoveryCode.objects.filter(user=tess, used_at__isnull=False).exists()
