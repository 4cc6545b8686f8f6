from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from core.clock import install_sqlite_clock

        connection_created.connect(install_sqlite_clock, dispatch_uid="core.clock")
        if settings.DEBUG and getattr(settings, "SITE_ERROR_PAGES", False):
            from core.error_pages import use_site_error_pages

            use_site_error_pages()
