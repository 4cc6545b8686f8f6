from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a newcomer's first look (``manage.py load_demo``)."""

    name = "demo"
