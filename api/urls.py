from django.urls import include, path

from api.views import ApiRootView

app_name = "api"

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    # Each resource is an include(); the API root links every one of them.
    path("history/", include("history.api_urls")),
    path("organisations/", include("organisations.api_urls")),
    path("spaces/", include("spaces.api_urls")),
]
