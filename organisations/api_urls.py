from django.urls import path

from organisations import api

app_name = "organisations"

urlpatterns = [
    path("", api.OrganisationList.as_view(), name="list"),
    path(
        "editor-invitations/redeem/",
        api.EditorInvitationRedeem.as_view(),
        name="editor-invitation-redeem",
    ),
    path("<slug:slug>/", api.OrganisationDetail.as_view(), name="detail"),
    path("<slug:slug>/approve/", api.OrganisationApprove.as_view(), name="approve"),
    path("<slug:slug>/reject/", api.OrganisationReject.as_view(), name="reject"),
    path("<slug:slug>/editors/", api.EditorList.as_view(), name="editors"),
    path(
        "<slug:slug>/editor-invitations/",
        api.EditorInvitationCreate.as_view(),
        name="editor-invitations",
    ),
    path("<slug:slug>/editors/<int:pk>/remove/", api.EditorRemove.as_view(), name="editor-remove"),
]
