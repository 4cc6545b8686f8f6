"""The site speaks English and Spanish; a visitor's choice is remembered."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.pages.support import Page

pytestmark = pytest.mark.django_db

SPANISH_LEAD = "Las personas que usan drogas"
LOCALE = Path(settings.BASE_DIR) / "locale"


def test_a_browser_asking_for_spanish_gets_the_home_page_in_spanish() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="es")

    page = Page(response.content.decode())
    assert page.find("html") == {"lang": "es"}
    assert SPANISH_LEAD in page.text
    assert "Salida rápida" in page.text
    assert response["Content-Language"] == "es"


def test_choosing_spanish_with_the_switcher_sets_the_language_for_later_pages() -> None:
    """POST to set_language (with its CSRF token) stores the choice in a cookie and
    returns to the page the visitor was on."""
    client = Client(enforce_csrf_checks=True)
    home = Page(client.get("/").content.decode())
    token = home.find("input", name="csrfmiddlewaretoken")["value"]

    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert SPANISH_LEAD in Page(client.get("/").content.decode()).text


def test_the_language_cookie_wins_over_the_browser_setting() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    text = Page(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()).text

    assert SPANISH_LEAD in text


def test_an_unknown_language_falls_back_to_english() -> None:
    text = Page(Client().get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()).text

    assert "People who use drugs" in text


def test_the_spanish_catalogue_is_complete_and_compiled() -> None:
    """Every message in locale/es has a Spanish translation, none is fuzzy, and the
    checked-in .mo file (CI may lack gettext) says exactly what the .po file says."""
    po = read_po(LOCALE / "es" / "LC_MESSAGES" / "django.po")
    with (LOCALE / "es" / "LC_MESSAGES" / "django.mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)

    assert len(po) > 50
    for msgid, (msgstrs, fuzzy) in po.items():
        assert not fuzzy, msgid
        assert all(msgstrs), f"untranslated: {msgid}"
        if isinstance(msgid, tuple):
            assert compiled.ngettext(msgid[0], msgid[1], 1) == msgstrs[0], msgid
        else:
            assert compiled.gettext(msgid) == msgstrs[0], msgid


def test_the_english_catalogue_is_compiled() -> None:
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.mo").is_file()
    assert read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")


def read_po(path: Path) -> dict[str | tuple[str, str], tuple[list[str], bool]]:
    """A .po file's entries: msgid (or singular and plural) -> (msgstrs, fuzzy). A msgid
    with a context is keyed "context\x04msgid", as in the compiled catalogue.

    Just enough of the format for the files makemessages writes; obsolete entries
    (#~) and the header are left out.
    """
    entries: dict[str | tuple[str, str], tuple[list[str], bool]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                fields[key] = ast.literal_eval(value)
        if not fields.get("msgid"):
            continue
        if "msgctxt" in fields:  # as compiled catalogues key it: context, EOT, msgid
            fields["msgid"] = f"{fields['msgctxt']}\x04{fields['msgid']}"
        if "msgid_plural" in fields:
            plural = [fields[k] for k in sorted(fields) if k.startswith("msgstr[")]
            entries[(fields["msgid"], fields["msgid_plural"])] = (plural, fuzzy)
        else:
            entries[fields["msgid"]] = ([fields["msgstr"]], fuzzy)
    return entries
