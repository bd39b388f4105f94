"""Every statistic against the hand-counted dataset of `conftest.dataset`."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from dossiers.models import Dossier
from ecertif.accounts.geography import REGION_CHOICES
from ecertif.tables import Table
from jurys.models import JurySession
from stats import statistics
from stats.forms import StatsFilterForm
from stats.statistics import Filters, Scope
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory
from tests.stats.conftest import establishment

STATES = [
    "En cours d'inscription",
    "En attente d'évaluation",
    "En attente de jury",
    "Validé",
    "Partiel",
    "Non validé",
]
TIMED = ["En cours d'inscription", "En attente d'évaluation", "En attente de jury"]
THIRD = 1 / 3


def everything():
    return Scope(Dossier.objects.all(), JurySession.objects.all())


def regions(**counts):
    """The 18 regions in REGION_CHOICES order, 0 unless given by label."""
    return [(label, counts.get(label, 0)) for _code, label in REGION_CHOICES]


def by_state(*counts):
    return list(zip(STATES, counts, strict=True))


# Dossier counts


def test_dossiers_by_state_counts_every_state(dataset):
    table = statistics.dossiers_by_state(everything())
    assert table.key == "dossiers_par_statut"
    assert [column.header for column in table.columns] == ["Statut", "Dossiers"]
    assert table.rows == by_state(1, 1, 2, 2, 1, 1)


def test_dossiers_by_certification_lists_active_certifications_in_referentiel_order(dataset):
    assert statistics.dossiers_by_certification(everything()).rows == [
        ("Opérateur de fabrication", "Chimie", 4),
        ("Conducteur d'équipements", "Chimie", 2),
        ("Technicien pharmaceutique", "Pharmacie", 2),
    ]


def test_dossiers_by_certification_keeps_an_inactive_certification_that_counts(dataset):
    retired = dataset.certifications.c1
    retired.active = False
    retired.save()
    rows = statistics.dossiers_by_certification(everything()).rows
    assert rows[0] == ("Opérateur de fabrication", "Chimie", 4)
    assert "Ancien CQP" not in [row[0] for row in rows]


def test_dossiers_by_sector_includes_a_sector_without_dossier(dataset):
    assert statistics.dossiers_by_sector(everything()).rows == [
        ("Chimie", 6),
        ("Pharmacie", 2),
        ("Plasturgie", 0),
    ]


def test_dossiers_by_region_lists_every_region_zeros_included(dataset):
    table = statistics.dossiers_by_region(everything())
    assert len(table.rows) == 18
    assert table.rows == regions(
        **{"Auvergne-Rhône-Alpes": 3, "Île-de-France": 3, "Hauts-de-France": 2}
    )
    assert ("Corse", 0) in table.rows


def test_dossiers_by_region_reports_unrecognised_postcodes(dataset):
    # 98000 (Monaco) is no French department: the establishment has no region.
    DossierFactory(establishment=establishment("98000", "Chimie monégasque"))
    rows = statistics.dossiers_by_region(everything()).rows
    assert len(rows) == 19
    assert rows[-1] == ("Région non reconnue", 1)


def test_dossiers_by_year_fills_the_gaps_and_counts_in_paris_time(dataset):
    # d3 was created on 1 January 2025 at 00:30 in Paris (still 2024 in UTC).
    assert statistics.dossiers_by_year(everything()).rows == [
        ("2022", 1),
        ("2023", 0),
        ("2024", 3),
        ("2025", 4),
    ]


# Outcomes


def test_outcomes_by_certification_count_standing_decisions_only(dataset):
    table = statistics.outcomes_by_certification(everything())
    assert [column.kind for column in table.columns] == [
        "text",
        "int",
        "int",
        "int",
        "int",
        "percent",
        "percent",
        "percent",
    ]
    # c2's only decision (d8) was revoked: c2 has no result.
    assert table.rows == [
        ("Opérateur de fabrication", 2, 1, 0, 1, 0.5, 0.0, 0.5),
        ("Technicien pharmaceutique", 2, 1, 1, 0, 0.5, 0.5, 0.0),
    ]


def test_outcomes_by_year_group_by_the_year_of_the_session(dataset):
    table = statistics.outcomes_by_year(everything())
    assert table.rows == [
        ("2024", 1, 1, 0, 0, 1.0, 0.0, 0.0),
        ("2025", 3, 1, 1, 1, THIRD, THIRD, THIRD),
    ]


# Time spent in each state

EXPECTED_STAYS = [
    # state, finished stays, median, mean (days)
    ("En cours d'inscription", 4, 8.5, 10.5),  # 4, 7, 10, 21
    ("En attente d'évaluation", 3, 21.0, 22.0),  # 15, 21, 30
    ("En attente de jury", 2, 27.5, 27.5),  # 10, 45
]


def test_median_days_by_state_ignore_open_stays(dataset):
    table = statistics.median_days_by_state(everything())
    assert [column.header for column in table.columns] == [
        "Statut",
        "Séjours terminés",
        "Durée médiane (jours)",
        "Durée moyenne (jours)",
    ]
    assert table.rows == EXPECTED_STAYS


def test_median_days_by_state_portable_query_gives_the_same_answer(dataset):
    assert statistics.median_days_by_state(everything(), method="ordered").rows == EXPECTED_STAYS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_median_days_by_state_percentile_and_portable_queries_agree(dataset):
    for filters in [None, Filters(year=2025), Filters(certification=dataset.certifications.c1.pk)]:
        percentile = statistics.median_days_by_state(everything(), filters, method="percentile")
        ordered = statistics.median_days_by_state(everything(), filters, method="ordered")
        assert percentile.rows == ordered.rows


def test_median_days_by_state_follow_the_filters(dataset):
    # Created in 2024: d1 (open), d2 (10 days registering, open after), d4.
    table = statistics.median_days_by_state(everything(), Filters(year=2024))
    assert table.rows == [
        ("En cours d'inscription", 2, 15.5, 15.5),
        ("En attente d'évaluation", 1, 15.0, 15.0),
        ("En attente de jury", 1, 45.0, 45.0),
    ]


# Sessions and what waits


def test_sessions_load_lists_every_session_of_the_scope(dataset):
    table = statistics.sessions_load(everything())
    assert [column.kind for column in table.columns][:4] == ["date", "text", "text", "int"]
    assert table.rows == [
        (datetime.date(2031, 3, 1), "", "Planifiée", 0, 0, 0, 0, 0),
        (
            datetime.date(2030, 1, 15),
            "Maison de la Chimie",
            "Ouverte aux inscriptions",
            1,
            1,
            0,
            0,
            0,
        ),
        (datetime.date(2025, 6, 10), "Lyon", "Tenue", 3, 0, 1, 1, 1),
        # d8's decision was revoked and its registration ended: only d4 remains.
        (datetime.date(2024, 11, 20), "Paris", "Clôturée", 1, 0, 1, 0, 0),
    ]


def test_sessions_load_filtered_keeps_only_sessions_with_counted_dossiers(dataset):
    table = statistics.sessions_load(everything(), Filters(year=2025))
    assert table.rows == [
        (
            datetime.date(2030, 1, 15),
            "Maison de la Chimie",
            "Ouverte aux inscriptions",
            1,
            1,
            0,
            0,
            0,
        ),
        # d7 was created in 2022.
        (datetime.date(2025, 6, 10), "Lyon", "Tenue", 2, 0, 0, 1, 1),
    ]


def test_waiting_counts_what_waits_for_someone(dataset):
    assert statistics.waiting(everything()).rows == [
        ("Dossiers en cours d'inscription (employeur)", 1),
        ("Dossiers en attente d'évaluation", 1),
        ("… dont évaluateur métier pas encore invité", 0),
        ("Invitations d'évaluateurs métier sans réponse", 1),
        ("Invitations d'évaluateurs métier expirées sans réponse", 1),
        ("Dossiers en attente de jury, à inscrire à une session", 1),
        ("Dossiers inscrits à une session, en attente de décision", 1),
    ]


def test_waiting_counts_dossiers_whose_workplace_assessor_is_not_invited(dataset):
    dataset.dossiers.d2.assessment.invitations.update(revoked_at=timezone.now())
    rows = dict(statistics.waiting(everything()).rows)
    assert rows["… dont évaluateur métier pas encore invité"] == 1
    assert rows["Invitations d'évaluateurs métier sans réponse"] == 0


# An empty database


def test_every_table_of_an_empty_dataset(db):
    tables = {table.key: table for table in statistics.all_tables(everything())}
    assert tables["dossiers_par_statut"].rows == by_state(0, 0, 0, 0, 0, 0)
    assert tables["dossiers_par_certification"].rows == []
    assert tables["dossiers_par_filiere"].rows == []
    assert tables["dossiers_par_region"].rows == regions()
    assert tables["dossiers_par_annee"].rows == []
    assert tables["resultats_par_certification"].rows == []
    assert tables["resultats_par_annee"].rows == []
    assert tables["duree_par_statut"].rows == [(state, 0, None, None) for state in TIMED]
    assert tables["sessions_jury"].rows == []
    assert [count for _label, count in tables["en_attente"].rows] == [0] * 7


def test_filters_matching_nothing_give_zeros(dataset):
    corse = Filters(region="94")
    assert statistics.dossiers_by_state(everything(), corse).rows == by_state(0, 0, 0, 0, 0, 0)
    assert statistics.dossiers_by_sector(everything(), corse).rows == [
        ("Chimie", 0),
        ("Pharmacie", 0),
        ("Plasturgie", 0),
    ]
    assert statistics.outcomes_by_year(everything(), corse).rows == []
    assert statistics.sessions_load(everything(), corse).rows == []


# Filters


def test_filter_by_year(dataset):
    year = Filters(year=2025)
    assert statistics.dossiers_by_state(everything(), year).rows == by_state(0, 0, 2, 0, 1, 1)
    assert statistics.dossiers_by_year(everything(), year).rows == [("2025", 4)]
    assert statistics.outcomes_by_year(everything(), year).rows == [
        ("2025", 2, 0, 1, 1, 0.0, 0.5, 0.5)
    ]


def test_filter_by_certification(dataset):
    c1 = Filters(certification=dataset.certifications.c1.pk)
    assert statistics.dossiers_by_state(everything(), c1).rows == by_state(1, 1, 0, 1, 0, 1)
    assert statistics.dossiers_by_certification(everything(), c1).rows == [
        ("Opérateur de fabrication", "Chimie", 4),
        ("Conducteur d'équipements", "Chimie", 0),
        ("Technicien pharmaceutique", "Pharmacie", 0),
    ]
    assert statistics.outcomes_by_certification(everything(), c1).rows == [
        ("Opérateur de fabrication", 2, 1, 0, 1, 0.5, 0.0, 0.5)
    ]


def test_filter_by_sector(dataset):
    pharmacie = Filters(sector=dataset.sectors.pharmacie.pk)
    assert statistics.dossiers_by_state(everything(), pharmacie).rows == by_state(0, 0, 0, 1, 1, 0)
    assert statistics.dossiers_by_sector(everything(), pharmacie).rows == [
        ("Chimie", 0),
        ("Pharmacie", 2),
        ("Plasturgie", 0),
    ]


def test_filter_by_region(dataset):
    north = Filters(region="32")
    assert statistics.dossiers_by_state(everything(), north).rows == by_state(0, 0, 1, 1, 0, 0)
    assert statistics.dossiers_by_region(everything(), north).rows == regions(
        **{"Hauts-de-France": 2}
    )


def test_filters_combine(dataset):
    filters = Filters(year=2025, sector=dataset.sectors.chimie.pk, region="84")
    assert statistics.dossiers_by_state(everything(), filters).rows == by_state(0, 0, 1, 0, 0, 0)


def test_filters_as_query_and_back_through_the_form(dataset):
    filters = Filters(year=2025, certification=dataset.certifications.c3.pk, region="11")
    query = filters.as_query()
    assert query == {
        "year": "2025",
        "certification": str(dataset.certifications.c3.pk),
        "region": "11",
    }
    data = QueryDict(mutable=True)
    data.update(query)
    assert StatsFilterForm(data).filters() == filters


def test_filter_form_ignores_invalid_values(dataset):
    form = StatsFilterForm(QueryDict("year=abc&certification=999999&region=11"))
    assert form.filters() == Filters(region="11")
    assert set(form.errors) == {"year", "certification"}


def test_filter_form_without_data_filters_nothing(db):
    assert StatsFilterForm().filters() == Filters()
    assert not Filters().active


# Per-user scope


def test_employer_counts_only_its_establishment(dataset):
    scope = statistics.scope_for(dataset.paris_employer)
    assert statistics.dossiers_by_state(scope).rows == by_state(0, 0, 0, 1, 1, 1)
    assert statistics.dossiers_by_region(scope).rows == regions(**{"Île-de-France": 3})
    assert statistics.outcomes_by_certification(scope).rows == [
        ("Opérateur de fabrication", 2, 1, 0, 1, 0.5, 0.0, 0.5),
        ("Technicien pharmaceutique", 1, 0, 1, 0, 0.0, 1.0, 0.0),
    ]
    # Only the sessions where its dossiers were examined.
    assert statistics.sessions_load(scope).rows == [
        (datetime.date(2025, 6, 10), "Lyon", "Tenue", 2, 0, 0, 1, 1),
        (datetime.date(2024, 11, 20), "Paris", "Clôturée", 1, 0, 1, 0, 0),
    ]


def test_assessor_counts_its_submitted_dossiers(dataset):
    scope = statistics.scope_for(dataset.assessor.user)
    # d1 is still being registered: not the assessor's yet.
    assert statistics.dossiers_by_state(scope).rows == by_state(0, 1, 2, 2, 1, 1)
    rows = dict(statistics.waiting(scope).rows)
    assert rows["Dossiers en attente d'évaluation"] == 1
    assert rows["Invitations d'évaluateurs métier sans réponse"] == 1


def test_jury_member_counts_the_dossiers_of_its_sessions(dataset):
    scope = statistics.scope_for(dataset.jury_member.user)
    assert statistics.sessions_load(scope).rows == [
        (datetime.date(2025, 6, 10), "Lyon", "Tenue", 3, 0, 1, 1, 1),
    ]
    assert statistics.dossiers_by_state(scope).rows == by_state(0, 0, 0, 1, 1, 1)
    assert statistics.outcomes_by_year(scope).rows == [("2025", 3, 1, 1, 1, THIRD, THIRD, THIRD)]


def test_secretariat_counts_everything(dataset):
    scope = statistics.scope_for(StaffFactory())
    assert statistics.dossiers_by_state(scope).rows == by_state(1, 1, 2, 2, 1, 1)
    assert len(statistics.sessions_load(scope).rows) == 4


def test_a_plain_dossier_queryset_is_a_scope(dataset):
    paris = Dossier.objects.filter(establishment=dataset.establishments.paris)
    assert statistics.dossiers_by_state(paris).rows == by_state(0, 0, 0, 1, 1, 1)
    assert len(statistics.sessions_load(paris).rows) == 2


# Registry


def test_all_tables_and_table_by_key(dataset):
    tables = statistics.all_tables(everything(), Filters(year=2025))
    assert [table.key for table in tables] == list(statistics.TABLES)
    assert all(isinstance(table, Table) for table in tables)
    one = statistics.table("dossiers_par_region", everything(), Filters(year=2025))
    assert one.rows == tables[3].rows
    with pytest.raises(KeyError):
        statistics.table("inconnu", everything())


def test_every_row_matches_its_columns(dataset):
    for table in statistics.all_tables(everything()):
        assert table.title
        assert all(len(row) == len(table.columns) for row in table.rows), table.key


def test_every_statistic_runs_a_fixed_number_of_queries(dataset, django_assert_num_queries):
    # One query per table, except: certifications 2 (counts, then the référentiel; the
    # sectors reuse the counts and read their names), « Ce qui attend » 2 (invitations,
    # registrations; it reuses the state counts), sessions 3.
    with django_assert_num_queries(14):
        statistics.all_tables(everything(), Filters(year=2025, region="84"))
