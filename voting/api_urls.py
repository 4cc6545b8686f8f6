"""A proposal's vote in the API, mounted at /api/v1/spaces/<space_slug>/proposals/<pk>/vote/
(the same address as the ballot page, under the API)."""

from django.urls import path

from voting import api

app_name = "voting"

urlpatterns = [
    path("", api.VoteDetail.as_view(), name="vote"),
    path("ballot/", api.BallotView.as_view(), name="ballot"),
    path("opening/", api.Opening.as_view(), name="opening"),
    path("receipts.csv", api.ReceiptsList.as_view(), name="receipts"),
    path("result.json", api.ResultDocument.as_view(), name="result"),
    path("receipt-check/", api.ReceiptCheck.as_view(), name="receipt-check"),
]
