from django.apps import AppConfig


class AdvisoryConfig(AppConfig):
    """The advisory review rounds: the gate every proposal passes before a vote."""

    name = "advisory"

    def ready(self) -> None:
        from advisory import hooks

        hooks.register()
        from advisory import membership_ending  # noqa: F401  (registers what an ending changes)
