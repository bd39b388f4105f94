"""Jury pages (SPEC §3, §4): session list and detail, the dossier's jury panel, registration,
decision, revocation, reopening and « Représenter le candidat »."""

import datetime

import pytest
from django.utils import timezone

from jurys import services
from jurys.models import JuryDecision, SessionRegistration
from jurys.rules import active_registration
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory, SessionRegistrationFactory
from tests.jurys.conftest import decide
from tests.jurys.views.helpers import INSCRIBE_BADGE, _messages, _registered_dossiers, fmt

pytestmark = pytest.mark.django_db


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

    with django_assert_num_queries(4):
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

    with django_assert_num_queries(3):
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

    with django_assert_num_queries(7):
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

    with django_assert_num_queries(6):
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
