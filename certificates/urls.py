from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.register, name="register"),
    path("caisse-des-depots/", views.accrochage, name="accrochage"),
    path(
        "caisse-des-depots/<int:pk>/flux.xml",
        views.accrochage_download,
        name="accrochage_download",
    ),
]
