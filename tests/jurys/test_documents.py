"""PDF documents of the jury (SPEC §5): what each document says, and who may download it."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jurys import documents, services
from jurys.enums import College, SessionStatus
from jurys.models import CarriedCompetence, JuryMember, JurySession, SessionRegistration
from tests.factories.accounts import (
    SIRETS,
    EstablishmentFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.dossiers import DossierFactory
from tests.factories.referentiel import CertificationFactory, CertificationOptionFactory

LOGIN_URL = "/comptes/login/"
# Drawn in the page margins: text extraction gives it after the page's body.
LETTERHEAD = (
    "Commission paritaire nationale de l'emploi des Industries Chimiques Secrétariat des CQP"
)


def verification(document):
    """The verification block printed on parchemins and attestations, as extracted."""
    return (
        "Vérifier ce document Scannez le QR code ou ouvrez : "
        f"http://127.0.0.1:8000/verifier/{document.verification_code}/ "
        "Document signé électroniquement."
    )


def pdf_pages(pdf):
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def pdf_text(pdf):
    """All pages' text, whitespace collapsed: table cells read left to right, row by row."""
    return " ".join(" ".join(pdf_pages(pdf)).split())


def member(first_name, last_name, college, organisation):
    user = UserFactory(first_name=first_name, last_name=last_name)
    return JuryMember.objects.create(user=user, college=college, organisation=organisation)


def jury_session(*members, president=None, vice_president=None, place="Paris"):
    day = timezone.localdate() - datetime.timedelta(days=1)
    session = JurySession.objects.create(
        date=day,
        place=place,
        registration_deadline=day - datetime.timedelta(days=14),
        status=SessionStatus.REGISTRATION_CLOSED,
        president=president,
        vice_president=vice_president,
    )
    session.members.set(members)
    return session


def register(session, dossier, by):
    return SessionRegistration.objects.create(session=session, dossier=dossier, registered_by=by)


def decided_dossier(session, certification, establishment, by, *, birth_name, validated, **kw):
    """A dossier registered to `session`, decided by `by`: `validated` = competence numbers."""
    motivations = kw.pop("motivations", {})
    dossier = DossierFactory(
        awaiting_jury=True,
        establishment=establishment,
        certification=certification,
        candidate__birth_name=birth_name,
        **kw,
    )
    register(session, dossier, by)
    services.decide(
        dossier=dossier,
        by=by,
        competences={
            c.pk: (c.number in validated, motivations.get(c.number, ""))
            for c in certification.competences.all()
        },
        motivation=f"Décision collégiale pour {birth_name}.",
    )
    dossier.refresh_from_db()
    return dossier


def d(day):
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def president(db):
    return member("Hélène", "Garnier", College.EMPLOYERS, "France Chimie")


@pytest.fixture
def vice_president(db):
    return member("Karim", "Benali", College.EMPLOYEES, "FCE-CFDT")


@pytest.fixture
def session(president, vice_president):
    third = member("Sophie", "Leroy", College.EMPLOYEES, "CGT")
    return jury_session(
        president,
        vice_president,
        third,
        president=president,
        vice_president=vice_president,
        place="Maison de la Chimie, Paris",
    )


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(siret=SIRETS[0], name="Chimie du Rhône")


@pytest.fixture
def certification(db):
    return CertificationFactory(label="Conducteur d'appareils", competences=4)


@pytest.fixture
def partial(session, certification, establishment, president):
    return decided_dossier(
        session,
        certification,
        establishment,
        president.user,
        birth_name="Moreau",
        validated={1, 2, 4},
        motivations={3: "Consignation de l'installation non maîtrisée."},
    )


@pytest.fixture
def validated(session, certification, establishment, president):
    return decided_dossier(
        session,
        certification,
        establishment,
        president.user,
        birth_name="Petit",
        validated={1, 2, 3, 4},
    )


@pytest.fixture
def owner(establishment):
    return MembershipFactory(user=UserFactory(), establishment=establishment).user


@pytest.fixture
def other_session_member(db):
    outsider = member("Luc", "Fabre", College.EMPLOYERS, "France Chimie")
    jury_session(outsider)
    return outsider.user


