import factory

from referentiel.enums import CertificationKind
from referentiel.models import (
    Certification,
    CertificationOption,
    Competence,
    Sector,
    TrainingScheme,
)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"filiere-{n}")
    name = factory.Sequence(lambda n: f"Filière {n}")
    position = factory.Sequence(lambda n: n)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        skip_postgeneration_save = True

    class Params:
        cqpi = factory.Trait(kind=CertificationKind.CQPI)
        official = factory.Trait(competences_provisional=False)

    code = factory.Sequence(lambda n: f"cqp-metier-{n}")
    kind = CertificationKind.CQP
    label = factory.Sequence(lambda n: f"Métier {n} des Industries Chimiques")
    sector = factory.SubFactory(SectorFactory)
    level = 3
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def competences(obj, create, extracted, **kwargs):
        """Three competences by default; `competences=5` for five, `competences=0` for none."""
        if not create:
            return
        count = 3 if extracted is None else extracted
        for number in range(1, count + 1):
            CompetenceFactory(certification=obj, number=number)


class CertificationOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationOption

    certification = factory.SubFactory(CertificationFactory)
    code = factory.Sequence(lambda n: f"option-{n}")
    label = factory.Sequence(lambda n: f"Option {n}")


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    certification = factory.SubFactory(CertificationFactory, competences=0)
    number = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Réaliser l'activité professionnelle n° {n}")


class TrainingSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingScheme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dispositif-{n}")
    label = factory.Sequence(lambda n: f"Dispositif {n}")
    position = factory.Sequence(lambda n: n)
