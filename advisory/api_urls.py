"""A proposal's advisory review rounds in the API, mounted at
/api/v1/spaces/<space_slug>/proposals/<pk>/rounds/; a round is addressed by the number
of the version it reviews."""

from django.urls import path

from advisory import api

app_name = "advisory"

urlpatterns = [
    path("", api.RoundList.as_view(), name="rounds"),
    path("<int:version>/", api.RoundDetail.as_view(), name="round"),
    path("<int:version>/review/", api.OwnReview.as_view(), name="review"),
    path("<int:version>/recusal/", api.Recusal.as_view(), name="recusal"),
    path("<int:version>/messages/", api.MessageList.as_view(), name="messages"),
    path("<int:version>/response/", api.ResponseView.as_view(), name="response"),
]
