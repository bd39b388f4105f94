import datetime
import secrets

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from evaluations.enums import ResultChoice
from evaluations.models import (
    Accreditation,
    Assessment,
    Assessor,
    CompetenceResult,
    WorkplaceAssessorInvitation,
)
from tests.factories.accounts import UserFactory


class AssessorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessor

    user = factory.SubFactory(UserFactory)
    accreditation_number = factory.Sequence(lambda n: f"CPNE-T-{n:04d}")
    organisation = "Cabinet d'évaluation"


class AccreditationFactory(factory.django.DjangoModelFactory):
    """Valid from a year ago to a year ahead; pass `certifications=[...]`."""

    class Meta:
        model = Accreditation
        skip_postgeneration_save = True

    assessor = factory.SubFactory(AssessorFactory)
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))

    @factory.post_generation
    def certifications(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.certifications.set(extracted)


def evaluated_dossier(*, results=None, **dossier_kwargs):
    """« En attente de jury » with a closed assessment, built row by row without replaying the
    submit → assess → close services: for tests that are not about those transitions.

    `results`: {competence number: ResultChoice value}; unlisted competences are acquired.
    """
    # Imported here: the dossier factories import this module's AssessorFactory.
    from tests.factories.dossiers import DossierFactory

    results = results or {}
    now = timezone.now()
    dossier = DossierFactory(awaiting_jury=True, **dossier_kwargs)
    assessment = Assessment.objects.create(
        dossier=dossier,
        assessor_id=dossier.assessor_id,
        first_date=timezone.localdate(),
        last_date=timezone.localdate(),
        candidate_observations="Le candidat estime l'évaluation juste.",
        guide_scan=ContentFile(b"%PDF-1.4\n%%EOF\n", name="outil-4.pdf"),
        guide_original_name="outil-4.pdf",
        guide_content_type="application/pdf",
        completed_at=now,
    )
    CompetenceResult.objects.bulk_create(
        CompetenceResult(
            assessment=assessment,
            competence=competence,
            result=results.get(competence.number, ResultChoice.ACQUIRED),
            comment=f"Résultat C{competence.number}",
            workplace_observation=f"Observation métier C{competence.number}",
        )
        for competence in dossier.certification.competences.all()
    )
    WorkplaceAssessorInvitation.objects.create(
        assessment=assessment,
        name="Claire Martin",
        email="tuteur@exemple.fr",
        function="Tutrice",
        token_hash=secrets.token_hex(32),
        created_by=dossier.assessor.user,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=60),
        general_observation="Candidate rigoureuse.",
        observations_submitted_at=now,
    )
    return dossier
