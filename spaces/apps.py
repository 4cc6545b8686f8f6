from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "spaces"
    verbose_name = _("Decision spaces")

    def ready(self) -> None:
        from spaces import hooks

        hooks.register()
        from accounts.signals import account_deleted
        from spaces import export  # noqa: F401  (registers the data-download sections)
        from spaces.receivers import end_memberships_of_departing_person

        account_deleted.connect(
            end_memberships_of_departing_person, dispatch_uid="spaces.end_memberships"
        )
