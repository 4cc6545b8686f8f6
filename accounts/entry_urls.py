"""Ways in without an e-mail address, beside allauth's pages under /accounts/."""

from django.urls import path

from accounts import views

app_name = "accounts_entry"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("recover/", views.recover, name="recover"),
]
