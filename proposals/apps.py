from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    """Program proposals, their versions and their lifecycle."""

    name = "proposals"
