"""Jury pages (SPEC §3, §4): session list and detail, the dossier's jury panel, registration,
decision, revocation, reopening and « Représenter le candidat »."""

import pytest
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.exceptions import NOT_ALLOWED
from dossiers.models import Dossier
from jurys import services
from jurys.enums import Outcome, SessionStatus
from jurys.models import CarriedCompetence, JuryDecision
from jurys.rules import active_registration
from tests.factories.jurys import JurySessionFactory, SessionRegistrationFactory
from tests.jurys.conftest import decide, evaluated_dossier
from tests.jurys.views.helpers import INSCRIBE_BADGE, _decision_post, _messages, fmt

pytestmark = pytest.mark.django_db


def test_move_post_by_secretariat(client, registered, session, secretariat):
    target = JurySessionFactory()
    JurySessionFactory(closed=True)
    client.force_login(secretariat)
    page = client.get(f"/jurys/dossiers/{registered.pk}/deplacer/")
    assert list(page.context["form"].fields["session"].queryset) == [session, target]

    response = client.post(f"/jurys/dossiers/{registered.pk}/deplacer/", {"session": target.pk})

    assert response["Location"] == f"/jurys/sessions/{target.pk}/"
    assert _messages(response) == [
        f"Dossier {registered.number} déplacé vers le jury du {fmt(target.date)}."
    ]
    assert active_registration(registered).session == target


def test_move_post_same_session_shows_message(client, registered, session, secretariat):
    client.force_login(secretariat)

    response = client.post(f"/jurys/dossiers/{registered.pk}/deplacer/", {"session": session.pk})

    assert response.status_code == 200
    assert _messages(response) == ["Le dossier est déjà inscrit à cette session."]


def test_decision_page_prefilled_from_assessor_results(
    client, establishment, certification, owner, session, session_member
):
    dossier = evaluated_dossier(
        establishment=establishment,
        certification=certification,
        owner=owner,
        results={2: "not_acquired"},
    )
    services.registration_create(dossier=dossier, session=session, by=owner)
    c1, c2, c3 = certification.competences.order_by("number")
    client.force_login(session_member)

    response = client.get(f"/jurys/dossiers/{dossier.pk}/decision/")

    assert response.status_code == 200
    form = response.context["form"]
    assert {name: field.initial for name, field in form.fields.items()} == {
        "motivation": None,
        f"validated_{c1.pk}": "yes",
        f"motivation_{c1.pk}": None,
        f"validated_{c2.pk}": "no",
        f"motivation_{c2.pk}": None,
        f"validated_{c3.pk}": "yes",
        f"motivation_{c3.pk}": None,
    }
    content = response.content.decode()
    assert f'value="yes" id="id_validated_{c1.pk}_0" checked' in content
    assert f'value="no" id="id_validated_{c2.pk}_1" checked' in content
    assert '<span class="badge text-bg-danger">Non acquis</span>' in content
    assert "Résultat C2" in content
    assert "Le candidat estime l&#x27;évaluation juste." in content
    assert response.context["session"] == session


