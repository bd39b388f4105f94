from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from certificates import views as certificate_views
from ecertif import health
from ecertif.accounts import views as account_views
from exports import views as export_views
from home import views as home_views

admin.site.site_header = "e-Certif — secrétariat des CQP"
admin.site.site_title = "e-Certif"
admin.site.index_title = "Administration"
# The admin login goes through the application's login (rate limits, MFA).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home_views.home, name="home"),
    # Before allauth's: an account keeps its one address (see accounts.views.email_address).
    path("comptes/email/", account_views.email_address, name="account_email"),
    path("comptes/", include("allauth.urls")),
    path("", include("ecertif.accounts.urls")),
    path("referentiel/", include("referentiel.urls")),
    path("notifications/", include("ecertif.notifications.urls")),
    path("dossiers/<int:pk>/dossier.pdf", export_views.dossier_pdf, name="dossier_pdf"),
    path("dossiers/", include("dossiers.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("jurys/", include("jurys.urls")),
    path("certificats/", include("certificates.urls")),
    # Printed on every parchemin and attestation (QR code): keep it short and stable.
    path("verifier/<str:code>/", certificate_views.verify, name="verify_document"),
    path("exports/", include("exports.urls")),
    path("statistiques/", include("stats.urls")),
    path("evaluation-metier/", include("evaluations.workplace.urls")),
    path("", include("aide.urls")),
    path("admin/", admin.site.urls),
    path("sante/", health.health, name="health"),
]

if settings.DEBUG:
    from django.views import defaults

    urlpatterns += [
        path("erreur/404/", defaults.page_not_found, {"exception": Exception()}),
        path("erreur/500/", defaults.server_error),
    ]
