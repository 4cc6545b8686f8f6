"""The proposal pages of a space, mounted at spaces/<space_slug>/proposals/."""

from django.urls import path

from proposals import cosign_views, views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/preview/", views.proposal_preview, name="preview"),
    path("<int:pk>/submit/", views.proposal_submit, name="submit"),
    path("<int:pk>/cosign/", cosign_views.proposal_cosign, name="cosign"),
    path("<int:pk>/cosign/decline/", cosign_views.proposal_cosign_decline, name="cosign_decline"),
    path("<int:pk>/cosign-requests/", cosign_views.proposal_cosign_request, name="cosign_request"),
    path(
        "<int:pk>/cosign-requests/<uuid:person>/revoke/",
        cosign_views.proposal_cosign_request_revoke,
        name="cosign_request_revoke",
    ),
    path("<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:number>/", views.proposal_version, name="version"),
    path("<int:pk>/diff/", views.proposal_diff, name="diff"),
]
