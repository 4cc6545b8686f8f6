from django.apps import AppConfig


class AdvisoryConfig(AppConfig):
    """The advisory review rounds: the gate every proposal passes before a vote."""

    name = "advisory"
