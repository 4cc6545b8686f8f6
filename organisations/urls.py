from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("register/", views.organisation_register, name="register"),
    path("review/", views.review, name="review"),
    path(
        "editor-invitations/",
        views.editor_invitation_redeem,
        name="editor_invitation_redeem",
    ),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/editors/invite/", views.editor_invite, name="editor_invite"),
    path("<slug:slug>/editors/<int:pk>/remove/", views.editor_remove, name="editor_remove"),
    path("<slug:slug>/<str:decision>/", views.decide, name="decide"),
]
