"""Joining with a facilitator's code, for people without an e-mail address
(``/accounts/join/``): the code is a space's invitation, so the spaces app owns the page;
it makes the account through the accounts app's services and redeems the invitation in
the same transaction."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import JoinAccountForm, JoinCodeForm
from accounts.models import User
from core.errors import DomainError
from core.views import too_many_tries
from spaces.models import Invitation
from spaces.selectors import code_not_known, invitation_check_code
from spaces.services import invitation_redeem

# Between the two steps the session holds the invitation's id, never the code itself: a
# session store (or a stolen session) must not yield a code someone else could redeem.
JOIN_INVITATION_SESSION_KEY = "accounts_join_invitation"
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
USERNAME_TAKEN = "username_taken"


def _rate_limited(request: HttpRequest, action: str) -> bool:
    return not ratelimit.consume(request, action=action)


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Step 1: the code. Step 2: public name, sign-in name, password. Then the recovery
    codes, once. The code is checked again when the account is made."""
    if request.user.is_authenticated:
        # Someone with an account uses a space's code there, signed in.
        messages.info(request, _("You are signed in already."))
        return redirect("spaces:invitation_redeem_code")
    invitation_id = request.session.get(JOIN_INVITATION_SESSION_KEY)
    if request.method == "POST" and "code" in request.POST:
        code_form = JoinCodeForm(request.POST)
        if _rate_limited(request, "join"):
            # Before the code is looked up: a blocked try learns nothing and uses nothing.
            code_form.add_error(None, too_many_tries())
            return render(request, "accounts/join_code.html", {"form": code_form}, status=429)
        if code_form.is_valid():
            try:
                invitation = _check_code(code_form.cleaned_data["code"])
            except DomainError as error:
                code_form.add_error("code", error.message)
            else:
                request.session[JOIN_INVITATION_SESSION_KEY] = invitation.pk
                return redirect("accounts_entry:join")
        return render(request, "accounts/join_code.html", {"form": code_form}, status=400)
    if not invitation_id:
        return render(request, "accounts/join_code.html", {"form": JoinCodeForm()})

    form = JoinAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, codes = _join(invitation_id=invitation_id, data=form.cleaned_data)
        except DomainError as error:
            form.add_error("username" if error.code == USERNAME_TAKEN else None, error.message)
        else:
            del request.session[JOIN_INVITATION_SESSION_KEY]
            login(request, user, backend=ALLAUTH_BACKEND)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "joined": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/join_account.html", {"form": form}, status=status)


def _check_code(code: str) -> Invitation:
    return invitation_check_code(code=code.strip())


@transaction.atomic
def _join(*, invitation_id: int, data: dict[str, str]) -> tuple[User, list[str]]:
    """The account, the membership and the recovery codes, in one transaction.

    The invitation is checked again when it is redeemed (locked: used or expired
    meanwhile is refused). A sign-in name taken meanwhile by someone joining at the same
    moment is a form error, not a crash: the database's unique constraint decides."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    invitation = Invitation.objects.filter(pk=invitation_id, kind=Invitation.Kind.CODE).first()
    if invitation is None:
        raise DomainError(code_not_known())
    try:
        validate_password(
            data["password1"], User(username=data["username"], public_name=data["public_name"])
        )
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    try:
        with transaction.atomic():  # a savepoint: the failed INSERT leaves the rest usable
            user = services.user_create(
                username=data["username"],
                public_name=data["public_name"],
                password=data["password1"],
                email=None,
            )
    except IntegrityError:
        raise DomainError(
            _("This sign-in name is taken. Choose another one."), code=USERNAME_TAKEN
        ) from None
    invitation_redeem(invitation=invitation, user=user)
    return user, services.recovery_codes_issue(user=user)
