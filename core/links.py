"""Absolute links to the site's own pages, for places with no request to build them from.

An e-mail is read away from the site, so every link in it is absolute; a task or the
sweep has no Host header. Both build their links here, from ``settings.SITE_URL``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``SITE_URL`` followed by ``path`` (a site path such as ``/spaces/northside/``, from
    ``reverse()`` or ``get_absolute_url()``).

    An absolute address (from a request's ``build_absolute_uri``) keeps only its path,
    query and fragment, so a link never names a host other than ``SITE_URL``, whatever
    Host header the request that caused it carried.
    """
    parts = urlsplit(path)
    rest = parts.path or "/"
    if not rest.startswith("/"):
        raise ValueError(f"A site path starts with '/'; got {path!r}.")
    if parts.query:
        rest += "?" + parts.query
    if parts.fragment:
        rest += "#" + parts.fragment
    return settings.SITE_URL + rest


def with_link(text: str, path: str) -> str:
    """An e-mail body: ``text``, then a line with the absolute link to ``path``. Call it
    where the body is written (inside the function given to ``notify``), so the line is in
    the recipient's language."""
    from django.utils.translation import gettext

    return text + "\n\n" + gettext("On the site: %(link)s") % {"link": absolute_url(path)}
