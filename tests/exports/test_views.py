"""Export screens: asking for an export, following it, downloading it; owner-scoped."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from tests.exports.conftest import numbers, read_sheet
from tests.factories.accounts import UserFactory
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory

LOGIN_URL = "/comptes/login/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def job_of(owner, *, status=ExportStatus.DONE, **fields):
    job = ExportJob.objects.create(
        owner=owner, kind=ExportKind.DOSSIERS, status=status, title="Liste des dossiers", **fields
    )
    if status == ExportStatus.DONE:
        job.row_count = 0
        job.file.save("export.xlsx", ContentFile(b"PK\x03\x04 fichier"), save=True)
    return job


@pytest.fixture
def employer_client(client, employer):
    client.force_login(employer)
    return client


# --- Asking for an export ------------------------------------------------------------------


def test_export_dossiers_post_with_list_querystring_creates_job_and_redirects(
    employer_client, employer, dossiers, django_capture_on_commit_callbacks
):
    # The list's button posts to the export URL with the list's querystring.
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_client.post("/exports/dossiers/?state=validated&sort=numero&page=2")

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/exports/{job.pk}/"
    assert job.owner == employer
    assert job.kind == ExportKind.DOSSIERS
    assert job.parameters == {"state": "validated", "sort": "numero"}
    assert job.title == "Liste des dossiers (statut : Validé ; trier par : Numéro)"
    assert job.status == ExportStatus.DONE
    expected = sorted(d.number for d in dossiers["mine"] if d.state == "validated")
    assert numbers(read_sheet(job)[1]) == expected


def test_export_dossiers_post_body_overrides_querystring(
    employer_client, certification, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        employer_client.post(
            "/exports/dossiers/?state=validated",
            {"state": "awaiting_jury", "certification": certification.pk, "q": "Martin"},
        )

    assert ExportJob.objects.get().parameters == {
        "state": "awaiting_jury",
        "certification": certification.pk,
        "q": "Martin",
    }


def test_export_dossiers_get_shows_confirmation_with_filters(employer_client):
    response = employer_client.get("/exports/dossiers/", {"state": "validated", "q": "Durand"})

    assert response.status_code == 200
    assert response.context["summary"] == [("Rechercher", "« Durand »"), ("Statut", "Validé")]
    assert b'<input type="hidden" name="state" value="validated">' in response.content
    assert b'<input type="hidden" name="q" value="Durand">' in response.content
    assert ExportJob.objects.count() == 0


def test_export_dossiers_invalid_filters_redirect_to_list(employer_client):
    response = employer_client.post("/exports/dossiers/?state=inconnu")

    assert response.status_code == 302
    assert response.url == "/dossiers/"
    assert ExportJob.objects.count() == 0


def test_export_dossiers_double_post_makes_one_job(
    employer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        first = employer_client.post("/exports/dossiers/?year=2026")
        second = employer_client.post("/exports/dossiers/?year=2026")

    assert first.url == second.url
    assert ExportJob.objects.count() == 1


@pytest.fixture
def jury_session(db):
    today = timezone.localdate()
    member = JuryMemberFactory()
    session = JurySessionFactory(
        open=True, date=today, registration_deadline=today, members=[member]
    )
    return session, member.user


def test_export_session_member_creates_job(
    client, jury_session, django_capture_on_commit_callbacks
):
    session, member = jury_session
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/exports/sessions/{session.pk}/")

    job = ExportJob.objects.get()
    assert response.url == f"/exports/{job.pk}/"
    assert job.parameters == {"session": session.pk}
    assert job.kind == ExportKind.SESSION
    assert job.title == f"Résultats du jury du {session.date:%d/%m/%Y}"
    assert job.status == ExportStatus.DONE
    assert job.row_count == 0


def test_export_session_secretariat_sees_confirmation(client, secretariat, jury_session):
    session, _member = jury_session
    client.force_login(secretariat)

    response = client.get(f"/exports/sessions/{session.pk}/")

    assert response.status_code == 200
    assert "Exporter les résultats du jury du" in response.text


def test_export_session_refused_to_jury_member_of_another_session(client, jury_session):
    session, _member = jury_session
    outsider = JuryMemberFactory()
    JurySessionFactory(members=[outsider])
    client.force_login(outsider.user)

    assert client.post(f"/exports/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/exports/sessions/{session.pk}/").status_code == 404
    assert ExportJob.objects.count() == 0


def test_export_session_refused_to_employer(employer_client, jury_session):
    session, _member = jury_session

    assert employer_client.post(f"/exports/sessions/{session.pk}/").status_code == 404


def test_export_session_unknown_session_404(client, secretariat):
    client.force_login(secretariat)

    assert client.post("/exports/sessions/999999/").status_code == 404


def test_export_statistics_get_creates_job_with_filters(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks():
        response = client.post(
            "/exports/statistiques/dossiers_par_statut/?year=2026&region=84&sector=&other=ignored"
        )

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/exports/{job.pk}/"
    assert job.kind == ExportKind.STATISTICS
    assert job.parameters == {
        "key": "dossiers_par_statut",
        "filters": {"year": "2026", "region": "84"},
    }


def test_export_statistics_unknown_table_404(client, secretariat):
    client.force_login(secretariat)

    assert client.post("/exports/statistiques/nimporte-quoi/").status_code == 404
    assert client.get("/exports/statistiques/dossiers_par_statut/").status_code == 405
    assert ExportJob.objects.count() == 0


# --- Following it ---------------------------------------------------------------------------


def test_export_list_shows_own_jobs_newest_first(employer_client, employer, other_employer):
    older = job_of(employer, created_at=timezone.now() - datetime.timedelta(hours=1))
    newer = job_of(employer, status=ExportStatus.FAILED)
    job_of(other_employer)

    response = employer_client.get("/exports/")

    assert list(response.context["page_obj"].object_list) == [newer, older]
    assert "Échec" in response.text
    assert "Prêt" in response.text


def test_export_list_empty_state(employer_client):
    response = employer_client.get("/exports/")

    assert response.status_code == 200
    assert "Aucun export." in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_export_list_queries_constant(employer_client, employer, count, django_assert_num_queries):
    for _ in range(count):
        job_of(employer)

    with django_assert_num_queries(4):
        response = employer_client.get("/exports/")

    assert len(response.context["page_obj"].object_list) == count


def test_export_detail_queued_polls_with_htmx(employer_client, employer):
    job = job_of(employer, status=ExportStatus.QUEUED)

    response = employer_client.get(f"/exports/{job.pk}/")

    assert response.status_code == 200
    assert f'hx-get="/exports/{job.pk}/statut/?depuis=queued-0"' in response.text
    assert 'hx-trigger="every 2s"' in response.text
    assert '<progress class="w-100 d-block" id="export-progress" max="100" value="0">' in (
        response.text
    )
    assert "En file d&#x27;attente" in response.text


def test_export_detail_done_stops_polling_and_offers_download(employer_client, employer):
    job = job_of(employer)

    response = employer_client.get(f"/exports/{job.pk}/")

    assert "hx-trigger" not in response.text
    assert f'href="/exports/{job.pk}/telecharger/"' in response.text


def test_export_detail_failed_shows_error_and_retry_button(employer_client, employer):
    job = job_of(employer, status=ExportStatus.FAILED, error="L'export a échoué : boom")

    response = employer_client.get(f"/exports/{job.pk}/")

    assert "hx-trigger" not in response.text
    assert "L&#x27;export a échoué : boom" in response.text
    assert f'action="/exports/{job.pk}/relancer/"' in response.text
    assert "Relancer" in response.text


def test_export_status_htmx_returns_the_fragment_only(employer_client, employer):
    job = job_of(employer, status=ExportStatus.RUNNING, progress=40)

    response = employer_client.get(f"/exports/{job.pk}/statut/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    text = response.text.strip()
    assert text.startswith('<div id="export-status" hx-get=')
    assert "<html" not in text
    assert "Avancement : 40 %" in text
    assert 'value="40"' in text


def test_export_status_unchanged_answers_204_so_htmx_keeps_the_block(employer_client, employer):
    job = job_of(employer, status=ExportStatus.RUNNING, progress=40)

    same = employer_client.get(f"/exports/{job.pk}/statut/?depuis=running-40")
    moved = employer_client.get(f"/exports/{job.pk}/statut/?depuis=running-20")

    assert same.status_code == 204
    assert same.content == b""
    assert moved.status_code == 200
    assert f'hx-get="/exports/{job.pk}/statut/?depuis=running-40"' in moved.text


def test_export_status_done_fragment_has_no_trigger(employer_client, employer):
    job = job_of(employer)

    response = employer_client.get(f"/exports/{job.pk}/statut/", headers={"HX-Request": "true"})

    assert response.text.strip().startswith('<div id="export-status">')
    assert "hx-trigger" not in response.text
    assert "Télécharger le fichier Excel" in response.text


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("get", "statut/"), ("get", "telecharger/"), ("post", "relancer/")],
)
def test_export_job_pages_404_for_another_user(client, employer, other_employer, method, suffix):
    job = job_of(employer, status=ExportStatus.FAILED if suffix == "relancer/" else "done")
    client.force_login(other_employer)

    response = getattr(client, method)(f"/exports/{job.pk}/{suffix}")

    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status in {ExportStatus.FAILED, ExportStatus.DONE}


@pytest.mark.parametrize(
    "url",
    ["/exports/", "/exports/1/", "/exports/1/statut/", "/exports/1/telecharger/"],
)
def test_export_pages_anonymous_redirected_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


# --- Downloading it -------------------------------------------------------------------------


def test_export_download_owner_gets_private_xlsx(employer_client, employer):
    job = job_of(employer)

    response = employer_client.get(f"/exports/{job.pk}/telecharger/")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    day = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="export-liste-des-dossiers-{day:%Y-%m-%d}-{job.pk}.xlsx"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"PK\x03\x04 fichier"


def test_export_download_refused_to_another_user(client, employer):
    job = job_of(employer)
    client.force_login(UserFactory())

    assert client.get(f"/exports/{job.pk}/telecharger/").status_code == 404


def test_export_download_expired_is_404_with_french_message(employer_client, employer):
    job = job_of(employer, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = employer_client.get(f"/exports/{job.pk}/telecharger/")

    assert response.status_code == 404
    assert "Cet export a expiré" in response.text


@pytest.mark.parametrize("status", [ExportStatus.QUEUED, ExportStatus.RUNNING, ExportStatus.FAILED])
def test_export_download_unfinished_is_404(employer_client, employer, status):
    job = job_of(employer, status=status)

    assert employer_client.get(f"/exports/{job.pk}/telecharger/").status_code == 404


def test_export_retry_view_requeues_and_runs(
    employer_client, employer, dossiers, django_capture_on_commit_callbacks
):
    job = job_of(employer, status=ExportStatus.FAILED, error="L'export a échoué : boom")

    with django_capture_on_commit_callbacks(execute=True):
        response = employer_client.post(f"/exports/{job.pk}/relancer/")

    assert response.status_code == 302
    assert response.url == f"/exports/{job.pk}/"
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.row_count == 5


def test_export_retry_view_done_job_shows_french_error(employer_client, employer):
    job = job_of(employer)

    response = employer_client.post(f"/exports/{job.pk}/relancer/", follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Seul un export en échec peut être relancé."
    ]
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE


def test_export_url_names():
    assert reverse("exports:list") == "/exports/"
    assert reverse("exports:dossiers") == "/exports/dossiers/"
    assert reverse("exports:session", args=[3]) == "/exports/sessions/3/"
    assert reverse("exports:statistics", args=["par-region"]) == "/exports/statistiques/par-region/"
    assert reverse("exports:detail", args=[3]) == "/exports/3/"
    assert reverse("exports:status", args=[3]) == "/exports/3/statut/"
    assert reverse("exports:download", args=[3]) == "/exports/3/telecharger/"
    assert reverse("exports:retry", args=[3]) == "/exports/3/relancer/"


# --- Admin ----------------------------------------------------------------------------------


def test_export_admin_lists_jobs_read_only(client, secretariat, employer):
    job = job_of(employer)
    client.force_login(secretariat)

    changelist = client.get("/admin/exports/exportjob/")
    change = client.get(f"/admin/exports/exportjob/{job.pk}/change/")

    assert changelist.status_code == 200
    assert "Liste des dossiers" in changelist.text
    assert change.status_code == 200
    assert 'name="_save"' not in change.text
    assert client.get("/admin/exports/exportjob/add/").status_code == 403
    assert client.post(f"/admin/exports/exportjob/{job.pk}/delete/").status_code == 403
