from __future__ import annotations

from django.db import transaction

from accounts.models import User


@transaction.atomic
def user_create(
    *,
    username: str,
    public_name: str,
    password: str,
    email: str | None = None,
    is_staff: bool = False,
) -> User:
    """Create an account. The e-mail is optional: people may join with a facilitator's code."""
    return User.objects.create_user(
        username=username,
        public_name=public_name,
        email=email,
        password=password,
        is_staff=is_staff,
        is_superuser=is_staff,
    )