# Session decision sheet


def test_session_sheet_lists_every_candidate_with_outcome_and_competences(
    session, certification, establishment, president, partial, validated
):
    refused = decided_dossier(
        session, certification, establishment, president.user, birth_name="Roux", validated=set()
    )
    undecided = DossierFactory(
        awaiting_jury=True,
        establishment=establishment,
        certification=certification,
        candidate__birth_name="Blanc",
    )
    register(session, undecided, president.user)

    text = pdf_text(documents.session_decision_sheet(session))

    cells = "Chimie du Rhône Conducteur d'appareils"
    assert (
        "Candidat Établissement Certification Décision Compétences validées "
        f"BLANC Julie Anne {undecided.number} {cells} Non examiné — "
        f"MOREAU Julie Anne {partial.number} {cells} Partiel C1, C2, C4 "
        f"PETIT Julie Anne {validated.number} {cells} Validé C1, C2, C3, C4 "
        f"ROUX Julie Anne {refused.number} {cells} Non validé — "
        "Composition du jury"
    ) in text
    assert text.startswith(
        "Feuille de décision du jury "
        f"Jury paritaire national du {d(session.date)} "
        f"Session du jury {d(session.date)} Lieu Maison de la Chimie, Paris "
        "Dossiers 4 — Validé : 1, Partiel : 1, Non validé : 1, Non examiné : 1"
    )
    assert (
        "Composition du jury Collège employeurs Hélène Garnier — France Chimie (président) "
        "Collège salariés Karim Benali — FCE-CFDT (vice-président) Sophie Leroy — CGT "
        "Le président du jury Hélène Garnier (France Chimie) Signature "
        "Le vice-président du jury Karim Benali (FCE-CFDT) Signature"
    ) in text
    assert text.endswith(
        f"Signature {LETTERHEAD} Feuille de décision — jury paritaire national du "
        f"{d(session.date)} Page 1 / 1"
    )


def test_session_sheet_marks_option_and_carried_competences(session, establishment, president):
    certification = CertificationFactory(label="Technicien de laboratoire", competences=3)
    option = CertificationOptionFactory(certification=certification, label="Analyses")
    earlier = decided_dossier(
        session, certification, establishment, president.user, birth_name="Faure", validated={1}
    )
    dossier = DossierFactory(
        awaiting_jury=True,
        establishment=establishment,
        certification=certification,
        candidate=earlier.candidate,
        option=option,
    )
    CarriedCompetence.objects.create(
        dossier=dossier,
        competence=certification.competences.get(number=1),
        source_decision=earlier.decisions.get(),
        valid_until=timezone.localdate() + datetime.timedelta(days=365),
    )
    later = jury_session(president, president=president)
    register(later, dossier, president.user)
    services.decide(
        dossier=dossier,
        by=president.user,
        competences={c.pk: (True, "") for c in certification.competences.filter(number__gt=1)},
    )

    text = pdf_text(documents.session_decision_sheet(later))

    assert (
        f"FAURE Julie Anne {dossier.number} Chimie du Rhône Technicien de laboratoire "
        "Option : Analyses Validé C1*, C2, C3 "
        "* Compétence acquise lors d'un jury précédent (capitalisation)."
    ) in text
    assert "Le vice-président du jury Non désigné Signature" in text


def test_session_sheet_omits_revoked_decisions(session, partial, validated, secretariat):
    services.decision_revoke(dossier=partial, by=secretariat, reason="Erreur de saisie.")

    text = pdf_text(documents.session_decision_sheet(session))

    assert "MOREAU" not in text
    assert f"PETIT Julie Anne {validated.number}" in text
    assert "Dossiers 1 — Validé : 1 " in text


def test_session_sheet_without_dossier_says_so(session):
    text = pdf_text(documents.session_decision_sheet(session))

    assert "Dossiers 0 Décisions Aucun dossier n'est inscrit à cette session." in text


