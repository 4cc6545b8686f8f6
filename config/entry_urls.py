"""Ways in without an e-mail address, beside allauth's pages under /accounts/: joining
with a facilitator's code (the spaces app's page) and recovering with a code (the
accounts app's)."""

from django.urls import path

from accounts import views as account_views
from spaces import join_views

app_name = "accounts_entry"

urlpatterns = [
    path("join/", join_views.join, name="join"),
    path("recover/", account_views.recover, name="recover"),
]
