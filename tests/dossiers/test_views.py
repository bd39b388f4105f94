"""Dossier screens: list (search, filters, sort, pagination), detail, delete, duplicate, return."""

import datetime
import html
import re

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from dossiers import services
from dossiers.enums import DossierState, Transition, WizardStep
from dossiers.exceptions import ALREADY_MOVED
from dossiers.models import Attachment, Candidate, Dossier, DossierTransition
from jurys.models import SessionRegistration
from tests.factories.accounts import EmployerFactory, MembershipFactory, StaffFactory, UserFactory
from tests.factories.dossiers import (
    MINIMAL_PDF,
    AttachmentFactory,
    CandidateFactory,
    DossierFactory,
    TrainingProviderFactory,
)
from tests.factories.jurys import JurySessionFactory
from tests.factories.referentiel import CertificationOptionFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/dossiers/"
EMPTY_EMPLOYER = (
    "Aucun dossier pour l'instant. Créez le premier dossier candidat de votre établissement."
)
EMPTY_FILTERED = "Aucun dossier ne correspond à ces critères."
EMPTY_OTHERS = "Aucun dossier à afficher."
RETURN_DONE = "Dossier renvoyé à l'employeur pour complément."
REASON_REQUIRED = "Indiquez le motif du renvoi : l'employeur le recevra."


def _text(response):
    """The page as a person reads it: entities decoded (« l'instant », not « l&#x27;instant »)."""
    return html.unescape(response.content.decode())


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _numbers(response):
    return [dossier.number for dossier in response.context["page_obj"].object_list]


def _employer_of(establishment):
    user = UserFactory()
    MembershipFactory(user=user, establishment=establishment)
    return user


@pytest.fixture
def employer_client(client):
    """A logged-in employer of a new establishment; its establishment is `client.establishment`."""
    user = EmployerFactory()
    client.force_login(user)
    client.user = user
    client.establishment = user.membership.establishment
    return client


# --- List: number of queries does not grow with the rows shown ------------------------------

ROW_STATES = [
    DossierState.REGISTERING,
    DossierState.AWAITING_ASSESSMENT,
    DossierState.VALIDATED,
]


@pytest.mark.parametrize("count", [1, 3])
def test_list_employer_queries_constant(employer_client, django_assert_num_queries, count):
    for state in ROW_STATES[:count]:
        DossierFactory(establishment=employer_client.establishment, state=state)
    with django_assert_num_queries(12):
        response = employer_client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_list_secretariat_queries_constant(client, django_assert_num_queries, count):
    for state in ROW_STATES[:count]:
        DossierFactory(state=state)
    client.force_login(StaffFactory())
    # Was 10: the row actions no longer look up a membership or an assessor profile the
    # request's roles say the user lacks.
    with django_assert_num_queries(8):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_list_assessor_queries_constant(client, django_assert_num_queries, count):
    first = DossierFactory(awaiting_assessment=True)
    for _ in range(count - 1):
        DossierFactory(awaiting_assessment=True, assessor=first.assessor)
    client.force_login(first.assessor.user)
    with django_assert_num_queries(12):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count


# --- List: search, filters, sort, pagination, empty states ----------------------------------


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("birth_name", "Lefebvre", "lefeb"),
        ("usage_name", "Garnier", "GARNIER"),
        ("first_names", "Maëlle Rose", "maëlle"),
    ],
)
def test_list_search_by_candidate_name(employer_client, field, value, query):
    establishment = employer_client.establishment
    wanted = DossierFactory(
        establishment=establishment,
        candidate=CandidateFactory(establishment=establishment, **{field: value}),
    )
    DossierFactory(establishment=establishment)
    # Same name in another establishment: never found.
    other = DossierFactory(candidate=CandidateFactory(**{field: value}))
    response = employer_client.get(LIST_URL, {"q": query})
    assert _numbers(response) == [wanted.number]
    assert other.number not in response.content.decode()


