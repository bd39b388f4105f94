import datetime
import json
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dossiers.enums import DossierState
from evaluations.models import Assessment
from jurys.enums import Outcome, SessionStatus
from jurys.models import SessionRegistration
from tests.factories.accounts import MembershipFactory, StaffFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AccreditationFactory, AssessorFactory
from tests.factories.jurys import JuryMemberFactory
from tests.factories.referentiel import CertificationFactory
from tests.stats.conftest import decision, establishment, history, invitation, session

URL = "/statistiques/"
OUTCOME_OF = {
    DossierState.VALIDATED: Outcome.VALIDATED,
    DossierState.PARTIALLY_VALIDATED: Outcome.PARTIALLY_VALIDATED,
    DossierState.NOT_VALIDATED: Outcome.NOT_VALIDATED,
}


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def chart_data(html, key):
    match = re.search(
        rf'<script id="donnees-{key}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no chart data for {key}"
    return json.loads(match.group(1))


# Roles


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/comptes/login/")


def test_user_without_role_is_refused(client, db):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_secretariat_sees_the_statistics(client, dataset):
    html = page(client, StaffFactory())
    assert '<h1 class="h3 mb-1">Statistiques</h1>' in html
    for title in [
        "Dossiers par statut",
        "Dossiers par certification",
        "Dossiers par filière",
        "Dossiers par région",
        "Dossiers par année de création",
        "Résultats du jury par certification",
        "Résultats du jury par année de session",
        "Durée passée dans chaque statut",
        "Sessions du jury et leurs dossiers",
        "Ce qui attend",
    ]:
        assert f'<caption class="visually-hidden">{title}</caption>' in html
    # Rates the French way, and headline figures.
    assert "33,3\u00a0%" in html
    assert '<p class="fs-4 fw-bold mb-0">8</p>' in html
    assert "27,5" in html  # median days awaiting the jury
    assert "15/01/2030" in html  # session date


def test_employer_sees_its_establishment_only(client, dataset):
    html = page(client, dataset.paris_employer)
    assert "Tableau de bord de l&#x27;établissement" in html
    assert chart_data(html, "dossiers_par_statut")["datasets"][0]["data"] == [0, 0, 0, 1, 1, 1]
    assert "Dossiers par région" not in html
    assert 'name="region"' not in html
    assert "Maison de la Chimie" not in html  # a session without its dossiers


def test_assessor_sees_its_dossiers_and_what_waits(client, dataset):
    html = page(client, dataset.assessor.user)
    assert "Tableau de bord de l&#x27;évaluateur" in html
    assert chart_data(html, "dossiers_par_statut")["datasets"][0]["data"] == [0, 1, 2, 2, 1, 1]
    assert "Invitations d&#x27;évaluateurs métier sans réponse" in html


def test_jury_member_sees_its_sessions(client, dataset):
    html = page(client, dataset.jury_member.user)
    assert "Tableau de bord du jury" in html
    assert "10/06/2025" in html
    assert "20/11/2024" not in html
    assert chart_data(html, "resultats_par_annee") == {
        "labels": ["2025"],
        "datasets": [
            {"label": "Validé", "data": [1], "color": "success"},
            {"label": "Partiel", "data": [1], "color": "primary"},
            {"label": "Non validé", "data": [1], "color": "danger"},
        ],
        "horizontal": False,
        "stacked": True,
        "unit": "décisions",
    }


# Charts, tables, exports


def test_charts_read_their_data_from_json_script(client, dataset):
    html = page(client, StaffFactory())
    states = chart_data(html, "dossiers_par_statut")
    assert states["labels"][0] == "En cours d'inscription"
    assert states["datasets"][0]["data"] == [1, 1, 2, 2, 1, 1]
    assert states["datasets"][0]["colors"] == [
        "secondary",
        "info",
        "warning",
        "success",
        "primary",
        "danger",
    ]
    regions = chart_data(html, "dossiers_par_region")
    assert len(regions["labels"]) == 18
    assert regions["horizontal"] is True
    for key in [
        "dossiers_par_statut",
        "dossiers_par_certification",
        "dossiers_par_region",
        "resultats_par_annee",
    ]:
        assert f'data-chart="donnees-{key}" role="img"' in html


def test_no_inline_script_or_style(client, dataset):
    html = page(client, StaffFactory())
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        if 'type="application/json"' in tag:
            continue
        assert ' src="' in tag and " nonce=" in tag, tag
    inline_code = [
        body
        for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        if body.strip() and 'type="application/json"' not in attrs
    ]
    assert inline_code == []
    assert " style=" not in html
    assert "<style" not in html
    assert 'src="/static/js/charts.js"' in html
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html


def test_tables_are_accessible(client, dataset):
    html = page(client, StaffFactory())
    assert '<th scope="col" class="text-end">Dossiers</th>' in html
    assert '<th scope="row" class="fw-normal">Corse</th>' in html
    assert html.count("<summary>Tableau des données</summary>") == 8


def test_export_links_carry_the_filters(client, dataset):
    c1 = dataset.certifications.c1.pk
    html = page(client, StaffFactory(), f"?year=2025&certification={c1}&region=&sector=")
    assert "Exporter au format Excel" in html
    assert (
        f'action="/exports/statistiques/dossiers_par_statut/?year=2025&amp;certification={c1}"'
        in html
    )
    assert f'action="/exports/statistiques/sessions_jury/?year=2025&amp;certification={c1}"' in html


def test_filters_narrow_every_table(client, dataset):
    html = page(client, StaffFactory(), "?region=32")
    assert chart_data(html, "dossiers_par_statut")["datasets"][0]["data"] == [0, 0, 1, 1, 0, 0]
    assert 'href="/statistiques/">Effacer les filtres</a>' in html


def test_empty_states(client, dataset):
    html = page(client, StaffFactory(), "?region=94")
    assert "Aucun dossier pour ces critères." in html
    assert "Aucune décision du jury pour ces critères." in html
    assert "Aucune session du jury pour ces critères." in html
    assert "donnees-dossiers_par_statut" not in html
    # What waits is an answer even when nothing waits.
    assert '<caption class="visually-hidden">Ce qui attend</caption>' in html


def test_empty_database(client, db):
    html = page(client, StaffFactory())
    assert "Aucun dossier pour ces critères." in html
    assert "<canvas" not in html


def test_invalid_filters_are_shown_and_ignored(client, dataset):
    html = page(client, StaffFactory(), "?year=1900&certification=abc")
    assert 'aria-invalid="true"' in html
    assert chart_data(html, "dossiers_par_statut")["datasets"][0]["data"] == [1, 1, 2, 2, 1, 1]


def test_time_in_state_is_kept_a_few_minutes(client, dataset, django_assert_num_queries):
    user = StaffFactory()
    first = page(client, user)
    assert "Chiffres recalculés toutes les 10 minutes." in first
    # The same page again: the secretariat's snapshot (was 19 queries, recounting every table
    # but « Durée passée dans chaque statut », before the snapshots).
    with django_assert_num_queries(5):  # 19 the first time
        again = client.get(URL).content.decode()
    assert chart_data(again, "duree_par_statut") == chart_data(first, "duree_par_statut")
    # Another scope is another entry: the employer's only finished stays are d4's.
    employer = page(client, dataset.paris_employer)
    assert chart_data(employer, "duree_par_statut")["datasets"][0]["data"] == [21.0, 15.0, 45.0]


# Speed: the number of queries does not depend on the number of dossiers


def populate(count):
    """`count` dossiers of one establishment, one assessor and one jury (member seated), in
    every state in turn, with history, invitations, registrations and decisions."""
    certifications = [CertificationFactory(), CertificationFactory()]
    assessor = AssessorFactory()
    AccreditationFactory(assessor=assessor, certifications=certifications)
    places = [establishment("69003", "Chimie de Lyon"), establishment("75011", "Paris")]
    member = JuryMemberFactory()
    past = session(datetime.date(2025, 6, 10), "Lyon", SessionStatus.HELD)
    past.members.set([member])
    coming = session(datetime.date(2030, 1, 15), "Paris", SessionStatus.OPEN)
    coming.members.set([member])
    recorder = UserFactory()
    states = list(DossierState)
    now = timezone.now()
    for index in range(count):
        state = states[index % len(states)]
        dossier = DossierFactory(
            establishment=places[index % 2],
            certification=certifications[index % 2],
            assessor=assessor,
            state=state,
        )
        steps = [(DossierState.REGISTERING, now - datetime.timedelta(days=90))]
        if state != DossierState.REGISTERING:
            steps.append((state, now - datetime.timedelta(days=90 - index)))
        history(dossier, *steps)
        if state == DossierState.AWAITING_ASSESSMENT:
            assessment = Assessment.objects.create(dossier=dossier, assessor=assessor)
            invitation(assessment, assessor.user, now + datetime.timedelta(days=30))
        elif state == DossierState.AWAITING_JURY:
            SessionRegistration.objects.create(
                session=coming, dossier=dossier, registered_by=recorder
            )
        elif state in OUTCOME_OF:
            decision(dossier, past, OUTCOME_OF[state], recorder)
    employer = UserFactory()
    MembershipFactory(user=employer, establishment=places[0])
    return SimpleNamespace(
        secretariat=StaffFactory(),
        employer=employer,
        assessor=assessor.user,
        jury_member=member.user,
        certification=certifications[0],
    )


@pytest.mark.parametrize("count", [1, 50])
def test_secretariat_statistics_queries(client, db, count, django_assert_num_queries):
    people = populate(count)
    client.force_login(people.secretariat)
    with django_assert_num_queries(17):  # was 20: one-pass counts, then the snapshot stored
        response = client.get(URL)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_secretariat_filtered_statistics_queries(client, db, count, django_assert_num_queries):
    people = populate(count)
    client.force_login(people.secretariat)
    query = f"?year={timezone.localdate().year}&certification={people.certification.pk}"
    with django_assert_num_queries(18):  # was 21: one-pass counts, then the snapshot stored
        response = client.get(URL + query + "&region=84&sector=")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_employer_dashboard_queries(client, db, count, django_assert_num_queries):
    people = populate(count)
    client.force_login(people.employer)
    with django_assert_num_queries(16):  # was 21: one-pass counts
        response = client.get(URL)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_assessor_dashboard_queries(client, db, count, django_assert_num_queries):
    people = populate(count)
    client.force_login(people.assessor)
    with django_assert_num_queries(13):  # was 18: one-pass counts
        response = client.get(URL)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_jury_member_dashboard_queries(client, db, count, django_assert_num_queries):
    people = populate(count)
    client.force_login(people.jury_member)
    with django_assert_num_queries(11):
        response = client.get(URL)
    assert response.status_code == 200
