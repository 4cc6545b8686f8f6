"""The advisory round's pages, mounted at the site's root: each round under its proposal
(spaces/<space_slug>/proposals/<pk>/rounds/<version>/…, by the number of the version it
reviews), and a board member's reviews waiting at reviews/waiting/."""

from django.urls import path

from advisory import views

app_name = "advisory"

ROUND = "spaces/<slug:space_slug>/proposals/<int:pk>/rounds/<int:version>/"

urlpatterns = [
    path(ROUND, views.round_detail, name="detail"),
    path(f"{ROUND}review/", views.review_form, name="review"),
    path(f"{ROUND}recuse/", views.recusal_form, name="recuse"),
    path(f"{ROUND}messages/", views.message_create, name="message"),
    path(f"{ROUND}response/", views.response_form, name="response"),
    path("reviews/waiting/", views.reviews_waiting, name="waiting"),
]
