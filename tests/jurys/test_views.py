"""Jury pages (SPEC §3, §4): session list and detail, the dossier's jury panel, registration,
decision, revocation, reopening and « Représenter le candidat »."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.exceptions import NOT_ALLOWED
from dossiers.models import Dossier
from jurys import services
from jurys.enums import Outcome, SessionStatus
from jurys.models import CarriedCompetence, JuryDecision, SessionRegistration
from jurys.rules import active_registration
from tests.factories.dossiers import DossierFactory
from tests.factories.jurys import (
    JuryMemberFactory,
    JurySessionFactory,
    SessionRegistrationFactory,
)
from tests.jurys.conftest import decide, evaluated_dossier

pytestmark = pytest.mark.django_db

INSCRIBE_BADGE = '<span class="badge text-bg-warning">À inscrire à un jury</span>'


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def fmt(day):
    return f"{day:%d/%m/%Y}"


def _registered_dossiers(session, establishment, certification, count):
    dossiers = []
    for _ in range(count):
        dossier = DossierFactory(
            awaiting_jury=True, establishment=establishment, certification=certification
        )
        SessionRegistrationFactory(session=session, dossier=dossier)
        dossiers.append(dossier)
    return dossiers


# Session list and detail: constant number of queries


@pytest.mark.parametrize("count", [1, 3])
def test_session_list_member_queries_constant(
    client, django_assert_num_queries, employers_member, establishment, certification, count
):
    today = timezone.localdate()
    for index in range(count):
        day = today + datetime.timedelta(days=30 * (index - 1))
        session = JurySessionFactory(
            open=True,
            date=day,
            registration_deadline=day - datetime.timedelta(days=14),
            members=[employers_member],
        )
        _registered_dossiers(session, establishment, certification, count)
    JurySessionFactory(open=True)  # not the member's
    client.force_login(employers_member.user)

    with django_assert_num_queries(7):
        response = client.get("/jurys/")

    assert response.status_code == 200
    sessions = [*response.context["upcoming"], *response.context["past"]]
    assert len(sessions) == count
    assert {session.registered_count for session in sessions} == {count}


@pytest.mark.parametrize("count", [1, 3])
def test_session_list_secretariat_queries_constant(
    client, django_assert_num_queries, secretariat, establishment, certification, count
):
    for index in range(count):
        session = JurySessionFactory(
            open=True, date=timezone.localdate() + datetime.timedelta(days=30 + index)
        )
        _registered_dossiers(session, establishment, certification, count)
    client.force_login(secretariat)

    with django_assert_num_queries(5):
        response = client.get("/jurys/")

    assert response.status_code == 200
    assert len(response.context["upcoming"]) == count
    assert response.context["past"] == []


@pytest.mark.parametrize("count", [1, 3])
def test_session_detail_member_queries_constant(
    client,
    django_assert_num_queries,
    session,
    session_member,
    establishment,
    certification,
    count,
):
    _registered_dossiers(session, establishment, certification, count)
    client.force_login(session_member)

    with django_assert_num_queries(11):
        response = client.get(f"/jurys/sessions/{session.pk}/")

    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    assert response.content.decode().count(">Décider</a>") == count


@pytest.mark.parametrize("count", [1, 3])
def test_session_detail_secretariat_queries_constant(
    client, django_assert_num_queries, session, secretariat, establishment, certification, count
):
    dossiers = _registered_dossiers(session, establishment, certification, count)
    # One of them decided: its row shows the outcome instead of « Décider ».
    services.decide(
        dossier=dossiers[0],
        by=secretariat,
        competences={c.pk: (True, "") for c in certification.competences.all()},
    )
    client.force_login(secretariat)

    with django_assert_num_queries(8):
        response = client.get(f"/jurys/sessions/{session.pk}/")

    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    content = response.content.decode()
    assert content.count(">Décider</a>") == count - 1
    assert content.count(">Validé</span>") == 1


def test_session_list_splits_upcoming_and_past(client, session_member, employers_member):
    today = timezone.localdate()
    past = JurySessionFactory(
        date=today - datetime.timedelta(days=1),
        registration_deadline=today - datetime.timedelta(days=15),
        closed=True,
        members=[employers_member],
    )
    later = JurySessionFactory(open=True, members=[employers_member])
    client.force_login(session_member)

    response = client.get("/jurys/")

    assert response.context["upcoming"] == [later]
    assert response.context["past"] == [past]


def test_session_list_member_without_sessions_sees_empty_page(client, db):
    client.force_login(JuryMemberFactory().user)

    response = client.get("/jurys/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Aucune session à venir." in content
    assert "Aucune session passée." in content


def test_session_detail_lists_only_current_and_decided_registrations(
    client, session, secretariat, establishment, certification, owner
):
    kept, withdrawn = _registered_dossiers(session, establishment, certification, 2)
    services.registration_withdraw(dossier=withdrawn, by=owner)
    client.force_login(secretariat)

    response = client.get(f"/jurys/sessions/{session.pk}/")

    assert [registration.dossier for registration, _d in response.context["rows"]] == [kept]


def test_session_detail_reregistered_then_decided_dossier_listed_once(
    client, registered, session, owner, session_member
):
    services.registration_withdraw(dossier=registered, by=owner)
    services.registration_create(dossier=registered, session=session, by=owner)
    decide(registered, session_member, {1, 2, 3})
    client.force_login(session_member)

    response = client.get(f"/jurys/sessions/{session.pk}/")

    assert [registration.dossier for registration, _d in response.context["rows"]] == [registered]


def test_session_member_opens_the_assessment_linked_from_the_session(
    client, registered, session, session_member
):
    client.force_login(session_member)
    page = client.get(f"/jurys/sessions/{session.pk}/").content.decode()
    assert f'href="/evaluations/{registered.pk}/"' in page

    response = client.get(f"/evaluations/{registered.pk}/")

    assert response.status_code == 200


# The dossier page's jury panel


def test_dossier_detail_awaiting_jury_unregistered_shows_badge_and_register_button(
    client, awaiting, owner
):
    client.force_login(owner)

    content = client.get(f"/dossiers/{awaiting.pk}/").content.decode()

    assert INSCRIBE_BADGE in content
    assert f'href="/jurys/dossiers/{awaiting.pk}/inscrire/"' in content
    assert "Inscrire à un jury</a>" in content


@pytest.mark.parametrize("who", ["assessor", "secretariat"])
def test_dossier_detail_register_button_only_for_employer(client, awaiting, who, request):
    client.force_login(request.getfixturevalue(who))

    content = client.get(f"/dossiers/{awaiting.pk}/").content.decode()

    assert INSCRIBE_BADGE in content
    assert "Inscrire à un jury</a>" not in content


def test_dossier_detail_secretariat_may_reopen_unregistered(client, awaiting, secretariat):
    client.force_login(secretariat)

    content = client.get(f"/dossiers/{awaiting.pk}/").content.decode()

    assert f'href="/jurys/dossiers/{awaiting.pk}/rouvrir-evaluation/"' in content


def test_dossier_detail_registered_shows_session_and_withdraw(client, registered, session, owner):
    client.force_login(owner)

    content = client.get(f"/dossiers/{registered.pk}/").content.decode()

    assert INSCRIBE_BADGE not in content
    assert f'<a href="/jurys/sessions/{session.pk}/">jury du {fmt(session.date)}</a>' in content
    assert f"retrait possible jusqu'au {fmt(session.registration_deadline)}" in content
    assert f'action="/jurys/dossiers/{registered.pk}/retirer/"' in content
    assert "Inscrire à un jury</a>" not in content


def test_dossier_detail_registered_secretariat_may_move_not_reopen(client, registered, secretariat):
    client.force_login(secretariat)

    content = client.get(f"/dossiers/{registered.pk}/").content.decode()

    assert f'href="/jurys/dossiers/{registered.pk}/deplacer/"' in content
    assert "/rouvrir-evaluation/" not in content
    assert "/retirer/" not in content


def test_dossier_detail_partial_shows_decision_and_actions(client, partial, owner, secretariat):
    decision = JuryDecision.objects.get(dossier=partial)
    client.force_login(owner)

    content = client.get(f"/dossiers/{partial.pk}/").content.decode()

    assert '<span class="badge text-bg-primary">Partiel</span>' in content
    assert "non validée — <em>Consignation non maîtrisée.</em>" in content
    assert f'href="/jurys/dossiers/{partial.pk}/attestation.pdf"' in content
    assert f'action="/jurys/dossiers/{partial.pk}/representer/"' in content
    assert "/annuler-decision/" not in content
    assert decision.document.number.startswith("A-")

    client.force_login(secretariat)
    content = client.get(f"/dossiers/{partial.pk}/").content.decode()
    assert f'href="/jurys/dossiers/{partial.pk}/annuler-decision/"' in content
    assert "/representer/" not in content


# Registration page


def test_register_page_lists_only_open_sessions_before_deadline(client, awaiting, owner, session):
    today = timezone.localdate()
    later = JurySessionFactory(open=True)
    JurySessionFactory(  # deadline passed
        open=True,
        date=today + datetime.timedelta(days=3),
        registration_deadline=today - datetime.timedelta(days=1),
    )
    JurySessionFactory()  # planned
    JurySessionFactory(closed=True)
    client.force_login(owner)

    response = client.get(f"/jurys/dossiers/{awaiting.pk}/inscrire/")

    assert response.status_code == 200
    assert list(response.context["form"].fields["session"].queryset) == [session, later]
    content = response.content.decode()
    assert (
        f"Jury du {fmt(later.date)} — Maison de la Chimie, Paris "
        f"(inscriptions jusqu&#x27;au {fmt(later.registration_deadline)})"
    ) in content


def test_register_page_without_open_session_says_so(client, awaiting, owner):
    client.force_login(owner)

    content = client.get(f"/jurys/dossiers/{awaiting.pk}/inscrire/").content.decode()

    assert "Aucune session n'est ouverte aux inscriptions pour le moment." in content


def test_register_post_closed_session_rejected_by_form(client, awaiting, owner):
    closed = JurySessionFactory(closed=True)
    client.force_login(owner)

    response = client.post(f"/jurys/dossiers/{awaiting.pk}/inscrire/", {"session": closed.pk})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "session": ["Cette session n'accepte plus d'inscription."]
    }
    assert not SessionRegistration.objects.exists()


def test_register_post_registers_and_redirects(client, awaiting, owner, session):
    client.force_login(owner)

    response = client.post(
        f"/jurys/dossiers/{awaiting.pk}/inscrire/", {"session": session.pk}, follow=True
    )

    assert response.redirect_chain == [(f"/dossiers/{awaiting.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"Dossier {awaiting.number} inscrit au jury du {fmt(session.date)}."
    ]
    assert active_registration(awaiting).session == session


def test_withdraw_post_after_deadline_shows_message(client, owner, awaiting):
    today = timezone.localdate()
    started = JurySessionFactory(
        open=True, date=today, registration_deadline=today - datetime.timedelta(days=14)
    )
    SessionRegistrationFactory(session=started, dossier=awaiting, registered_by=owner)
    client.force_login(owner)

    response = client.post(f"/jurys/dossiers/{awaiting.pk}/retirer/")

    assert response["Location"] == f"/dossiers/{awaiting.pk}/"
    assert _messages(response) == [
        "La date limite d'inscription est passée : le retrait n'est plus possible. "
        "Contactez le secrétariat des CQP."
    ]
    assert active_registration(awaiting).session == started


# Move


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


# Decision page


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


def _decision_post(dossier, values, motivations=None, motivation=""):
    data = {"motivation": motivation}
    for competence in dossier.certification.competences.all():
        data[f"validated_{competence.pk}"] = values[competence.number]
        data[f"motivation_{competence.pk}"] = (motivations or {}).get(competence.number, "")
    return data


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


# Revoke, reopen, represent


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
