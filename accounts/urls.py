"""The account page, under /account/."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("name/", views.public_name, name="public_name"),
    path("language/", views.language, name="language"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/revoke/", views.token_revoke, name="token_revoke"),
    path("data.json", views.data_download, name="data"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("delete/", views.delete, name="delete"),
]
