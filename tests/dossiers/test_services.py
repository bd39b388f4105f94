import datetime
import re

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.enums import AttachmentKind, DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, NOT_ALLOWED, DossierActionError
from dossiers.models import Dossier, DossierTransition
from ecertif.notifications.models import Notification
from tests.factories.dossiers import AttachmentFactory
from tests.factories.referentiel import CertificationFactory, CertificationOptionFactory

pytestmark = pytest.mark.django_db


def _submit_error(dossier, owner):
    with pytest.raises(DossierActionError) as excinfo:
        services.dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REGISTERING
    return excinfo.value.messages


def test_number_format_and_sequence():
    year = timezone.localdate().year
    first = services.next_dossier_number()
    second = services.next_dossier_number()
    assert re.fullmatch(rf"CQP-{year}-\d{{6}}", first)
    assert int(second[-6:]) == int(first[-6:]) + 1
    assert services.next_dossier_number(year=2031) == "CQP-2031-000001"


def test_submit_all_guards_pass(dossier, owner, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_ASSESSMENT
    assert dossier.submitted_at is not None
    row = DossierTransition.objects.get(dossier=dossier)
    assert (row.source, row.target, row.transition, row.actor) == (
        DossierState.REGISTERING,
        DossierState.AWAITING_ASSESSMENT,
        Transition.SUBMIT,
        owner,
    )
    assessor_user = dossier.assessor.user
    assert [m.to for m in mailoutbox] == [[assessor_user.email]]
    assert mailoutbox[0].subject == f"[e-Certif] Nouveau dossier à évaluer : {dossier.number}"
    notification = Notification.objects.get(recipient=assessor_user)
    assert notification.link == f"/dossiers/{dossier.pk}/"
    assert dossier.number in notification.text


def test_submit_missing_option(dossier, owner):
    CertificationOptionFactory(certification=dossier.certification)
    assert _submit_error(dossier, owner) == ["Choisissez l'option de la certification."]


def test_submit_inactive_certification(dossier, owner):
    dossier.certification.active = False
    dossier.certification.save()
    assert _submit_error(dossier, owner) == [
        "Cette certification n'est plus proposée : choisissez-en une autre."
    ]


def test_submit_missing_training_scheme(dossier, owner):
    Dossier.objects.filter(pk=dossier.pk).update(training_scheme=None)
    dossier.refresh_from_db()
    assert _submit_error(dossier, owner) == ["Choisissez le dispositif de formation."]


def test_submit_missing_candidate(dossier, owner):
    Dossier.objects.filter(pk=dossier.pk).update(candidate=None)
    dossier.refresh_from_db()
    assert _submit_error(dossier, owner) == ["Renseignez l'état civil du candidat."]


def test_submit_incomplete_candidate(dossier, owner):
    dossier.candidate.birth_place = ""
    dossier.candidate.position_held = ""
    dossier.candidate.save()
    assert _submit_error(dossier, owner) == [
        "Complétez l'état civil du candidat : commune de naissance, poste occupé."
    ]


def test_submit_declared_diploma_missing(dossier, owner):
    dossier.candidate.declares_diploma = True
    dossier.candidate.save()
    assert _submit_error(dossier, owner) == ["Joignez la copie du diplôme du candidat."]


def test_submit_declared_diploma_attached(dossier, owner):
    dossier.candidate.declares_diploma = True
    dossier.candidate.save()
    AttachmentFactory(dossier=dossier, kind=AttachmentKind.DIPLOMA)
    services.dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_ASSESSMENT


def test_submit_missing_assessor(dossier, owner):
    Dossier.objects.filter(pk=dossier.pk).update(assessor=None, assessor_confirmed_at=None)
    dossier.refresh_from_db()
    assert _submit_error(dossier, owner) == ["Choisissez l'évaluateur habilité CPNE."]


def test_submit_assessor_not_confirmed(dossier, owner):
    Dossier.objects.filter(pk=dossier.pk).update(assessor_confirmed_at=None)
    dossier.refresh_from_db()
    assert _submit_error(dossier, owner) == ["Confirmez le choix de l'évaluateur habilité CPNE."]


NOT_ACCREDITED = (
    "L'évaluateur choisi n'a pas d'habilitation valide aujourd'hui pour cette certification : "
    "choisissez-en un autre."
)


def test_submit_expired_accreditation(dossier, owner):
    accreditation = dossier.assessor.accreditations.get()
    accreditation.valid_from = timezone.localdate() - datetime.timedelta(days=400)
    accreditation.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    accreditation.save()
    assert _submit_error(dossier, owner) == [NOT_ACCREDITED]


def test_submit_accreditation_for_other_certification(dossier, owner):
    accreditation = dossier.assessor.accreditations.get()
    accreditation.certifications.set([CertificationFactory()])
    assert _submit_error(dossier, owner) == [NOT_ACCREDITED]


def test_submit_by_other_employer_refused(dossier, other_employer):
    assert _submit_error(dossier, other_employer) == [NOT_ALLOWED]


def test_submit_by_assessor_refused(dossier, assigned_assessor):
    assert _submit_error(dossier, assigned_assessor) == [NOT_ALLOWED]


def test_submit_twice_second_told_already_moved(dossier, owner):
    services.dossier_submit(dossier=dossier, by=owner)
    stale = Dossier.objects.get(pk=dossier.pk)
    with pytest.raises(DossierActionError) as excinfo:
        services.dossier_submit(dossier=stale, by=owner)
    assert excinfo.value.messages == [ALREADY_MOVED]
    assert DossierTransition.objects.filter(dossier=dossier).count() == 1


def test_return_for_completion_by_assessor(
    owner, assigned_assessor, dossier, mailoutbox, django_capture_on_commit_callbacks
):
    services.dossier_submit(dossier=dossier, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_return_for_completion(
            dossier=dossier, by=assigned_assessor, reason="Diplôme illisible."
        )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REGISTERING
    assert dossier.assessor_confirmed_at is None
    row = DossierTransition.objects.filter(dossier=dossier).last()
    assert (row.transition, row.reason, row.actor) == (
        Transition.RETURN_FOR_COMPLETION,
        "Diplôme illisible.",
        assigned_assessor,
    )
    assert [m.to for m in mailoutbox][-1] == [owner.email]
    assert Notification.objects.filter(recipient=owner, link=f"/dossiers/{dossier.pk}/").exists()


def test_return_for_completion_requires_reason(owner, assigned_assessor, dossier):
    services.dossier_submit(dossier=dossier, by=owner)
    with pytest.raises(DossierActionError) as excinfo:
        services.dossier_return_for_completion(dossier=dossier, by=assigned_assessor, reason=" ")
    assert excinfo.value.messages == ["Indiquez le motif du renvoi : l'employeur le recevra."]


def test_return_for_completion_refused_to_employer_and_other_assessor(
    owner, other_assessor, dossier
):
    services.dossier_submit(dossier=dossier, by=owner)
    for user in (owner, other_assessor):
        with pytest.raises(DossierActionError) as excinfo:
            services.dossier_return_for_completion(dossier=dossier, by=user, reason="x")
        assert excinfo.value.messages == [NOT_ALLOWED]


def test_return_for_completion_by_secretariat(owner, secretariat, dossier):
    services.dossier_submit(dossier=dossier, by=owner)
    services.dossier_return_for_completion(dossier=dossier, by=secretariat, reason="Erreur.")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REGISTERING


def test_state_field_is_protected(dossier):
    with pytest.raises(AttributeError):
        dossier.state = DossierState.VALIDATED


def test_duplicate_copies_setup_not_files_or_history(dossier, owner):
    AttachmentFactory(dossier=dossier)
    services.dossier_submit(dossier=dossier, by=owner)
    copy = services.dossier_duplicate(dossier=dossier, by=owner)
    assert copy.state == DossierState.REGISTERING
    assert copy.number != dossier.number
    assert copy.origin == dossier
    for field in ["candidate", "certification", "option", "training_scheme", "provider"]:
        assert getattr(copy, field) == getattr(dossier, field)
    assert copy.assessor == dossier.assessor
    assert copy.assessor_confirmed_at is None
    assert copy.submitted_at is None
    assert copy.attachments.count() == 0
    assert list(copy.transitions.values_list("transition", flat=True)) == [Transition.CREATE]


def test_duplicate_refused_to_other_employer(dossier, other_employer):
    with pytest.raises(DossierActionError):
        services.dossier_duplicate(dossier=dossier, by=other_employer)


def test_delete_registering_removes_files(dossier, owner, django_capture_on_commit_callbacks):
    attachment = AttachmentFactory(dossier=dossier)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_delete(dossier=dossier, by=owner)
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert not storage.exists(name)


def test_delete_refused_outside_registering(dossier, owner):
    services.dossier_submit(dossier=dossier, by=owner)
    with pytest.raises(DossierActionError) as excinfo:
        services.dossier_delete(dossier=dossier, by=owner)
    assert excinfo.value.messages == ["Seul un dossier en cours d'inscription peut être supprimé."]
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_update_refused_outside_registering(dossier, owner):
    services.dossier_submit(dossier=dossier, by=owner)
    with pytest.raises(DossierActionError) as excinfo:
        services.dossier_update(dossier=dossier, by=owner, training_scheme=None)
    assert excinfo.value.messages == [
        "Ce dossier n'est plus modifiable : il a été soumis à l'évaluateur."
    ]


def test_history_rows_cannot_be_modified(dossier, owner):
    services.dossier_submit(dossier=dossier, by=owner)
    row = DossierTransition.objects.get(dossier=dossier)
    row.reason = "modifié"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        row.save()
