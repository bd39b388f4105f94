import datetime

import factory
from django.utils import timezone

from evaluations.models import Accreditation, Assessor
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
