from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from core.errors import DomainError

# What site staff look at in the admin: the decision history and the e-mail outbox. Both
# admin screens are read-only, so these permissions allow looking and nothing else.
STAFF_VIEW_PERMISSIONS = ("history.view_event", "notifications.view_notification")


@transaction.atomic
def user_create(
    *,
    username: str,
    public_name: str,
    password: str,
    email: str | None = None,
    is_staff: bool = False,
) -> User:
    """Create an account. The e-mail is optional: people may join with a facilitator's code.

    Site staff get the admin through ``is_staff`` and the permissions they are given
    (``user_grant_staff_views``), never through superuser status: a superuser passes every
    permission check, including those no role may pass, such as seeing how anyone voted.
    """
    return User.objects.create_user(
        username=username,
        public_name=public_name,
        email=email,
        password=password,
        is_staff=is_staff,
    )


@transaction.atomic
def user_grant_staff_views(*, user: User) -> None:
    """Let a site staff member open the admin's read-only screens (``STAFF_VIEW_PERMISSIONS``).

    Gives view permissions only, and only to site staff; running it twice changes nothing.
    """
    if not user.is_staff:
        raise DomainError(
            "Only site staff can be given the admin's screens. "
            "Mark the account as site staff first."
        )
    wanted = Q()
    for name in STAFF_VIEW_PERMISSIONS:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted))
    if len(permissions) != len(STAFF_VIEW_PERMISSIONS):
        # The permissions are created by migrate; a database without them is not set up yet.
        raise DomainError("The staff permissions do not exist yet. Run manage.py migrate first.")
    user.user_permissions.add(*permissions)
