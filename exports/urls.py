from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("dossiers/", views.export_dossiers, name="dossiers"),
    path("certificats/", views.export_certificates, name="certificates"),
    path("caisse-des-depots/", views.export_accrochage, name="accrochage"),
    path("sessions/<int:pk>/", views.export_session, name="session"),
    path("statistiques/<slug:key>/", views.export_statistics, name="statistics"),
    path("<int:pk>/", views.export_detail, name="detail"),
    path("<int:pk>/statut/", views.export_status, name="status"),
    path("<int:pk>/telecharger/", views.export_download, name="download"),
    path("<int:pk>/relancer/", views.export_retry_view, name="retry"),
]