def test_list_search_by_dossier_number(employer_client):
    establishment = employer_client.establishment
    first = DossierFactory(establishment=establishment)
    second = DossierFactory(establishment=establishment)
    response = employer_client.get(LIST_URL, {"q": second.number})
    assert _numbers(response) == [second.number]
    response = employer_client.get(LIST_URL, {"q": f"  {first.number[-6:]}  "})
    assert _numbers(response) == [first.number]


def test_list_filter_by_state(employer_client):
    establishment = employer_client.establishment
    DossierFactory(establishment=establishment)
    submitted = DossierFactory(establishment=establishment, awaiting_assessment=True)
    DossierFactory(establishment=establishment, validated=True)
    response = employer_client.get(LIST_URL, {"state": DossierState.AWAITING_ASSESSMENT})
    assert _numbers(response) == [submitted.number]
    assert response.context["form"].cleaned_data["state"] == "awaiting_assessment"


def test_list_filter_by_certification(employer_client):
    establishment = employer_client.establishment
    wanted = DossierFactory(establishment=establishment)
    DossierFactory(establishment=establishment)
    response = employer_client.get(LIST_URL, {"certification": wanted.certification_id})
    assert _numbers(response) == [wanted.number]


def test_list_filter_by_year(employer_client):
    establishment = employer_client.establishment
    this_year = timezone.localdate().year
    recent = DossierFactory(establishment=establishment)
    older = DossierFactory(establishment=establishment)
    Dossier.objects.filter(pk=older.pk).update(
        created_at=timezone.make_aware(datetime.datetime(this_year - 1, 6, 15, 10, 0))
    )
    assert _numbers(employer_client.get(LIST_URL, {"year": this_year - 1})) == [older.number]
    assert _numbers(employer_client.get(LIST_URL, {"year": this_year})) == [recent.number]


def test_list_search_and_filters_combined(employer_client):
    establishment = employer_client.establishment
    candidate = CandidateFactory(establishment=establishment, birth_name="Lefebvre")
    DossierFactory(establishment=establishment, candidate=candidate)
    submitted = DossierFactory(
        establishment=establishment, candidate=candidate, awaiting_assessment=True
    )
    response = employer_client.get(
        LIST_URL, {"q": "Lefebvre", "state": DossierState.AWAITING_ASSESSMENT}
    )
    assert _numbers(response) == [submitted.number]


@pytest.fixture
def three_sortable(employer_client):
    """Created in this order: Bernard (registering), Dubois (validated), Aubert (submitted)."""
    establishment = employer_client.establishment
    rows = []
    for name, state in [
        ("Bernard", DossierState.REGISTERING),
        ("Dubois", DossierState.VALIDATED),
        ("Aubert", DossierState.AWAITING_ASSESSMENT),
    ]:
        candidate = CandidateFactory(establishment=establishment, birth_name=name)
        rows.append(DossierFactory(establishment=establishment, candidate=candidate, state=state))
    return [row.number for row in rows]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (None, [2, 1, 0]),
        ("-date", [2, 1, 0]),
        ("date", [0, 1, 2]),
        ("numero", [0, 1, 2]),
        ("candidat", [2, 0, 1]),
        ("-candidat", [1, 0, 2]),
        ("statut", [2, 0, 1]),
    ],
)
def test_list_sort(employer_client, three_sortable, sort, order):
    params = {"sort": sort} if sort else {}
    response = employer_client.get(LIST_URL, params)
    assert _numbers(response) == [three_sortable[index] for index in order]


@pytest.fixture
def twenty_five(employer_client):
    first = DossierFactory(establishment=employer_client.establishment)
    DossierFactory.create_batch(
        24,
        establishment=employer_client.establishment,
        certification=first.certification,
        training_scheme=first.training_scheme,
        assessor=first.assessor,
    )


