from django.urls import path

from organisations import api

app_name = "organisations"

urlpatterns = [
    path("", api.OrganisationList.as_view(), name="list"),
    path("<slug:slug>/", api.OrganisationDetail.as_view(), name="detail"),
    path("<slug:slug>/approve/", api.OrganisationApprove.as_view(), name="approve"),
    path("<slug:slug>/reject/", api.OrganisationReject.as_view(), name="reject"),
    path("<slug:slug>/editors/", api.EditorList.as_view(), name="editors"),
    path("<slug:slug>/editors/<int:pk>/remove/", api.EditorRemove.as_view(), name="editor-remove"),
]
