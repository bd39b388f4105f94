import datetime

import factory
from django.utils import timezone

from jurys.enums import College, SessionStatus
from jurys.models import JuryMember, JurySession, SessionRegistration
from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory

ORGANISATIONS = {College.EMPLOYERS: "France Chimie", College.EMPLOYEES: "FCE-CFDT"}


class JuryMemberFactory(factory.django.DjangoModelFactory):
    """A jury member of the employers' college; `college=College.EMPLOYEES` for the other."""

    class Meta:
        model = JuryMember

    user = factory.SubFactory(UserFactory)
    college = College.EMPLOYERS
    organisation = factory.LazyAttribute(lambda o: ORGANISATIONS[o.college])


class JurySessionFactory(factory.django.DjangoModelFactory):
    """A planned session in a month (registrations until two weeks before).

    Traits: `open` (accepts registrations), `closed`. `members=[...]` seats jury members.
    """

    class Meta:
        model = JurySession
        skip_postgeneration_save = True

    class Params:
        open = factory.Trait(status=SessionStatus.OPEN)
        closed = factory.Trait(status=SessionStatus.CLOSED)

    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    registration_deadline = factory.LazyAttribute(lambda o: o.date - datetime.timedelta(days=14))
    place = "Maison de la Chimie, Paris"
    status = SessionStatus.PLANNED

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


class SessionRegistrationFactory(factory.django.DjangoModelFactory):
    """An active registration of an `awaiting_jury` dossier (no deadline check: a factory)."""

    class Meta:
        model = SessionRegistration

    session = factory.SubFactory(JurySessionFactory, open=True)
    dossier = factory.SubFactory(DossierFactory, awaiting_jury=True)
    registered_by = factory.SubFactory(UserFactory)