def test_list_pagination_first_page(employer_client, twenty_five):
    response = employer_client.get(LIST_URL)
    content = response.content.decode()
    assert len(response.context["page_obj"].object_list) == 20
    assert "25 dossiers" in content
    assert "Page 1 sur 2" in content
    assert '<a class="page-link" href="?page=2">Suivant</a>' in content
    assert '<span class="page-link">Précédent</span>' in content


def test_list_pagination_second_page_keeps_filters(employer_client, twenty_five):
    response = employer_client.get(LIST_URL, {"state": DossierState.REGISTERING, "page": 2})
    content = response.content.decode()
    assert len(response.context["page_obj"].object_list) == 5
    assert "Page 2 sur 2" in content
    assert '<a class="page-link" href="?state=registering&amp;page=1">Précédent</a>' in content
    assert '<span class="page-link">Suivant</span>' in content


def test_list_pagination_out_of_range_shows_last_page(employer_client, twenty_five):
    response = employer_client.get(LIST_URL, {"page": 99})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


def test_list_pagination_absent_under_one_page(employer_client):
    DossierFactory(establishment=employer_client.establishment)
    content = employer_client.get(LIST_URL).content.decode()
    assert "1 dossier<" in content
    assert "Page 1 sur" not in content


def test_list_empty_new_employer(employer_client):
    response = employer_client.get(LIST_URL)
    text = _text(response)
    assert EMPTY_EMPLOYER in text
    assert EMPTY_FILTERED not in text
    assert "<table" not in text
    assert 'href="/dossiers/nouveau/"' in text


def test_list_empty_with_filters(employer_client):
    DossierFactory(establishment=employer_client.establishment)
    response = employer_client.get(LIST_URL, {"q": "Personne"})
    text = _text(response)
    assert EMPTY_FILTERED in text
    assert EMPTY_EMPLOYER not in text


def test_list_empty_secretariat(client):
    client.force_login(StaffFactory())
    text = _text(client.get(LIST_URL))
    assert EMPTY_OTHERS in text
    assert 'href="/dossiers/nouveau/"' not in text


def test_list_secretariat_sees_establishment_column(client):
    dossier = DossierFactory()
    client.force_login(StaffFactory())
    content = client.get(LIST_URL).content.decode()
    assert '<th scope="col">Établissement</th>' in content
    assert f"<td>{html.escape(dossier.establishment.name)}</td>" in content


# --- List: row actions per state and role ---------------------------------------------------


def _row_actions(response):
    """{dossier number: [visible labels of its action buttons]}."""
    content = response.content.decode()
    rows = re.findall(
        r'aria-label="Actions sur le dossier ([^"]+)">(.*?)\n</div>', content, flags=re.S
    )
    return {
        number: re.findall(r'<span class="visually-hidden">([^<]+)</span>', block)
        for number, block in rows
    }


@pytest.fixture
def one_per_state(db):
    """One dossier per state, all in one establishment and with the same assessor."""
    first = DossierFactory()
    dossiers = {DossierState.REGISTERING: first}
    for state in list(DossierState)[1:]:
        dossiers[state] = DossierFactory(
            establishment=first.establishment,
            certification=first.certification,
            assessor=first.assessor,
            state=state,
        )
    return dossiers


DECIDED = {
    DossierState.VALIDATED,
    DossierState.PARTIALLY_VALIDATED,
    DossierState.NOT_VALIDATED,
}
SHEET = "Exporter la feuille de décision du jury"


def _tail(state):
    """The icons every reader gets after the role's own: PDF, then the sheet once decided."""
    return ["Exporter PDF", "Exporter Excel", *([SHEET] if state in DECIDED else [])]


def test_list_row_actions_owner_per_state(client, one_per_state):
    first = one_per_state[DossierState.REGISTERING]
    client.force_login(_employer_of(first.establishment))
    actions = _row_actions(client.get(LIST_URL))
    assert actions == {
        dossier.number: (
            ["Consulter", "Éditer", "Dupliquer", "Exporter PDF", "Exporter Excel", "Supprimer"]
            if state == DossierState.REGISTERING
            else ["Consulter", "Dupliquer", *_tail(state)]
        )
        for state, dossier in one_per_state.items()
    }


