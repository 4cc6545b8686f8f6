from django.apps import AppConfig


class VotingConfig(AppConfig):
    """Secret, verifiable votes on proposals the advisory board let through."""

    name = "voting"

    def ready(self) -> None:
        from voting import hooks

        hooks.register()
        from voting import membership_ending  # noqa: F401  (registers what an ending changes)
