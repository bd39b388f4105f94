"""Field-level history with django-simple-history: old → new, who, when, through admin or app."""

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse

from dossiers.models import Candidate, Dossier
from dossiers.privacy import anonymise_candidate
from ecertif.accounts.models import Establishment, User
from evaluations.models import Accreditation, Assessor
from jurys.models import JuryMember, JurySession
from referentiel.models import (
    Certification,
    CertificationOption,
    Competence,
    Sector,
    TrainingScheme,
)
from tests.factories.accounts import (
    EstablishmentFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db

TRACKED = [
    Establishment,
    User,
    Candidate,
    Dossier,
    Assessor,
    Accreditation,
    JurySession,
    JuryMember,
    Sector,
    Certification,
    CertificationOption,
    Competence,
    TrainingScheme,
]


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
def test_model_has_field_history(model):
    assert model.history.model._meta.db_table.startswith(model._meta.app_label)


def test_user_history_keeps_no_secret():
    historical = User.history.model
    with pytest.raises(FieldDoesNotExist):
        historical._meta.get_field("password")
    user = UserFactory()
    before = user.history.count()
    user.set_password("un-autre-secret-2026")
    user.save()
    assert user.history.count() == before + 1
    assert "password" not in user.history.first().__dict__


def test_admin_edit_records_old_and_new_value_and_actor(client):
    staff = StaffFactory(is_superuser=True)
    establishment = EstablishmentFactory(city="Lyon")
    client.force_login(staff)
    url = reverse("admin:accounts_establishment_change", args=[establishment.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management[name].html_name: management[name].value() for name in management.fields}
        )
    data["city"] = "Villeurbanne"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    last, previous = establishment.history.all()[:2]
    delta = last.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("city", "Lyon", "Villeurbanne")]
    assert last.history_user == staff
    page = client.get(reverse("admin:accounts_establishment_history", args=[establishment.pk]))
    assert page.status_code == 200
    assert "Villeurbanne" in page.content.decode()


def test_app_edit_records_the_user_through_the_middleware(client):
    dossier = DossierFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, establishment=dossier.establishment)
    client.force_login(owner)
    response = client.post(reverse("dossiers:submit", args=[dossier.pk]))
    assert response.status_code == 302
    last, previous = dossier.history.all()[:2]
    assert last.history_user == owner
    changes = {c.field: (c.old, c.new) for c in last.diff_against(previous).changes}
    assert changes["state"] == ("registering", "awaiting_assessment")


def test_anonymisation_erases_the_candidate_field_history():
    dossier = DossierFactory()
    candidate = dossier.candidate
    candidate.city = "Bron"
    candidate.save()
    assert Candidate.history.filter(id=candidate.pk).count() == 2
    anonymise_candidate(candidate)
    assert Candidate.history.filter(id=candidate.pk).count() == 0
    assert dossier.history.exists()