def test_list_row_actions_secretariat_consult_only(client, one_per_state):
    client.force_login(StaffFactory())
    actions = _row_actions(client.get(LIST_URL))
    assert actions == {
        dossier.number: ["Consulter", *_tail(state)] for state, dossier in one_per_state.items()
    }


def test_list_row_actions_assessor_consult_only(client, one_per_state):
    client.force_login(one_per_state[DossierState.REGISTERING].assessor.user)
    actions = _row_actions(client.get(LIST_URL))
    assert actions == {
        dossier.number: (
            ["Consulter", "Inviter un évaluateur métier", "Exporter PDF", "Exporter Excel"]
            if state == DossierState.AWAITING_ASSESSMENT
            else ["Consulter", *_tail(state)]
        )
        for state, dossier in one_per_state.items()
        if state != DossierState.REGISTERING
    }


def test_list_row_actions_links(employer_client):
    dossier = DossierFactory(establishment=employer_client.establishment)
    content = employer_client.get(LIST_URL).content.decode()
    pk, number = dossier.pk, dossier.number
    assert (
        f'<a class="btn btn-sm btn-outline-secondary" href="/dossiers/{pk}/etape/certification/" '
        f'data-bs-toggle="tooltip" title="Éditer" aria-label="Éditer le dossier {number}">'
    ) in content
    assert f'<form method="post" action="/dossiers/{pk}/dupliquer/">' in content
    assert (
        f'<a class="btn btn-sm btn-outline-danger" href="/dossiers/{pk}/supprimer/" '
        f'data-bs-toggle="tooltip" title="Supprimer" aria-label="Supprimer le dossier {number}">'
    ) in content
    assert f'href="/dossiers/{pk}/dossier.pdf"' in content


# --- Detail ---------------------------------------------------------------------------------


def test_detail_shows_candidate_setup_and_attachments(client, dossier, owner):
    option = CertificationOptionFactory(certification=dossier.certification, label="Production")
    provider = TrainingProviderFactory(name="Chimie Formation", city="Villeurbanne")
    Dossier.objects.filter(pk=dossier.pk).update(option=option, provider=provider)
    attachment = AttachmentFactory(
        dossier=dossier, label="Baccalauréat professionnel", original_name="bac-pro.pdf"
    )
    client.force_login(owner)
    response = client.get(f"/dossiers/{dossier.pk}/")
    text = _text(response)
    candidate = dossier.candidate
    assessor = dossier.assessor
    assert response.status_code == 200
    assert f"Dossier {dossier.number} En cours d'inscription" in " ".join(
        re.sub(r"<[^>]+>", " ", text).split()
    )
    assert f"Madame Julie Anne {candidate.birth_name.upper()}" in text
    assert "le 12/04/1995 à Lyon (69003)" in text
    assert "4 rue des Lilas, 69003 Lyon" in text
    assert f"{candidate.email} · 06 12 34 56 78" in text
    assert "Opératrice de fabrication depuis le 01/09/2020" in text
    assert "Niveau 4 (baccalauréat)" in text
    assert f"CQP — {dossier.certification.label} (option Production)" in text
    assert f'<dd class="col-sm-8">{dossier.training_scheme.label}</dd>' in text
    assert "Chimie Formation — Villeurbanne" in text
    assert f"{assessor.user.get_full_name()} — Cabinet d'évaluation" in text
    assert f"confirmé le {timezone.localdate():%d/%m/%Y}" in text
    assert (
        f'<a href="/dossiers/{dossier.pk}/pieces/{attachment.pk}/">Baccalauréat professionnel</a>'
    ) in text
    assert (
        f"— Diplôme obtenu (copie), bac-pro.pdf, {len(MINIMAL_PDF)} octets, déposé le "
        f"{timezone.localdate():%d/%m/%Y}"
    ) in text.replace("\xa0", " ")
    assert "Le dossier est complet : vous pouvez le soumettre à l'évaluateur." in text


