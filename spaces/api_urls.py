from django.urls import path

from spaces import api, invitation_api, membership_api

app_name = "spaces"

urlpatterns = [
    path("", api.SpaceList.as_view(), name="list"),
    path(
        "invitations/redeem/",
        invitation_api.InvitationRedeemCode.as_view(),
        name="invitation-redeem",
    ),
    path(
        "invitations/accept/", invitation_api.InvitationAccept.as_view(), name="invitation-accept"
    ),
    path(
        "invitations/decline/",
        invitation_api.InvitationDecline.as_view(),
        name="invitation-decline",
    ),
    path("<slug:slug>/", api.SpaceDetail.as_view(), name="detail"),
    path("<slug:slug>/rulebook/", api.RulebookView.as_view(), name="rulebook"),
    path("<slug:slug>/memberships/", membership_api.MembershipList.as_view(), name="memberships"),
    path(
        "<slug:slug>/memberships/<int:pk>/end/",
        membership_api.MembershipEnd.as_view(),
        name="membership-end",
    ),
    path(
        "<slug:slug>/memberships/<int:pk>/leave/start/",
        membership_api.LeaveStart.as_view(),
        name="leave-start",
    ),
    path(
        "<slug:slug>/memberships/<int:pk>/leave/end/",
        membership_api.LeaveEnd.as_view(),
        name="leave-end",
    ),
    path("<slug:slug>/invitations/", membership_api.InvitationList.as_view(), name="invitations"),
    path(
        "<slug:slug>/join-requests/", membership_api.JoinRequestList.as_view(), name="join-requests"
    ),
    path(
        "<slug:slug>/join-requests/<int:pk>/approve/",
        membership_api.JoinRequestDecide.as_view(approve=True),
        name="join-request-approve",
    ),
    path(
        "<slug:slug>/join-requests/<int:pk>/decline/",
        membership_api.JoinRequestDecide.as_view(approve=False),
        name="join-request-decline",
    ),
]
