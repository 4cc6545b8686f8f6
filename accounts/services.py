"""Every change to a person's account: create, staff rights, name, tokens, recovery,
two-factor, delete."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from knox.models import AuthToken

from accounts.authority import Actor
from accounts.languages import current_language, supported_language
from accounts.models import AccountRecoveryCode, PersonalTokenName, User
from accounts.signals import account_deleted
from core.errors import Conflict, DomainError, NotPermitted
from core.links import with_link
from core.rules import sign_in_first

PUBLIC_NAME_MAX_LENGTH = 80
TOKEN_NAME_MAX_LENGTH = 80
MAX_PERSONAL_TOKENS = 20
RECOVERY_CODE_COUNT = 10
# 16 characters from 32 (no 0/o, 1/l/i): 80 random bits per code, shown in groups of 4.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# What a deleted account's row shows; pages show display_name(), "former member".
DELETED_PUBLIC_NAME = "former member"
MFA_RESET_SUBJECT = gettext_lazy("Your Real Voice account")

# What site staff look at in the admin: the decision history and the e-mail outbox. Both
# admin screens are read-only, so these permissions allow looking and nothing else.
STAFF_VIEW_PERMISSIONS = (
    "history.view_event",
    "notifications.view_notification",
    "proposals.view_proposal",
    "proposals.view_proposalversion",
    "proposals.view_proposalcosigner",
)
# The group ``staff_grant`` puts site staff in; it holds exactly STAFF_VIEW_PERMISSIONS.
STAFF_GROUP = "Site staff"


@transaction.atomic
def user_create(
    *,
    username: str,
    public_name: str,
    password: str | None,
    email: str | None = None,
    email_verified: bool = False,
    is_staff: bool = False,
    language: str | None = None,
) -> User:
    """Create an account. The e-mail is optional: people may join with a facilitator's code.

    A given address is also recorded as the account's primary address for sign-in
    (allauth's EmailAddress), verified only when the caller already knows it is the
    person's (``email_verified``); otherwise signing in asks to confirm it first. Without
    a password (None) the account cannot sign in until one is set.

    Site staff get the admin through ``is_staff`` and the permissions they are given
    (``staff_grant``, logged; the demo's ``user_grant_staff_views``), never through
    superuser status: a superuser passes every permission check, including those no role
    may pass, such as seeing how anyone voted.

    ``language`` (the one e-mails to the person are written in) defaults to the one the
    site is shown in now: the visitor's, when they join with a code.
    """
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        username=username,
        public_name=public_name,
        email=email,
        password=password,
        is_staff=is_staff,
        language=supported_language(language) if language else current_language(),
    )
    if user.email:
        EmailAddress.objects.create(
            user=user, email=user.email, primary=True, verified=email_verified
        )
    return user


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
    user.user_permissions.add(*_staff_view_permissions())


def _staff_view_permissions() -> list[Permission]:
    wanted = Q()
    for name in STAFF_VIEW_PERMISSIONS:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted))
    if len(permissions) != len(STAFF_VIEW_PERMISSIONS):
        # The permissions are created by migrate; a database without them is not set up yet.
        raise DomainError("The staff permissions do not exist yet. Run manage.py migrate first.")
    return permissions


# --- Site staff ----------------------------------------------------------------------------
# Run from the server (``manage.py staff``), so the events name no actor: the system acts.
# The messages are for the operator at the server and stay in English, as migrate's do.


@transaction.atomic
def staff_group_ensure() -> Group:
    """The "Site staff" group, made if missing, holding exactly ``STAFF_VIEW_PERMISSIONS``."""
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(_staff_view_permissions())
    return group


@transaction.atomic
def staff_grant(*, person: User) -> User:
    """Make ``person`` site staff: ``is_staff`` and the "Site staff" group, whose
    permissions let them look at the admin's read-only screens and nothing else.

    Never superuser status. Refused, with nothing written, for a closed account and for
    someone already site staff. Appends ``account.staff_granted`` (the person as subject,
    the permissions granted as content) in the same transaction. Opening the admin then
    still needs the person's own second factor.
    """
    from history.services import append

    person = User.objects.select_for_update().get(pk=person.pk)
    if person.deleted_at is not None or not person.is_active:
        raise Conflict("This account is closed; it cannot be made site staff.")
    if person.is_staff or person.is_superuser:
        raise Conflict("This person is already site staff.")
    group = staff_group_ensure()
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person.groups.add(group)
    append(
        kind="account.staff_granted",
        actor=None,
        actor_role="system",
        subject=person,
        data={"group": STAFF_GROUP, "permissions": sorted(STAFF_VIEW_PERMISSIONS)},
    )
    return person


@transaction.atomic
def staff_revoke(*, person: User) -> User:
    """Take every admin right from ``person``: site staff and superuser status, groups and
    permissions given directly. Powers that come from memberships (a facilitator's) stay.

    Refused, with nothing written, for someone who is neither site staff nor superuser.
    Appends ``account.staff_revoked`` (the person as subject; whether they were a
    superuser) in the same transaction.
    """
    from history.services import append

    person = User.objects.select_for_update().get(pk=person.pk)
    if not (person.is_staff or person.is_superuser):
        raise Conflict("This person is not site staff.")
    was_superuser = person.is_superuser
    person.is_staff = False
    person.is_superuser = False
    person.save(update_fields=["is_staff", "is_superuser"])
    person.groups.clear()
    person.user_permissions.clear()
    append(
        kind="account.staff_revoked",
        actor=None,
        actor_role="system",
        subject=person,
        data={"superuser": was_superuser},
    )
    return person


# --- Public name ---------------------------------------------------------------------------


def _one_line(text: str, *, limit: int, empty: str, too_long: str) -> str:
    """``text`` with each run of white space made one space; refused with the message
    ``empty`` when nothing is left, ``too_long`` when longer than ``limit``."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise DomainError(empty)
    if len(cleaned) > limit:
        raise DomainError(too_long)
    return cleaned


def account_closed() -> str:
    """The refusal of an action on an account that is closed (deleted or inactive)."""
    return _("This account is closed.")


def public_name_missing() -> str:
    return _("Choose a public name. It can be any name you like.")


def _clean_public_name(public_name: str) -> str:
    return _one_line(
        public_name,
        limit=PUBLIC_NAME_MAX_LENGTH,
        empty=public_name_missing(),
        too_long=_("A public name can be at most %(max)d characters long.")
        % {"max": PUBLIC_NAME_MAX_LENGTH},
    )


def _signed_in(actor: Actor) -> User:
    if actor.user is None or not actor.user.is_active or actor.user.deleted_at is not None:
        raise NotPermitted(sign_in_first())
    return actor.user


@transaction.atomic
def account_set_public_name(*, actor: Actor, public_name: str) -> User:
    """Change the signed-in person's public name (spaces collapsed, 1 to 80 characters).

    Pages look names up when they show them, so the new name shows everywhere at once.
    """
    user = _signed_in(actor)
    user.public_name = _clean_public_name(public_name)
    user.save(update_fields=["public_name"])
    return user


@transaction.atomic
def account_set_language(*, actor: Actor, language: str) -> User:
    """Change the language every e-mail to the signed-in person is written in (one of
    ``settings.LANGUAGES``). E-mails already written keep theirs."""
    user = _signed_in(actor)
    known = {code for code, _name in settings.LANGUAGES}
    if language not in known:
        raise DomainError(
            _("Choose one of the site's languages: %(languages)s.")
            % {"languages": ", ".join(sorted(known))},
            code="invalid",
        )
    user.language = language
    user.save(update_fields=["language"])
    return user


# --- Personal API tokens -------------------------------------------------------------------


@transaction.atomic
def token_create(*, actor: Actor, name: str) -> tuple[AuthToken, str]:
    """Create a personal API token for the signed-in person; return the row and the token.

    The token itself exists only in the return value (knox stores a digest): show it once.
    Needs a browser session: a token cannot make more tokens. At most 20 per person. It
    expires ``PERSONAL_TOKEN_DAYS`` days after it is made.
    """
    user = _signed_in(actor)
    if actor.via_token:
        raise NotPermitted(
            _("Personal API tokens are created on your account page, not through the API.")
        )
    name = _one_line(
        name,
        limit=TOKEN_NAME_MAX_LENGTH,
        empty=_("Give the token a name, so you can tell your tokens apart."),
        too_long=_("A token name can be at most %(max)d characters long.")
        % {"max": TOKEN_NAME_MAX_LENGTH},
    )
    User.objects.select_for_update().filter(pk=user.pk).first()  # count under a lock
    if AuthToken.objects.filter(user=user).count() >= MAX_PERSONAL_TOKENS:
        raise Conflict(
            _("You have %(max)d tokens already. Revoke one you no longer use first.")
            % {"max": MAX_PERSONAL_TOKENS}
        )
    token, secret = AuthToken.objects.create(
        user=user, expiry=timedelta(days=settings.PERSONAL_TOKEN_DAYS)
    )
    PersonalTokenName.objects.create(token=token, name=name)
    return token, secret


@transaction.atomic
def token_revoke(*, actor: Actor, token_key: str) -> None:
    """Revoke one of the signed-in person's own tokens (found by its visible start).

    Someone else's token, or one already revoked, is "not found": the refusal does not
    tell whether a token exists.
    """
    user = _signed_in(actor)
    deleted, _rows = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    if not deleted:
        raise DomainError(_("There is no such token on your account. It may be revoked already."))


# --- Account recovery codes (for people without an e-mail address) -------------------------


def _recovery_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(f"realvoice.recovery:{normalised}".encode()).hexdigest()


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Issue 10 new single-use account recovery codes; earlier unused ones stop working.

    Only hashes are stored; the codes exist in the return value, to be shown once. Each
    has 80 random bits, so a plain SHA-256 cannot be reversed by trying codes.
    """
    if user.deleted_at is not None or not user.is_active:
        raise Conflict(account_closed())
    AccountRecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(16))
        codes.append("-".join(raw[k : k + 4] for k in range(0, 16, 4)))
    AccountRecoveryCode.objects.bulk_create(
        AccountRecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def account_recover_with_code(*, username: str, code: str, new_password: str) -> User:
    """Set a new password with the sign-in name and one unused recovery code.

    The code is used up in the same transaction (a guarded update: two requests with the
    same code cannot both succeed). The new password is checked first, without the account
    (a stand-in with the typed name), and every mismatch gets the same message, so no
    answer tells whether the sign-in name exists.
    """
    mismatch = DomainError(
        _("That sign-in name and recovery code do not match. Check both and try again.")
    )
    username = username.strip()
    # The password is judged before the name is looked up, against a stand-in with the
    # typed name: a weak password gets the same answer whether the account exists or not.
    try:
        validate_password(new_password, User(username=username))
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    user = User.objects.filter(
        username__iexact=username, is_active=True, deleted_at__isnull=True
    ).first()
    if user is None:
        raise mismatch
    used = AccountRecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if used != 1:
        raise mismatch
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


# --- Two-factor reset by site staff --------------------------------------------------------


@transaction.atomic
def mfa_reset_by_staff(*, actor: Actor, person: User, reason: str) -> int:
    """Remove every second factor of ``person`` who lost theirs; return how many went.

    Only site staff whose session passed a second factor and who confirmed it recently.
    Staff cannot reset their own. Appends ``account.mfa_reset`` (with the reason) and tells
    the person by e-mail, all in one transaction.
    """
    from allauth.mfa.models import Authenticator

    from history.services import append
    from notifications.services import notify

    staff = actor.user
    if staff is None or not staff.is_staff or not staff.is_active:
        raise NotPermitted(_("Only site staff can reset someone's two-factor authentication."))
    if not actor.can_use_powers:
        raise NotPermitted(
            _("Sign in with your own second factor (authenticator app) to reset someone else's.")
        )
    if not actor.recently_authenticated:
        raise NotPermitted(_("Confirm it is you again (sign in again), then reset it."))
    if person.pk == staff.pk:
        raise NotPermitted(
            _("You cannot reset your own two-factor authentication; ask another staff member.")
        )
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError(_("Say why you reset it (for example, how you checked who asked)."))
    if person.deleted_at is not None:
        raise Conflict(account_closed())
    authenticators = Authenticator.objects.select_for_update().filter(user=person)
    count = len(authenticators)
    if count == 0:
        raise Conflict(_("This person has no two-factor authentication to reset."))
    authenticators.delete()
    notify(
        recipient=person,
        kind="account-mfa-reset",
        subject=MFA_RESET_SUBJECT,
        body=lambda: with_link(
            _(
                "Hello,\n\nSite staff removed the two-factor authentication from your account, "
                "as you asked. You can sign in with your password now, and set up two-factor "
                "authentication again on your account page.\n\nIf you did not ask for this, "
                "please reply to this message or contact the site staff."
            ),
            reverse("accounts:account"),
        ),
    )
    append(
        kind="account.mfa_reset",
        actor=staff,
        actor_role="staff",
        subject=person,
        data={"reason": reason},
    )
    return count


# --- Deleting an account -------------------------------------------------------------------


@transaction.atomic
def account_delete(*, actor: Actor) -> User:
    """Close the signed-in person's account for good.

    Keeps the row (memberships and the history refer to it) but removes everything that
    identifies the person or lets anyone sign in as them: e-mail addresses, sign-in name,
    public name (pages show "former member"), password, second factors, recovery codes,
    API tokens and pending e-mail. Other sessions end because the password changed (Django
    checks a hash of it on each request) and the account is inactive. Sends
    ``accounts.signals.account_deleted`` inside the transaction, so apps end what belongs
    to the person (memberships) in it too, then appends ``account.deleted``.

    Needs a browser session confirmed within the last few minutes.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from history.services import append
    from notifications.models import Notification

    user = _signed_in(actor)
    if actor.via_token:
        raise NotPermitted(_("An account can be deleted only on its account page."))
    if not actor.recently_authenticated:
        raise NotPermitted(_("Confirm it is you (enter your password again), then delete it."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        raise Conflict(_("This account is already deleted."))

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    AccountRecoveryCode.objects.filter(user=user).delete()
    AuthToken.objects.filter(user=user).delete()
    Notification.objects.pending().filter(recipient=user).delete()
    user.user_permissions.clear()
    user.groups.clear()

    user.deleted_at = timezone.now()
    user.email = None
    user.username = f"deleted-{uuid.uuid4().hex}"
    user.public_name = DELETED_PUBLIC_NAME
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.save(
        update_fields=[
            "deleted_at",
            "email",
            "username",
            "public_name",
            "password",
            "is_active",
            "is_staff",
        ]
    )
    account_deleted.send(sender=User, user=user, actor=actor)
    append(
        kind="account.deleted",
        actor=user,
        actor_role="member",
        subject=user,
        data={},
        actor_shown=False,
    )
    return user