def test_detail_incomplete_lists_what_is_missing(client):
    dossier = DossierFactory(candidate=None, training_scheme=None, assessor_confirmed_at=None)
    client.force_login(_employer_of(dossier.establishment))
    text = _text(client.get(f"/dossiers/{dossier.pk}/"))
    alert = text.split("Avant de soumettre ce dossier :", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<li>([^<]+)</li>", alert) == [
        "Choisissez le dispositif de formation.",
        "Renseignez l'état civil du candidat.",
        "Confirmez le choix de l'évaluateur habilité CPNE.",
    ]
    assert "L'état civil du candidat n'est pas encore renseigné." in text
    assert "Le dossier est complet" not in text
    assert (
        f'<a class="btn btn-primary" href="/dossiers/{dossier.pk}/etape/dispositif/">'
        '<i class="bi bi-pencil" aria-hidden="true"></i> Reprendre la saisie</a>'
    ) in text


def test_detail_history_timeline(
    client, dossier, owner, assigned_assessor, django_capture_on_commit_callbacks
):
    DossierTransition.objects.create(
        dossier=dossier, source="", target=dossier.state, transition=Transition.CREATE, actor=owner
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=dossier, by=owner)
        services.dossier_return_for_completion(
            dossier=dossier, by=assigned_assessor, reason="La copie du diplôme est illisible."
        )
    client.force_login(owner)
    text = _text(client.get(f"/dossiers/{dossier.pk}/"))
    section = text.split('id="historique"', 1)[1]
    assert re.findall(r'<div class="fw-semibold">([^<]+)</div>', section) == [
        "Création du dossier",
        "Soumission à l'évaluateur",
        "Renvoi à l'employeur pour complément",
    ]
    assert re.findall(r'<div class="small">([^<]+)</div>', section) == [
        "En cours d'inscription → En attente d'évaluation",
        "En attente d'évaluation → En cours d'inscription",
    ]
    assert re.findall(r'<div class="small fst-italic">([^<]+)</div>', section) == [
        "Motif : La copie du diplôme est illisible."
    ]
    rows = list(DossierTransition.objects.filter(dossier=dossier).order_by("at", "pk"))
    actors = [owner, owner, assigned_assessor]
    assert re.findall(r'<div class="small text-body-secondary">([^<]+)</div>', section) == [
        f"{timezone.localtime(row.at):%d/%m/%Y à %H:%M} — {actor.get_full_name()}"
        for row, actor in zip(rows, actors, strict=True)
    ]


def test_detail_actions_owner_registering(client, dossier, owner):
    client.force_login(owner)
    content = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Reprendre la saisie" in content
    assert f'action="/dossiers/{dossier.pk}/dupliquer/"' in content
    assert f'href="/dossiers/{dossier.pk}/supprimer/"' in content
    assert f'href="/dossiers/{dossier.pk}/renvoyer/"' not in content


def test_detail_actions_owner_submitted(client, owner, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.AWAITING_ASSESSMENT)
    client.force_login(owner)
    content = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Reprendre la saisie" not in content
    assert "Avant de soumettre" not in content
    assert f'action="/dossiers/{dossier.pk}/dupliquer/"' in content
    assert f'href="/dossiers/{dossier.pk}/supprimer/"' not in content
    assert f'href="/dossiers/{dossier.pk}/renvoyer/"' not in content


@pytest.mark.parametrize("role", ["assigned_assessor", "secretariat"])
def test_detail_actions_reader_submitted(client, dossier, assigned_assessor, secretariat, role):
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.AWAITING_ASSESSMENT)
    client.force_login(assigned_assessor if role == "assigned_assessor" else secretariat)
    content = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Reprendre la saisie" not in content
    assert f'action="/dossiers/{dossier.pk}/dupliquer/"' not in content
    assert f'href="/dossiers/{dossier.pk}/supprimer/"' not in content
    assert f'href="/dossiers/{dossier.pk}/renvoyer/"' in content


