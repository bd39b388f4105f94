"""Behaviours added after the code review (each one a bug that could reach a user)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.forms import CandidateForm
from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from ecertif.mail.services import SCRUBBED
from jurys.models import CarriedCompetence, JuryDecision, JurySession
from jurys.services import decision_rows
from tests.factories.accounts import MembershipFactory, StaffFactory, UserFactory
from tests.factories.dossiers import DossierFactory

pytestmark = pytest.mark.django_db


def test_plain_text_email_keeps_apostrophes():
    text = render_to_string(
        "emails/dossier_returned.txt",
        {"reason": "Pièce d'identité & diplôme", "dossier": {"number": "CQP-1"}},
    )
    assert "Motif : Pièce d'identité & diplôme" in text


def test_outbox_admin_hides_secret_bodies(client):
    email = OutboxEmail.objects.create(
        recipient="a@exemple.fr", subject="Lien", body_text="https://x/secret", contains_secret=True
    )
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:mail_outboxemail_change", args=[email.pk])).content.decode()
    assert "https://x/secret" not in page


def test_outbox_admin_resends_only_failed_with_content(client):
    failed = OutboxEmail.objects.create(
        recipient="a@exemple.fr", subject="A", body_text="T", status=EmailStatus.FAILED
    )
    sent = OutboxEmail.objects.create(
        recipient="b@exemple.fr", subject="B", body_text=SCRUBBED, status=EmailStatus.SENT
    )
    client.force_login(StaffFactory())
    client.post(
        reverse("admin:mail_outboxemail_changelist"),
        {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
    )
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status in (EmailStatus.PENDING, EmailStatus.SENT)
    assert sent.status == EmailStatus.SENT


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


def test_expired_acquisition_is_decided_again():
    dossier = DossierFactory(awaiting_jury=True)
    competence = dossier.certification.competences.order_by("number").first()
    today = timezone.localdate()
    session = JurySession.objects.create(date=today, registration_deadline=today)
    decision = JuryDecision.objects.create(
        dossier=DossierFactory(partially_validated=True),
        session=session,
        outcome="partially_validated",
        recorded_by=UserFactory(),
    )
    CarriedCompetence.objects.create(
        dossier=dossier,
        competence=competence,
        source_decision=decision,
        valid_until=today - datetime.timedelta(days=1),
    )
    rows = {c.number: carried for c, _result, carried in decision_rows(dossier)}
    assert rows[competence.number] is None


def test_account_request_rings_the_secretariat_bell(client):
    from ecertif.notifications.models import Notification

    staff = StaffFactory()
    client.post(
        "/demande-de-compte/",
        {
            "siret": "44306184100047",
            "company_name": "Chimie de l'Ouest",
            "address": "3 avenue des Usines",
            "postcode": "44000",
            "city": "Nantes",
            "contact_first_name": "Lucie",
            "contact_last_name": "Bernard",
            "contact_email": "lucie@chimie-ouest.fr",
            "contact_phone": "02 40 00 00 00",
        },
    )
    assert list(Notification.objects.filter(recipient=staff).values_list("text", flat=True)) == [
        "Demande de création de compte : Chimie de l'Ouest"
    ]


def test_first_workplace_observations_email_the_assessor_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    from evaluations.services import invitation_create, workplace_observations_save

    dossier = DossierFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, establishment=dossier.establishment)
    dossier_services.dossier_submit(dossier=dossier, by=owner)
    invitation, _token = invitation_create(
        assessment=dossier.assessment,
        by=dossier.assessor.user,
        name="Paul Tuteur",
        email="paul@exemple.fr",
        function="Tuteur",
    )
    rows = list(dossier.assessment.results.all())
    with django_capture_on_commit_callbacks(execute=True):
        for text in ["Premier avis", "Avis complété"]:
            workplace_observations_save(
                invitation=invitation,
                observations={r.pk: text for r in rows},
                general_observation=text,
                send=text == "Avis complété",  # a draft first: nobody is told
            )
    subjects = [m.subject for m in mailoutbox if m.to == [dossier.assessor.user.email]]
    assert subjects == [
        f"[e-Certif] Observations de l'évaluateur métier — dossier {dossier.number}"
    ]


def test_assessor_home_groups_dossiers_by_next_step(client):
    from evaluations.services import invitation_create, workplace_observations_save
    from tests.factories.evaluations import AccreditationFactory

    first = DossierFactory()
    assessor = first.assessor
    owner = UserFactory()
    MembershipFactory(user=owner, establishment=first.establishment)
    dossiers = [first]
    for _ in range(2):
        other = DossierFactory(
            establishment=first.establishment,
            certification=first.certification,
            assessor=assessor,
        )
        dossiers.append(other)
    AccreditationFactory(assessor=assessor, certifications=[first.certification])
    for dossier in dossiers:
        dossier_services.dossier_submit(dossier=dossier, by=owner)
    invited, _ = invitation_create(
        assessment=dossiers[1].assessment, by=assessor.user, name="A", email="a@x.fr", function="T"
    )
    observed, _ = invitation_create(
        assessment=dossiers[2].assessment, by=assessor.user, name="B", email="b@x.fr", function="T"
    )
    workplace_observations_save(
        invitation=observed, observations={}, general_observation="ok", send=True
    )
    client.force_login(assessor.user)
    groups = client.get("/").context["groups"]
    assert [(action, [d.number for d in rows]) for _title, action, rows in groups] == [
        ("Inviter", [dossiers[0].number]),
        ("Consulter", [dossiers[1].number]),
        ("Évaluer", [dossiers[2].number]),
    ]


def test_admin_dossier_setup_read_only_once_submitted(client):
    submitted = DossierFactory(awaiting_assessment=True)
    registering = DossierFactory()
    client.force_login(StaffFactory())
    locked = client.get(reverse("admin:dossiers_dossier_change", args=[submitted.pk]))
    editable = client.get(reverse("admin:dossiers_dossier_change", args=[registering.pk]))
    assert 'name="certification"' not in locked.content.decode()
    assert 'name="certification"' in editable.content.decode()
