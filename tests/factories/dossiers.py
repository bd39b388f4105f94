import datetime
import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from dossiers.enums import AttachmentKind, Civility, DiplomaLevel, DossierState
from dossiers.models import Attachment, Candidate, Dossier, TrainingProvider
from dossiers.services import next_dossier_number
from tests.factories.accounts import EstablishmentFactory, UserFactory
from tests.factories.evaluations import AccreditationFactory
from tests.factories.referentiel import CertificationFactory, TrainingSchemeFactory


def _minimal_pdf():
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return buffer.getvalue()


# A real one-page PDF, accepted by the upload policy.
MINIMAL_PDF = _minimal_pdf()


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    establishment = factory.SubFactory(EstablishmentFactory)
    civility = Civility.MADAME
    birth_name = factory.Sequence(lambda n: f"Martin{n}")
    first_names = "Julie Anne"
    birth_date = datetime.date(1995, 4, 12)
    birth_place = "Lyon"
    birth_place_code = "69003"
    email = factory.Sequence(lambda n: f"candidat{n}@exemple.fr")
    phone = "06 12 34 56 78"
    address = "4 rue des Lilas"
    postcode = "69003"
    city = "Lyon"
    highest_diploma_level = DiplomaLevel.LEVEL_4
    declares_diploma = False
    position_held = "Opératrice de fabrication"
    company_entry_date = datetime.date(2020, 9, 1)


class TrainingProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProvider

    name = factory.Sequence(lambda n: f"Organisme {n}")
    city = "Lyon"


class DossierFactory(factory.django.DjangoModelFactory):
    """A complete dossier, ready to submit. Traits: `awaiting_assessment`, `awaiting_jury`…"""

    class Meta:
        model = Dossier

    class Params:
        awaiting_assessment = factory.Trait(
            state=DossierState.AWAITING_ASSESSMENT,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        awaiting_jury = factory.Trait(
            state=DossierState.AWAITING_JURY, submitted_at=factory.LazyFunction(timezone.now)
        )
        validated = factory.Trait(state=DossierState.VALIDATED)
        partially_validated = factory.Trait(state=DossierState.PARTIALLY_VALIDATED)
        not_validated = factory.Trait(state=DossierState.NOT_VALIDATED)

    number = factory.LazyFunction(next_dossier_number)
    establishment = factory.SubFactory(EstablishmentFactory)
    candidate = factory.SubFactory(
        CandidateFactory, establishment=factory.SelfAttribute("..establishment")
    )
    certification = factory.SubFactory(CertificationFactory)
    training_scheme = factory.SubFactory(TrainingSchemeFactory)
    assessor = factory.LazyAttribute(
        lambda o: AccreditationFactory(certifications=[o.certification]).assessor
    )
    assessor_confirmed_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # `state` is a protected FSM field: set it through the queryset once created.
        state = kwargs.pop("state", DossierState.REGISTERING)
        obj = super()._create(model_class, *args, **kwargs)
        if state != DossierState.REGISTERING:
            model_class.objects.filter(pk=obj.pk).update(state=state)
            obj.refresh_from_db()
        return obj


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    dossier = factory.SubFactory(DossierFactory)
    kind = AttachmentKind.DIPLOMA
    label = "Baccalauréat professionnel"
    file = factory.LazyFunction(lambda: ContentFile(MINIMAL_PDF, name="diplome.pdf"))
    original_name = "diplome.pdf"
    content_type = "application/pdf"
    size = len(MINIMAL_PDF)
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)
