"""How allauth fits Real Voice: public names at sign-up, and no raw addresses anywhere."""

from __future__ import annotations

import ipaddress
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

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
        return super().save_user(request, user, form, commit=commit)

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Sign-in names are kept in lower case, from sign-up and from joining with a code
        alike (both clean through here), so "Tee" and "tee" are one name: the database's
        unique constraint then catches two people taking it at the same moment. Signing in
        matches names without regard to case, so older mixed-case names still work."""
        return str(super().clean_username(username, shallow=shallow)).lower()

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address (from X-Forwarded-For only behind ALLAUTH_TRUSTED_PROXY_COUNT
        proxies, else REMOTE_ADDR), as a keyed hash: allauth keys its rate limits on it."""
        return hashed_client_address(super().get_client_ip(request))
