"""A space's proposals in the API, mounted at /api/v1/spaces/<space_slug>/proposals/."""

from django.urls import path

from proposals import api, cosign_api, version_api

app_name = "proposals"

urlpatterns = [
    path("", api.ProposalList.as_view(), name="list"),
    path("<int:pk>/", api.ProposalDetail.as_view(), name="detail"),
    path("<int:pk>/submit/", api.ProposalSubmit.as_view(), name="submit"),
    path("<int:pk>/cosign/", cosign_api.ProposalCosign.as_view(), name="cosign"),
    path("<int:pk>/cosign/decline/", cosign_api.CosignDecline.as_view(), name="cosign-decline"),
    path(
        "<int:pk>/cosign-requests/", cosign_api.CosignRequestList.as_view(), name="cosign-requests"
    ),
    path(
        "<int:pk>/cosign-requests/<uuid:person>/",
        cosign_api.CosignRequestRevoke.as_view(),
        name="cosign-request",
    ),
    path(
        "<int:pk>/cosign-candidates/",
        cosign_api.CosignCandidates.as_view(),
        name="cosign-candidates",
    ),
    path("<int:pk>/withdraw/", api.ProposalWithdraw.as_view(), name="withdraw"),
    path("<int:pk>/versions/", version_api.VersionList.as_view(), name="versions"),
    path("<int:pk>/versions/<int:number>/", version_api.VersionDetail.as_view(), name="version"),
    path("<int:pk>/diff/", version_api.VersionDiff.as_view(), name="diff"),
]