def test_session_sheet_queries_do_not_grow_with_dossiers(
    session, certification, establishment, president, django_assert_num_queries
):
    decided_dossier(
        session, certification, establishment, president.user, birth_name="Un", validated={1}
    )
    with django_assert_num_queries(5):
        documents.session_decision_sheet(session)

    for name in ("Deux", "Trois"):
        decided_dossier(
            session, certification, establishment, president.user, birth_name=name, validated={2}
        )
    register(
        session,
        DossierFactory(
            awaiting_jury=True, establishment=establishment, certification=certification
        ),
        president.user,
    )
    with django_assert_num_queries(5):
        documents.session_decision_sheet(session)


def test_session_sheet_paginates_with_letterhead_on_every_page(
    session, certification, establishment, president
):
    for index in range(30):
        decided_dossier(
            session,
            certification,
            establishment,
            president.user,
            birth_name=f"Candidat{index:02d}",
            validated={1, 3},
        )

    pages = [
        " ".join(page.split()) for page in pdf_pages(documents.session_decision_sheet(session))
    ]

    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        assert page.endswith(
            f"{LETTERHEAD} Feuille de décision — jury paritaire national du "
            f"{d(session.date)} Page {number} / 3"
        )
    assert "Le vice-président du jury Karim Benali (FCE-CFDT) Signature" in pages[-1]


# Dossier decision sheet


def test_dossier_sheet_shows_identity_competences_and_motivations(partial, session):
    certification = partial.certification
    labels = {c.number: c.label for c in certification.competences.all()}

    text = pdf_text(documents.dossier_decision_sheet(partial))

    assert text.startswith(
        "Feuille de décision du jury "
        f"Dossier {partial.number} — jury paritaire national du {d(session.date)} "
        "Candidat Nom Madame Julie Anne MOREAU Naissance née le 12/04/1995 à Lyon "
        "Établissement Chimie du Rhône "
        "Certification et session Certification CQP « Conducteur d'appareils » "
        f"Session du jury {d(session.date)} Lieu Maison de la Chimie, Paris "
    )
    assert (
        "Décision par compétence Compétence Validée Motivation du jury "
        f"C1 — {labels[1]} Oui — "
        f"C2 — {labels[2]} Oui — "
        f"C3 — {labels[3]} Non Consignation de l'installation non maîtrisée. "
        f"C4 — {labels[4]} Oui — "
        "Décision du jury Décision Partiel Motivation Décision collégiale pour Moreau. "
        f"Document délivré Attestation de compétences n° {partial.decisions.get().document.number} "
    ) in text
    assert (
        "Le président du jury Hélène Garnier (France Chimie) Signature "
        f"Le vice-président du jury Karim Benali (FCE-CFDT) Signature {LETTERHEAD} "
        f"Feuille de décision — dossier {partial.number} — jury du {d(session.date)} Page 1 / 1"
    ) in text


def test_dossier_sheet_without_standing_decision_raises(db):
    dossier = DossierFactory(awaiting_jury=True)

    with pytest.raises(ValueError, match="n'a pas de décision du jury en vigueur"):
        documents.dossier_decision_sheet(dossier)


# Parchemin and attestation


def test_certificate_shows_number_candidate_and_president(validated, session):
    decision = documents.standing_decision(validated.pk)

    text = pdf_text(documents.certificate(decision))

    number = decision.document.number
    assert number.startswith(f"P-{timezone.localdate().year}-")
    assert text == (
        f"N° {number} CERTIFICAT DE QUALIFICATION PROFESSIONNELLE "
        "« Conducteur d'appareils » "
        "Niveau 3 du cadre national des certifications professionnelles "
        "Le jury paritaire national de la Commission paritaire nationale de l'emploi des "
        f"Industries Chimiques, réuni le {d(session.date)}, certifie que "
        "Madame Julie Anne PETIT née le 12/04/1995 à Lyon "
        "a validé l'ensemble des compétences de la certification et obtient le certificat de "
        "qualification professionnelle « Conducteur d'appareils ». "
        f"Fait le {d(session.date)} Le président du jury Hélène Garnier (France Chimie) "
        f"Signature {verification(decision.document)} {LETTERHEAD} "
        f"Parchemin n° {number} — dossier {validated.number} Page 1 / 1"
    )


