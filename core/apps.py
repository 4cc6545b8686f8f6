from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        if settings.DEBUG and getattr(settings, "SITE_ERROR_PAGES", False):
            from core.error_pages import use_site_error_pages

            use_site_error_pages()
