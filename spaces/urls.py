from django.urls import path

from spaces import invitation_views, views

app_name = "spaces"

urlpatterns = [
    path("", views.space_list, name="list"),
    path("new/", views.space_create, name="create"),
    path(
        "invitations/redeem/",
        invitation_views.invitation_redeem_code,
        name="invitation_redeem_code",
    ),
    path(
        "invitations/<str:token>/",
        invitation_views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<str:token>/decline/",
        invitation_views.invitation_decline,
        name="invitation_decline",
    ),
    path("<slug:slug>/", views.space_detail, name="detail"),
    path("<slug:slug>/join/", views.join_request_create, name="join"),
    path("<slug:slug>/rulebook/", views.rulebook_change, name="rulebook"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/add/", views.member_add, name="member_add"),
    path("<slug:slug>/members/<int:pk>/end/", views.member_end, name="member_end"),
    path("<slug:slug>/members/<int:pk>/leave/start/", views.leave_start, name="leave_start"),
    path("<slug:slug>/members/<int:pk>/leave/end/", views.leave_end, name="leave_end"),
    path("<slug:slug>/invitations/new/", views.invitation_create, name="invitation_create"),
    path(
        "<slug:slug>/join-requests/<int:pk>/<str:decision>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
]
