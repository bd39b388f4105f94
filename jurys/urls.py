from django.urls import path

from dossiers.enums import Transition
from dossiers.views import state_change

from . import document_views, views

app_name = "jurys"

urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/cloturer/", views.session_close, name="session_close"),
    path(
        "sessions/<int:pk>/feuille-de-decision.pdf",
        document_views.session_sheet,
        name="session_sheet",
    ),
    path("dossiers/<int:pk>/inscrire/", views.register, name="register"),
    path("dossiers/<int:pk>/retirer/", views.withdraw, name="withdraw"),
    path("dossiers/<int:pk>/deplacer/", views.move, name="move"),
    path("dossiers/<int:pk>/decision/", views.decision, name="decide"),
    # The generic page of the transitions that take a reason.
    path(
        "dossiers/<int:pk>/annuler-decision/",
        state_change,
        {"name": Transition.REVOKE_DECISION},
        name="revoke",
    ),
    path(
        "dossiers/<int:pk>/rouvrir-evaluation/",
        state_change,
        {"name": Transition.REOPEN_ASSESSMENT},
        name="reopen",
    ),
    path("dossiers/<int:pk>/representer/", views.represent, name="represent"),
    path(
        "dossiers/<int:pk>/feuille-de-decision.pdf",
        document_views.dossier_sheet,
        name="dossier_sheet",
    ),
    path("dossiers/<int:pk>/parchemin.pdf", document_views.certificate, name="certificate"),
    path("dossiers/<int:pk>/attestation.pdf", document_views.attestation, name="attestation"),
]
