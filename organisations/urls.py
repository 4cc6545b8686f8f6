from django.urls import path

from organisations import views
from proposals import views as proposal_views

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
    # Before "<slug>/<decision>/", which would take "proposals" for a decision.
    path("<slug:slug>/proposals/", proposal_views.organisation_dashboard, name="proposals"),
    path("<slug:slug>/<str:decision>/", views.decide, name="decide"),
]
