"""How allauth fits Real Voice: public names at sign-up, and no raw addresses anywhere."""

from __future__ import annotations

import ipaddress
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils import translation
from django.utils.crypto import salted_hmac

from accounts.languages import current_language
from accounts.models import User
from core.links import absolute_url

# IPv6 visitors get a whole /64 each (as allauth does), so one visitor cannot dodge a
# rate limit by hopping addresses inside their own network.
IPV6_PREFIX = 64


def hashed_client_address(address: str) -> str:
    """A keyed hash of a client address: a stable key for rate-limit counters that is not
    an address (the cache holds no IP, and nothing can turn it back into one)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        pass
    else:
        if parsed.version == 6:
            address = str(
                ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address
            )
    return "client-" + salted_hmac("realvoice.accounts.client", address).hexdigest()[:32]


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """Sign-up: the public name chosen on the form, besides allauth's own fields."""
        user.public_name = form.cleaned_data["public_name"]
        # E-mails to the person are written in the language they signed up in.
        user.language = current_language()
        return super().save_user(request, user, form, commit=commit)

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Sign-in names are kept in lower case, from sign-up and from joining with a code
        alike (both clean through here), so "Tee" and "tee" are one name: the database's
        unique constraint then catches two people taking it at the same moment. Signing in
        matches names without regard to case, so older mixed-case names still work."""
        return str(super().clean_username(username, shallow=shallow)).lower()

    # Failed sign-ins count per sign-in name and client together (allauth's "login_failed",
    # 5 in 5 minutes per key), so whoever knows a name cannot lock its owner out from
    # elsewhere. Per name alone a looser limit counts ("sign_in_name"); past it, each client
    # may try that name once per "sign_in_name_slowed" interval: slowed, never blocked.
    # The second factor keeps allauth's own limit, per person.

    def _sign_in_name_key(self, request: HttpRequest, **credentials: Any) -> str:
        """A keyed hash of the site and sign-in name: the counters hold no name that a
        list of guesses could find."""
        name = super()._get_login_attempts_cache_key(request, **credentials)
        return "name-" + salted_hmac("realvoice.accounts.sign_in_name", name).hexdigest()[:32]

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        name = self._sign_in_name_key(request, **credentials)
        return f"{name}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        name = self._sign_in_name_key(request, **credentials)
        self._sign_in_name_usage = ratelimit.consume(
            request, app="allauth.account", action="sign_in_name", key=name
        )
        if self._sign_in_name_usage is None and not ratelimit.consume(
            request,
            app="allauth.account",
            action="sign_in_name_slowed",
            key=self._get_login_attempts_cache_key(request, **credentials),
        ):
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self) -> None:
        """A successful sign-in (or one refused by the slowed limit) takes back what it
        counted, never more: periodic successes cannot reset a guesser's count."""
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_sign_in_name_usage", None)
        if usage:
            usage.rollback()

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address (from X-Forwarded-For only behind ALLAUTH_TRUSTED_PROXY_COUNT
        proxies, else REMOTE_ADDR), as a keyed hash: allauth keys its rate limits on it."""
        return hashed_client_address(super().get_client_ip(request))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every account e-mail (confirmation, password reset, notices of changes, the
        second factor's) goes through the outbox like any notification: an SMTP failure is
        retried, never lost, and a rolled-back change sends nothing. It is written in the
        account's language (the visitor's, for an address with no account), and its links
        start with SITE_URL, whatever Host the request that caused it carried."""
        from notifications.services import language_of, notify_address

        request = allauth_context.request
        ctx: dict[str, Any] = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        for key, value in list(ctx.items()):
            if key.endswith("_url") and isinstance(value, str) and value:
                ctx[key] = absolute_url(value)
        user = ctx.get("user")
        if not isinstance(user, User):
            user = _account_of(email)
        language = language_of(user)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        name = template_prefix.rsplit("/", 1)[-1]
        notify_address(
            address=email,
            recipient=user,
            language=language,
            kind=f"account.{name}"[:50],
            subject=str(message.subject),
            body=str(message.body),
            # Every account e-mail holds a link or code that signs in, confirms an address
            # or sets a password, or names e-mail addresses ("an account already exists
            # for …", "your address changed from … to …"): the outbox neither shows its
            # body to staff nor keeps it once sent (notifications/services.py).
            holds_secret=True,
        )


def _account_of(email: str) -> User | None:
    """The account an address belongs to, if any (allauth keeps every address of an
    account, confirmed or not)."""
    from allauth.account.models import EmailAddress

    found = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if found is not None:
        return found.user
    return User.objects.filter(email__iexact=email).first()
