"""The vote's pages, mounted at the site's root: each vote under its proposal
(spaces/<space_slug>/proposals/<pk>/vote/…), and a person's open votes at votes/open/."""

from django.urls import path

from voting import views

app_name = "voting"

VOTE = "spaces/<slug:space_slug>/proposals/<int:pk>/vote/"

urlpatterns = [
    path(VOTE, views.vote_detail, name="vote"),
    path(f"{VOTE}cast/", views.vote_cast, name="cast"),
    path(f"{VOTE}receipt/", views.receipt_download, name="receipt"),
    path(f"{VOTE}change/", views.vote_change, name="change"),
    path(f"{VOTE}open-earlier/", views.vote_bring_forward, name="bring_forward"),
    path(f"{VOTE}result/", views.vote_result, name="result"),
    path(f"{VOTE}result/check/", views.receipt_check, name="check"),
    path(f"{VOTE}receipts.csv", views.receipts_csv, name="receipts"),
    path(f"{VOTE}result.json", views.result_json, name="result_json"),
    path(f"{VOTE}record/", views.vote_record, name="record"),
    path("votes/open/", views.open_votes, name="open"),
]