def test_decision_post_records_and_redirects_to_session(
    client, registered, session, session_member
):
    client.force_login(session_member)

    response = client.post(
        f"/jurys/dossiers/{registered.pk}/decision/",
        _decision_post(registered, {1: "yes", 2: "yes", 3: "no"}, {3: "Non démontrée."}),
        follow=True,
    )

    assert response.redirect_chain == [(f"/jurys/sessions/{session.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"Décision enregistrée pour {registered.number} : Partiel."
    ]
    registered.refresh_from_db()
    assert registered.state == DossierState.PARTIALLY_VALIDATED
    assert JuryDecision.objects.get(dossier=registered).outcome == Outcome.PARTIALLY_VALIDATED


def test_decision_post_without_motivation_shows_service_message(client, registered, session_member):
    client.force_login(session_member)

    response = client.post(
        f"/jurys/dossiers/{registered.pk}/decision/",
        _decision_post(registered, {1: "yes", 2: "yes", 3: "no"}),
    )

    assert response.status_code == 200
    assert _messages(response) == [
        "Motivez la décision sur C3 : elle diffère du résultat de l'évaluateur."
    ]
    registered.refresh_from_db()
    assert registered.state == DossierState.AWAITING_JURY


def test_decision_post_missing_competence_shows_form_error(client, registered, session_member):
    c2 = registered.certification.competences.get(number=2)
    data = _decision_post(registered, {1: "yes", 2: "yes", 3: "yes"})
    del data[f"validated_{c2.pk}"]
    client.force_login(session_member)

    response = client.post(f"/jurys/dossiers/{registered.pk}/decision/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"validated_{c2.pk}": ["Décidez de la compétence C2."]
    }
    assert not JuryDecision.objects.exists()


def test_decision_post_before_session_date_shows_message(client, awaiting, owner, employers_member):
    future = JurySessionFactory(open=True, members=[employers_member])
    services.registration_create(dossier=awaiting, session=future, by=owner)
    client.force_login(employers_member.user)

    response = client.post(
        f"/jurys/dossiers/{awaiting.pk}/decision/",
        _decision_post(awaiting, {1: "yes", 2: "yes", 3: "yes"}),
    )

    assert response.status_code == 200
    assert _messages(response) == [
        f"La session du {fmt(future.date)} n'a pas encore eu lieu : la décision s'enregistre "
        "à partir de cette date."
    ]


def test_decision_page_represented_dossier_shows_carried_competences(
    client, partial, owner, secretariat
):
    new = services.represent_candidate(dossier=partial, by=owner)
    Dossier.objects.filter(pk=new.pk).update(state=DossierState.AWAITING_JURY)
    SessionRegistrationFactory(
        dossier=new,
        session=JurySessionFactory(
            open=True, date=timezone.localdate(), registration_deadline=timezone.localdate()
        ),
    )
    client.force_login(secretariat)

    response = client.get(f"/jurys/dossiers/{new.pk}/decision/")

    c3 = new.certification.competences.get(number=3)
    assert set(response.context["form"].fields) == {
        "motivation",
        f"validated_{c3.pk}",
        f"motivation_{c3.pk}",
    }
    assert response.content.decode().count("Acquise lors d'un jury précédent") == 2


def test_revoke_page_and_post(client, partial, secretariat):
    client.force_login(secretariat)
    assert client.get(f"/jurys/dossiers/{partial.pk}/annuler-decision/").status_code == 200

    response = client.post(
        f"/jurys/dossiers/{partial.pk}/annuler-decision/",
        {"reason": "Erreur de saisie"},
        follow=True,
    )

    assert response.redirect_chain == [(f"/dossiers/{partial.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Décision annulée : le dossier est de nouveau en attente de jury. L'ancienne décision "
        "reste dans l'historique."
    ]
    partial.refresh_from_db()
    assert partial.state == DossierState.AWAITING_JURY
    content = response.content.decode()
    assert "Motif de l'annulation : Erreur de saisie" in content
    assert INSCRIBE_BADGE in content


def test_revoke_post_without_reason_shows_form_error(client, partial, secretariat):
    client.force_login(secretariat)

    response = client.post(f"/jurys/dossiers/{partial.pk}/annuler-decision/", {"reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Indiquez le motif."]}
    partial.refresh_from_db()
    assert partial.state == DossierState.PARTIALLY_VALIDATED


def test_reopen_post_sends_back_to_assessment(client, awaiting, secretariat):
    client.force_login(secretariat)

    response = client.post(
        f"/jurys/dossiers/{awaiting.pk}/rouvrir-evaluation/", {"reason": "Outil illisible"}
    )

    assert response["Location"] == f"/dossiers/{awaiting.pk}/"
    assert _messages(response) == [
        "Évaluation rouverte : le dossier est de nouveau en attente d'évaluation."
    ]
    awaiting.refresh_from_db()
    assert awaiting.state == DossierState.AWAITING_ASSESSMENT


def test_represent_post_redirects_to_new_dossier(client, partial, owner):
    client.force_login(owner)

    response = client.post(f"/jurys/dossiers/{partial.pk}/representer/", follow=True)

    new = Dossier.objects.get(origin=partial)
    assert response.redirect_chain == [(f"/dossiers/{new.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"Dossier {new.number} créé pour représenter le candidat : les compétences acquises "
        "sont reportées, seules les autres seront évaluées."
    ]
    assert list(
        CarriedCompetence.objects.filter(dossier=new).values_list("competence__number", flat=True)
    ) == [1, 2]
    content = response.content.decode()
    assert "Compétences acquises lors d'un jury précédent" in content


def test_represent_post_validated_dossier_refused_with_message(
    client, registered, owner, session_member
):
    decide(registered, session_member, {1, 2, 3})
    client.force_login(owner)

    response = client.post(f"/jurys/dossiers/{registered.pk}/representer/")

    assert response["Location"] == f"/dossiers/{registered.pk}/"
    assert _messages(response) == ["Seul un dossier « Partiel » permet de représenter le candidat."]
    assert not Dossier.objects.filter(origin=registered).exists()


def test_session_close_post_by_member_shows_not_allowed(client, session, session_member):
    client.force_login(session_member)

    response = client.post(f"/jurys/sessions/{session.pk}/cloturer/")

    assert response["Location"] == f"/jurys/sessions/{session.pk}/"
    assert _messages(response) == [NOT_ALLOWED]
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_session_list_plan_button_only_for_secretariat(client, secretariat, session_member):
    client.force_login(secretariat)
    assert 'href="/admin/jurys/jurysession/add/"' in client.get("/jurys/").content.decode()

    client.force_login(session_member)
    assert 'href="/admin/jurys/jurysession/add/"' not in client.get("/jurys/").content.decode()


def test_session_detail_close_button_only_for_secretariat(
    client, session, secretariat, session_member
):
    action = f'action="/jurys/sessions/{session.pk}/cloturer/"'
    client.force_login(secretariat)
    assert action in client.get(f"/jurys/sessions/{session.pk}/").content.decode()

    client.force_login(session_member)
    assert action not in client.get(f"/jurys/sessions/{session.pk}/").content.decode()