def test_certificate_of_cqpi_says_interbranche(session, establishment, president):
    certification = CertificationFactory(cqpi=True, label="Opérateur de production")
    dossier = decided_dossier(
        session,
        certification,
        establishment,
        president.user,
        birth_name="Girard",
        validated={1, 2, 3},
        candidate__civility="m",
    )

    text = pdf_text(documents.certificate(documents.standing_decision(dossier.pk)))

    assert "CERTIFICAT DE QUALIFICATION PROFESSIONNELLE INTERBRANCHE" in text
    assert "Monsieur Julie Anne GIRARD né le 12/04/1995 à Lyon" in text


def test_certificate_of_partial_decision_raises(partial):
    with pytest.raises(ValueError, match="« Validé »"):
        documents.certificate(documents.standing_decision(partial.pk))


def test_attestation_lists_exactly_the_validated_competences(partial, session):
    decision = documents.standing_decision(partial.pk)
    labels = {c.number: c.label for c in partial.certification.competences.all()}

    text = pdf_text(documents.attestation(decision))

    number = decision.document.number
    assert number.startswith(f"A-{timezone.localdate().year}-")
    assert text == (
        f"ATTESTATION DE COMPÉTENCES N° {number} "
        "Le jury paritaire national de la Commission paritaire nationale de l'emploi des "
        f"Industries Chimiques, réuni le {d(session.date)}, atteste que "
        "Madame Julie Anne MOREAU, née le 12/04/1995 à Lyon, candidate au certificat de "
        "qualification professionnelle « Conducteur d'appareils », "
        "a acquis les compétences suivantes : Compétence Intitulé "
        f"C1 {labels[1]} C2 {labels[2]} C4 {labels[4]} "
        "Les compétences acquises le restent pendant 5 ans à compter de la décision du jury : "
        "pendant cette durée, le candidat peut se présenter de nouveau pour valider les "
        "compétences manquantes sans repasser celles-ci. "
        f"Dossier {partial.number} — Chimie du Rhône Fait le {d(session.date)} "
        f"Le président du jury Hélène Garnier (France Chimie) Signature "
        f"{verification(decision.document)} {LETTERHEAD} "
        f"Attestation de compétences n° {number} — dossier {partial.number} Page 1 / 1"
    )


def test_attestation_of_validated_decision_raises(validated):
    with pytest.raises(ValueError, match="« Partiel »"):
        documents.attestation(documents.standing_decision(validated.pk))


# Downloads: who gets what


def _get(client, user, name, pk):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(f"jurys:{name}", args=[pk]))


def assert_pdf(response, filename):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.getvalue().startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["session_sheet"])
def test_session_sheet_anonymous_redirects_to_login(client, session, name):
    path = reverse(f"jurys:{name}", args=[session.pk])

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={path}"


@pytest.mark.parametrize("name", ["dossier_sheet", "certificate", "attestation"])
def test_dossier_documents_anonymous_redirect_to_login(client, partial, name):
    path = reverse(f"jurys:{name}", args=[partial.pk])

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={path}"


def test_session_sheet_session_member_downloads(client, session, partial, vice_president):
    response = _get(client, vice_president.user, "session_sheet", session.pk)

    assert_pdf(response, f"feuille-de-decision-jury-{session.date:%Y-%m-%d}.pdf")


def test_session_sheet_secretariat_downloads(client, session, partial, secretariat):
    response = _get(client, secretariat, "session_sheet", session.pk)

    assert_pdf(response, f"feuille-de-decision-jury-{session.date:%Y-%m-%d}.pdf")


@pytest.mark.parametrize("who", ["owner", "other_session_member"])
def test_session_sheet_other_roles_get_404(client, session, partial, who, request):
    response = _get(client, request.getfixturevalue(who), "session_sheet", session.pk)

    assert response.status_code == 404


def test_dossier_sheet_own_employer_downloads(client, partial, owner):
    response = _get(client, owner, "dossier_sheet", partial.pk)

    assert_pdf(response, f"feuille-de-decision-{partial.number}.pdf")


def test_dossier_sheet_session_member_downloads(client, partial, vice_president):
    response = _get(client, vice_president.user, "dossier_sheet", partial.pk)

    assert_pdf(response, f"feuille-de-decision-{partial.number}.pdf")