# --- Delete ---------------------------------------------------------------------------------


def test_delete_confirmation_page(client, dossier, owner):
    client.force_login(owner)
    response = client.get(f"/dossiers/{dossier.pk}/supprimer/")
    text = _text(response)
    assert response.status_code == 200
    assert f"Supprimer le dossier {dossier.number} ?" in text
    assert (
        f"Le dossier de {dossier.candidate.full_name} et ses pièces jointes seront "
        "définitivement supprimés. Cette action est irréversible."
    ) in text
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_delete_post_removes_dossier_candidate_and_files(
    client, dossier, owner, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(dossier=dossier)
    storage, name = attachment.file.storage, attachment.file.name
    candidate_pk = dossier.candidate_id
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dossiers/{dossier.pk}/supprimer/")
    assert response.status_code == 302
    assert response["Location"] == "/dossiers/"
    assert _messages(response) == [f"Dossier {dossier.number} supprimé."]
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not Candidate.objects.filter(pk=candidate_pk).exists()
    assert not storage.exists(name)


def test_delete_keeps_candidate_of_another_dossier(client, dossier, owner):
    other = DossierFactory(
        establishment=dossier.establishment, candidate=dossier.candidate, validated=True
    )
    client.force_login(owner)
    client.post(f"/dossiers/{dossier.pk}/supprimer/")
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    other.refresh_from_db()
    assert other.candidate_id == dossier.candidate_id


# --- Duplicate ------------------------------------------------------------------------------


def test_duplicate_creates_copy_and_redirects_into_wizard(client, owner):
    dossier = DossierFactory(
        awaiting_assessment=True, provider=TrainingProviderFactory(), option=None
    )
    AttachmentFactory(dossier=dossier)
    user = _employer_of(dossier.establishment)
    client.force_login(user)
    response = client.post(f"/dossiers/{dossier.pk}/dupliquer/")
    copy = Dossier.objects.get(origin=dossier)
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{copy.pk}/etape/evaluateur/"
    assert _messages(response) == [
        f"Dossier {copy.number} créé à partir de {dossier.number} : vérifiez chaque étape "
        "puis confirmez l'évaluateur."
    ]
    assert copy.number != dossier.number
    assert copy.state == DossierState.REGISTERING
    assert (
        copy.establishment_id,
        copy.candidate_id,
        copy.certification_id,
        copy.option_id,
        copy.training_scheme_id,
        copy.provider_id,
        copy.assessor_id,
    ) == (
        dossier.establishment_id,
        dossier.candidate_id,
        dossier.certification_id,
        dossier.option_id,
        dossier.training_scheme_id,
        dossier.provider_id,
        dossier.assessor_id,
    )
    assert copy.assessor_confirmed_at is None
    assert copy.submitted_at is None
    assert copy.created_by == user
    assert list(copy.attachments.all()) == []
    row = DossierTransition.objects.get(dossier=copy)
    assert (row.source, row.target, row.transition, row.actor, row.reason) == (
        "",
        DossierState.REGISTERING,
        Transition.CREATE,
        user,
        f"Copie du dossier {dossier.number}",
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_ASSESSMENT


def test_duplicate_declared_diploma_resumes_at_diplomas(client, owner, dossier):
    dossier.candidate.declares_diploma = True
    dossier.candidate.save()
    AttachmentFactory(dossier=dossier)
    client.force_login(owner)
    response = client.post(f"/dossiers/{dossier.pk}/dupliquer/")
    copy = Dossier.objects.get(origin=dossier)
    assert response["Location"] == f"/dossiers/{copy.pk}/etape/{WizardStep.DIPLOMAS}/"


# --- Return for completion ------------------------------------------------------------------


@pytest.fixture
def submitted(dossier, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=dossier, by=owner)
    dossier.refresh_from_db()
    return dossier


def test_return_form_page(client, submitted, assigned_assessor):
    client.force_login(assigned_assessor)
    response = client.get(f"/dossiers/{submitted.pk}/renvoyer/")
    text = _text(response)
    assert response.status_code == 200
    assert f"Renvoyer le dossier {submitted.number} à l'employeur" in text
    assert "Motif (transmis à l'employeur)" in text


def test_return_with_reason_by_assigned_assessor(
    client, submitted, owner, assigned_assessor, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    client.force_login(assigned_assessor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dossiers/{submitted.pk}/renvoyer/", {"reason": "  Diplôme illisible.  "}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{submitted.pk}/"
    assert _messages(response) == [RETURN_DONE]
    submitted.refresh_from_db()
    assert submitted.state == DossierState.REGISTERING
    assert submitted.assessor_confirmed_at is None
    row = DossierTransition.objects.get(
        dossier=submitted, transition=Transition.RETURN_FOR_COMPLETION
    )
    assert (row.source, row.target, row.actor, row.reason) == (
        DossierState.AWAITING_ASSESSMENT,
        DossierState.REGISTERING,
        assigned_assessor,
        "Diplôme illisible.",
    )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([owner.email], f"[e-Certif] Dossier {submitted.number} à compléter")
    ]


@pytest.mark.parametrize("reason", ["", "   "])
def test_return_without_reason_refused(client, submitted, assigned_assessor, reason):
    client.force_login(assigned_assessor)
    response = client.post(f"/dossiers/{submitted.pk}/renvoyer/", {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": [REASON_REQUIRED]}
    assert REASON_REQUIRED in _text(response)
    submitted.refresh_from_db()
    assert submitted.state == DossierState.AWAITING_ASSESSMENT
    assert not DossierTransition.objects.filter(
        dossier=submitted, transition=Transition.RETURN_FOR_COMPLETION
    ).exists()


def test_return_by_secretariat(client, submitted, secretariat):
    client.force_login(secretariat)
    response = client.post(f"/dossiers/{submitted.pk}/renvoyer/", {"reason": "Pièce manquante"})
    assert response["Location"] == f"/dossiers/{submitted.pk}/"
    assert _messages(response) == [RETURN_DONE]
    submitted.refresh_from_db()
    assert submitted.state == DossierState.REGISTERING


def test_return_by_assessor_after_secretariat_returned_told_already_moved(
    client, submitted, assigned_assessor, secretariat
):
    services.dossier_return_for_completion(
        dossier=submitted, by=secretariat, reason="Pièce manquante"
    )
    client.force_login(assigned_assessor)
    response = client.post(f"/dossiers/{submitted.pk}/renvoyer/", {"reason": "Autre motif"})
    assert response.status_code == 302
    assert _messages(response) == [ALREADY_MOVED]


def test_return_already_returned_by_someone_else_told_already_moved(
    client, submitted, assigned_assessor, secretariat
):
    services.dossier_return_for_completion(
        dossier=submitted, by=assigned_assessor, reason="Pièce manquante"
    )
    client.force_login(secretariat)
    response = client.post(f"/dossiers/{submitted.pk}/renvoyer/", {"reason": "Autre motif"})
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{submitted.pk}/"
    assert _messages(response) == [ALREADY_MOVED]


def test_list_filter_by_jury_session(employer_client):
    session = JurySessionFactory(open=True)
    registered = DossierFactory(awaiting_jury=True, establishment=employer_client.establishment)
    DossierFactory(awaiting_jury=True, establishment=employer_client.establishment)
    SessionRegistration.objects.create(
        session=session, dossier=registered, registered_by=employer_client.user
    )
    response = employer_client.get(LIST_URL, {"session": session.pk})
    assert [d.number for d in response.context["page_obj"].object_list] == [registered.number]
