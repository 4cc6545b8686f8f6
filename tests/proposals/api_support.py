"""Clients and addresses for the proposals API tests."""

from __future__ import annotations

from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from proposals.models import Proposal
from tests.accounts.support import sign_in

LIST = "/api/v1/spaces/city/proposals/"


def client_for(user: User | None, *, token: bool = False) -> APIClient:
    """Anonymous for None; else signed in with a browser session, or with a personal
    token when ``token``."""
    client = APIClient()
    if user is None:
        return client
    if token:
        _row, key = AuthToken.objects.create(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    else:
        sign_in(client, user)
    return client


def url(proposal: Proposal, suffix: str = "") -> str:
    return f"{LIST}{proposal.pk}/{suffix}"
