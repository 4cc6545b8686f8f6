"""core.links builds every absolute link the site writes outside a request from SITE_URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from core.links import absolute_url, with_link


def test_a_path_gets_site_url_in_front(settings: Any) -> None:
    settings.SITE_URL = "https://vote.example.org"

    assert absolute_url("/spaces/northside/") == "https://vote.example.org/spaces/northside/"
    assert absolute_url("/a/?b=1#c") == "https://vote.example.org/a/?b=1#c"


def test_an_address_from_a_request_keeps_its_path_and_never_its_host(settings: Any) -> None:
    settings.SITE_URL = "https://vote.example.org"

    assert absolute_url("http://evil.example/accounts/password/reset/key/x/") == (
        "https://vote.example.org/accounts/password/reset/key/x/"
    )


def test_a_path_that_is_not_a_site_path_is_refused() -> None:
    with pytest.raises(ValueError, match="starts with '/'"):
        absolute_url("spaces/northside/")


def test_the_link_line_is_in_the_language_active_where_the_body_is_written(
    settings: Any,
) -> None:
    settings.SITE_URL = "https://vote.example.org"

    with translation.override("es"):
        body = with_link("Hola.", "/account/")

    assert body == "Hola.\n\nEn el sitio: https://vote.example.org/account/"
