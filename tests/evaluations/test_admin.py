"""The secretariat's admin of assessments and invitations: readable, and never the token hash."""

import pytest

from evaluations.models import CompetenceResult, WorkplaceAssessorInvitation
from tests.factories.accounts import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def invitation(invited):
    return invited[0]


def _html(response):
    return response.content.decode()


def test_assessment_change_page_for_secretariat(staff_client, invitation):
    assessment = invitation.assessment
    response = staff_client.get(f"/admin/evaluations/assessment/{assessment.pk}/change/")
    assert response.status_code == 200
    page = _html(response)
    assert invitation.token_hash not in page
    assert "token_hash" not in page
    invitations, results = response.context["inline_admin_formsets"]
    assert invitations.opts.model is WorkplaceAssessorInvitation
    assert [form.instance for form in invitations.formset.forms] == [invitation]
    assert results.opts.model is CompetenceResult
    assert [form.instance.competence.number for form in results.formset.forms] == [1, 2, 3]
    assert "Paul Tuteur" in page
    assert "paul.tuteur@exemple.fr" in page


def test_invitation_change_page_for_secretariat(staff_client, invitation):
    response = staff_client.get(
        f"/admin/evaluations/workplaceassessorinvitation/{invitation.pk}/change/"
    )
    assert response.status_code == 200
    page = _html(response)
    assert invitation.token_hash not in page
    assert "token_hash" not in page
    assert "token_hash" not in response.context["adminform"].form.fields
    assert "paul.tuteur@exemple.fr" in page


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/evaluations/assessment/",
        "/admin/evaluations/workplaceassessorinvitation/",
        "/admin/dossiers/dossier/",
    ],
)
def test_admin_pages_for_secretariat(staff_client, invitation, url):
    assert staff_client.get(url).status_code == 200


def test_invitation_changelist_for_secretariat_hides_token_hash(staff_client, invitation):
    response = staff_client.get("/admin/evaluations/workplaceassessorinvitation/")
    assert response.status_code == 200
    page = _html(response)
    assert "Paul Tuteur" in page
    assert invitation.token_hash not in page


def test_assessment_admin_cannot_add_or_delete(staff_client, invitation):
    assessment = invitation.assessment
    assert staff_client.get("/admin/evaluations/assessment/add/").status_code == 403
    response = staff_client.get(f"/admin/evaluations/assessment/{assessment.pk}/delete/")
    assert response.status_code == 403
