from django.urls import path

from history import api

app_name = "history"

urlpatterns = [
    path("", api.EventList.as_view(), name="event-list"),
    path("head/", api.ChainHeadView.as_view(), name="head"),
]
