"""The personal-data access log: exactly one row per read, none for a refused read."""

import pytest
from django.urls import reverse

from dossiers.privacy import candidate_data
from ecertif.audit.models import AccessAction, AccessLog
from exports.enums import ExportKind
from exports.models import ExportJob
from exports.services import export_request
from tests.factories.accounts import EmployerFactory, MembershipFactory, StaffFactory, UserFactory
from tests.factories.dossiers import AttachmentFactory, DossierFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


@pytest.fixture
def setup(db):
    dossier = DossierFactory(awaiting_assessment=True)
    owner = UserFactory()
    MembershipFactory(user=owner, establishment=dossier.establishment)
    return {
        "dossier": dossier,
        "attachment": AttachmentFactory(dossier=dossier),
        "roles": {
            "employer": owner,
            "assessor": dossier.assessor.user,
            "secretariat": StaffFactory(),
            "other_employer": EmployerFactory(),
        },
    }


PAGES = {
    "dossier": (
        lambda s: reverse("dossiers:detail", args=[s["dossier"].pk]),
        AccessAction.VIEW_DOSSIER,
        "dossier",
    ),
    "pdf": (
        lambda s: f"/dossiers/{s['dossier'].pk}/dossier.pdf",
        AccessAction.DOSSIER_PDF,
        "dossier",
    ),
    "attachment": (
        lambda s: reverse(
            "dossiers:attachment_download", args=[s["dossier"].pk, s["attachment"].pk]
        ),
        AccessAction.DOWNLOAD_FILE,
        "attachment",
    ),
}
ALLOWED = {"employer", "assessor", "secretariat"}


def _get(client, url):
    response = client.get(url, REMOTE_ADDR=IP)
    if response.streaming:
        # Consuming the stream closes the file (the test client closes it at the end).
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("role", ["employer", "assessor", "secretariat", "other_employer"])
@pytest.mark.parametrize("page", list(PAGES))
def test_one_row_per_read(client, setup, role, page):
    url, action, object_type = PAGES[page]
    user = setup["roles"][role]
    client.force_login(user)
    response = _get(client, url(setup))
    if role not in ALLOWED:
        assert response.status_code == 404
        assert AccessLog.objects.count() == 0
        return
    assert response.status_code == 200
    rows = list(AccessLog.objects.values())
    expected_object = setup["attachment"] if page == "attachment" else setup["dossier"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["actor_id"], row["action"], row["object_type"], row["object_id"]) == (
        user.pk,
        action,
        object_type,
        str(expected_object.pk),
    )
    assert row["dossier_id"] == setup["dossier"].pk
    assert row["candidate_ids"] == f",{setup['dossier'].candidate_id},"
    assert row["ip"] == IP
    _get(client, url(setup))
    assert AccessLog.objects.count() == 2


def test_export_download_logs_its_candidates(client, setup, django_capture_on_commit_callbacks):
    owner = setup["roles"]["employer"]
    other = DossierFactory(establishment=setup["dossier"].establishment)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(owner=owner, kind=ExportKind.DOSSIERS, parameters={})
    job = ExportJob.objects.get(pk=job.pk)
    client.force_login(owner)
    response = _get(client, reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.object_id, row.actor) == (
        AccessAction.EXPORT,
        "export",
        str(job.pk),
        owner,
    )
    assert sorted(row.candidate_id_list) == sorted(
        [setup["dossier"].candidate_id, other.candidate_id]
    )


def test_access_log_is_in_the_candidate_export(client, setup):
    client.force_login(setup["roles"]["secretariat"])
    client.get(reverse("dossiers:detail", args=[setup["dossier"].pk]), REMOTE_ADDR=IP)
    data = candidate_data(setup["dossier"].candidate)
    assert data["acces_aux_donnees"] == [
        {
            "le": AccessLog.objects.get().at.isoformat(),
            "par": setup["roles"]["secretariat"].email,
            "action": "Consultation du dossier",
            "objet": f"dossier {setup['dossier'].pk}",
            "adresse_ip": IP,
        }
    ]


def test_access_log_admin_is_read_only(client, setup):
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:audit_accesslog_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_accesslog_add")).status_code == 403
