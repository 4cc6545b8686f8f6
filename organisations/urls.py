from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("register/", views.organisation_register, name="register"),
    path("review/", views.review, name="review"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/editors/add/", views.editor_add, name="editor_add"),
    path("<slug:slug>/editors/<int:pk>/remove/", views.editor_remove, name="editor_remove"),
    path("<slug:slug>/<str:decision>/", views.decide, name="decide"),
]
