"""The API's URL root, /api/v1/: the glue that mounts every app's API beside the API's
own conventions (``api`` holds those and imports no app)."""

from django.urls import include, path

from accounts.api import AccountView
from advisory.api import AdvisoryIndex, ReviewsWaiting
from api.views import ApiRootView
from pages.api import Home, Me
from proposals.api import ProposalsIndex, TextCheck
from proposals.organisation_pages import OrganisationProposalList
from voting.api import OpenVotes, VotingIndex

app_name = "api"

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    # The signed-in person's own account (public name, language of their e-mails).
    path("account/", AccountView.as_view(), name="account"),
    # The home page and the caller's own page.
    path("home/", Home.as_view(), name="home"),
    path("me/", Me.as_view(), name="me"),
    # Each resource is an include(); the API root links every one of them.
    path("history/", include("history.api_urls")),
    # An organisation's proposals, in every space (the proposals app's).
    path(
        "organisations/<slug:slug>/proposals/",
        OrganisationProposalList.as_view(),
        name="organisation-proposals",
    ),
    path("organisations/", include("organisations.api_urls")),
    path("spaces/", include("spaces.api_urls")),
    # A space's proposals; the root links them through the proposals index below.
    path("spaces/<slug:space_slug>/proposals/", include("proposals.api_urls")),
    path("proposals/", ProposalsIndex.as_view(), name="proposals-index"),
    path("proposals/check/", TextCheck.as_view(), name="proposals-check"),
    # A proposal's advisory review rounds; the root links them through the advisory index.
    path("spaces/<slug:space_slug>/proposals/<int:pk>/rounds/", include("advisory.api_urls")),
    path("advisory/", AdvisoryIndex.as_view(), name="advisory-index"),
    path("reviews/waiting/", ReviewsWaiting.as_view(), name="reviews-waiting"),
    # A proposal's vote; the root links it through the voting index.
    path("spaces/<slug:space_slug>/proposals/<int:pk>/vote/", include("voting.api_urls")),
    path("votes/", VotingIndex.as_view(), name="voting-index"),
    path("votes/open/", OpenVotes.as_view(), name="votes-open"),
]
