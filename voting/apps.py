from django.apps import AppConfig


class VotingConfig(AppConfig):
    """Secret, verifiable votes on proposals the advisory board let through."""

    name = "voting"
