import pytest

from dossiers import services as dossier_services
from dossiers.forms import CandidateForm
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db


def test_editing_candidate_of_a_copy_keeps_the_submitted_dossier_identity():
    original = DossierFactory(validated=True)
    owner = UserFactory()
    MembershipFactory(user=owner, establishment=original.establishment)
    copy = dossier_services.dossier_duplicate(dossier=original, by=owner)
    data = {
        field: getattr(copy.candidate, field)
        for field in CandidateForm._meta.fields
        if getattr(copy.candidate, field) not in (None, "")
    }
    data["birth_name"] = "Autre"
    form = CandidateForm(data, instance=copy.candidate)
    assert form.is_valid(), form.errors
    dossier_services.candidate_save(dossier=copy, by=owner, form=form)
    original.refresh_from_db()
    copy.refresh_from_db()
    assert copy.candidate.birth_name == "Autre"
    assert original.candidate.birth_name != "Autre"
    assert copy.candidate_id != original.candidate_id