def test_dossier_sheet_secretariat_downloads(client, partial, secretariat):
    response = _get(client, secretariat, "dossier_sheet", partial.pk)

    assert_pdf(response, f"feuille-de-decision-{partial.number}.pdf")


def test_dossier_sheet_assigned_assessor_downloads(client, partial):
    response = _get(client, partial.assessor.user, "dossier_sheet", partial.pk)

    assert_pdf(response, f"feuille-de-decision-{partial.number}.pdf")


@pytest.mark.parametrize("name", ["dossier_sheet", "attestation"])
@pytest.mark.parametrize("who", ["other_employer", "other_session_member"])
def test_dossier_documents_outsiders_get_404(client, partial, name, who, request):
    response = _get(client, request.getfixturevalue(who), name, partial.pk)

    assert response.status_code == 404


def test_attestation_session_member_downloads(client, partial, vice_president):
    # The jury members of the session that decided read the dossier, its documents included.
    response = _get(client, vice_president.user, "attestation", partial.pk)

    number = partial.decisions.get().document.number
    assert_pdf(response, f"attestation-{number}.pdf")


def test_certificate_own_employer_downloads(client, validated, owner):
    response = _get(client, owner, "certificate", validated.pk)

    number = validated.decisions.get().document.number
    assert_pdf(response, f"parchemin-{number}.pdf")


def test_certificate_secretariat_downloads(client, validated, secretariat):
    response = _get(client, secretariat, "certificate", validated.pk)

    number = validated.decisions.get().document.number
    assert_pdf(response, f"parchemin-{number}.pdf")


def test_attestation_own_employer_downloads(client, partial, owner):
    response = _get(client, owner, "attestation", partial.pk)

    number = partial.decisions.get().document.number
    assert_pdf(response, f"attestation-{number}.pdf")


def test_certificate_partial_decision_gets_404(client, partial, owner):
    response = _get(client, owner, "certificate", partial.pk)

    assert response.status_code == 404


def test_attestation_validated_decision_gets_404(client, validated, owner):
    response = _get(client, owner, "attestation", validated.pk)

    assert response.status_code == 404


def test_certificate_not_validated_decision_gets_404(
    client, session, certification, establishment, president, owner
):
    refused = decided_dossier(
        session, certification, establishment, president.user, birth_name="Roux", validated=set()
    )

    assert _get(client, owner, "certificate", refused.pk).status_code == 404
    assert _get(client, owner, "attestation", refused.pk).status_code == 404
    assert_pdf(
        _get(client, owner, "dossier_sheet", refused.pk),
        f"feuille-de-decision-{refused.number}.pdf",
    )


@pytest.mark.parametrize("name", ["dossier_sheet", "certificate", "attestation"])
def test_dossier_documents_without_decision_get_404(
    client, session, certification, establishment, president, owner, name
):
    undecided = DossierFactory(
        awaiting_jury=True, establishment=establishment, certification=certification
    )
    register(session, undecided, president.user)

    assert _get(client, owner, name, undecided.pk).status_code == 404
    assert _get(client, president.user, name, undecided.pk).status_code == 404


def test_dossier_sheet_revoked_decision_gets_404(client, partial, owner, secretariat):
    services.decision_revoke(dossier=partial, by=secretariat, reason="Erreur de saisie.")

    response = _get(client, owner, "dossier_sheet", partial.pk)

    assert response.status_code == 404


def test_session_sheet_rejects_post(client, session, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("jurys:session_sheet", args=[session.pk]))

    assert response.status_code == 405


def test_session_sheet_lists_released_dossiers_after_closing(session, establishment, secretariat):
    """A dossier released when the session closes still appears, « Non examiné »."""
    waiting = DossierFactory(awaiting_jury=True, establishment=establishment)
    SessionRegistration.objects.create(session=session, dossier=waiting, registered_by=secretariat)
    services.session_close(session=session, by=secretariat)
    text = pdf_text(documents.session_decision_sheet(session))
    assert "Non examiné" in text
    assert waiting.candidate.birth_name.upper() in text
