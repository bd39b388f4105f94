from django.urls import path

from . import directory, views

app_name = "evaluations"

urlpatterns = [
    path("annuaire/", directory.directory, name="directory"),
    path("<int:pk>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/inviter/", views.invitation_create, name="invite"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/renvoyer/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoquer/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/rouvrir/",
        views.observations_reopen,
        name="observations_reopen",
    ),
    path("<int:pk>/resultats/", views.results_save, name="results"),
    path("<int:pk>/observations/", views.details_save, name="details"),
    path("<int:pk>/outil-4/", views.guide_upload, name="guide_upload"),
    path("<int:pk>/outil-4/telecharger/", views.guide_download, name="guide_download"),
    path("<int:pk>/cloturer/", views.assessment_complete, name="complete"),
]
