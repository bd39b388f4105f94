from django.urls import path

from . import send_views, views

app_name = "certificates"

urlpatterns = [
    path("", views.register, name="register"),
    path("caisse-des-depots/", views.accrochage, name="accrochage"),
    path(
        "caisse-des-depots/<int:pk>/flux.xml",
        views.accrochage_download,
        name="accrochage_download",
    ),
    path(
        "dossiers/<int:pk>/envoyer-au-candidat/",
        send_views.send_to_candidate,
        name="send_to_candidate",
    ),
]
