import factory
from django.contrib.auth import get_user_model

from ecertif.accounts.groups import ensure_secretariat_group
from ecertif.accounts.models import AccountRequest, EmployerMembership, Establishment

PASSWORD = "motdepasse-de-test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Dupont{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    """A member of the secretariat: staff, in the « Secrétariat » group."""

    is_staff = True

    @factory.post_generation
    def secretariat_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(ensure_secretariat_group())


# Valid SIRETs (Luhn key checked), one per test establishment.
SIRETS = [
    "73282932000074",
    "55208131766522",
    "44306184100047",
    "35600000000048",
    "40483304800022",
    "51765342400013",
]


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        django_get_or_create = ["siret"]

    siret = factory.Iterator(SIRETS)
    name = factory.Sequence(lambda n: f"Établissement {n}")
    address = "1 rue de la Chimie"
    postcode = "69003"
    city = "Lyon"


class EmployerFactory(UserFactory):
    membership = factory.RelatedFactory(
        "tests.factories.accounts.MembershipFactory", factory_related_name="user"
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerMembership

    user = factory.SubFactory(UserFactory)
    establishment = factory.SubFactory(EstablishmentFactory)


class AccountRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountRequest

    siret = "44306184100047"
    company_name = "Chimie de l'Ouest"
    address = "3 avenue des Usines"
    postcode = "44000"
    city = "Nantes"
    contact_first_name = "Lucie"
    contact_last_name = "Bernard"
    contact_email = factory.Sequence(lambda n: f"rh{n}@chimie-ouest.fr")
    contact_phone = "02 40 00 00 00"
