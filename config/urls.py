from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from proposals.feeds import SpaceProposalsFeed
from proposals.organisation_pages import organisation_dashboard

# The admin signs in through allauth, so its rate limits and second factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]


class FaviconRedirect(RedirectView):
    """/favicon.ico, which browsers ask for by habit, to the site's own icon (the pages
    link it from the base template). Not permanent: the icon's address has its hash."""

    permanent = False

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("", include("pages.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("accounts.urls")),
    # Joining by a facilitator's code and recovering without e-mail, beside allauth's pages.
    path("accounts/", include("config.entry_urls")),
    path("accounts/", include("allauth.urls")),
    # An organisation's proposals are the proposals app's page; before the organisations'
    # "<slug>/<decision>/", which would take "proposals" for a decision.
    path(
        "organisations/<slug:slug>/proposals/",
        organisation_dashboard,
        name="organisation-proposals",
    ),
    path("organisations/", include("organisations.urls")),
    path("spaces/<slug:space_slug>/proposals/", include("proposals.urls")),
    path("spaces/<slug:space_slug>/proposals/feed/", SpaceProposalsFeed(), name="proposals-feed"),
    # Advisory rounds under their proposals, and reviews/waiting/.
    path("", include("advisory.urls")),
    # Votes under their proposals, and votes/open/.
    path("", include("voting.urls")),
    path("spaces/", include("spaces.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
