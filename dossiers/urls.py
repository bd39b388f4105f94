from django.urls import path

from . import views
from .enums import Transition

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nouveau/", views.dossier_create, name="create"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/etape/<slug:step>/", views.dossier_step, name="step"),
    path("<int:pk>/soumettre/", views.dossier_submit, name="submit"),
    path(
        "<int:pk>/renvoyer/",
        views.state_change,
        {"name": Transition.RETURN_FOR_COMPLETION},
        name="return",
    ),
    path("<int:pk>/supprimer/", views.dossier_delete, name="delete"),
    path("<int:pk>/dupliquer/", views.dossier_duplicate, name="duplicate"),
    path(
        "<int:pk>/pieces/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/pieces/<int:attachment_pk>/retirer/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
