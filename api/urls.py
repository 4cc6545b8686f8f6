from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("history/", include("history.api_urls")),
]
