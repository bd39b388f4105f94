from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("demande-de-compte/", views.account_request_create, name="request_create"),
    path("demande-de-compte/envoyee/", views.account_request_done, name="request_done"),
]
