"""The secretariat's statistics from a snapshot: one row read, « calculé le », 10 minutes."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from stats import snapshots
from stats.models import StatisticsSnapshot
from stats.statistics import NO_FILTERS, Filters
from stats.tasks import refresh_snapshots
from stats.views import secretariat_keys
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory

URL = "/statistiques/"


def _states(html):
    match = re.search(r'<script id="donnees-dossiers_par_statut"[^>]*>(.*?)</script>', html, re.S)
    return match.group(1)


@pytest.mark.django_db
def test_secretariat_page_is_served_from_the_snapshot_for_ten_minutes(client):
    DossierFactory()
    client.force_login(StaffFactory())
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        first = client.get(URL).content.decode()
    shown = timezone.localtime(start).strftime("%d/%m/%Y à %H:%M")
    assert f"Chiffres calculés le {shown} (recalculés toutes les 10 minutes)." in first
    assert '"data": [1, 0, 0, 0, 0, 0]' in _states(first)
    DossierFactory()
    with time_machine.travel(start + datetime.timedelta(minutes=9), tick=False):
        assert '"data": [1, 0, 0, 0, 0, 0]' in _states(client.get(URL).content.decode())
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        later = client.get(URL).content.decode()
    assert '"data": [2, 0, 0, 0, 0, 0]' in _states(later)
    assert StatisticsSnapshot.objects.count() == 1


@pytest.mark.django_db
def test_secretariat_warm_page_reads_one_row_whatever_the_dossiers(
    client, django_assert_num_queries
):
    DossierFactory.create_batch(3)
    refresh_snapshots()
    client.force_login(StaffFactory())
    client.get(URL)  # session, user
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_refresh_task_recomputes_the_unfiltered_snapshot():
    refresh_snapshots()
    DossierFactory()
    refresh_snapshots()
    tables, _at = snapshots.read(secretariat_keys(), NO_FILTERS)
    assert tables["dossiers_par_statut"].rows[0] == ("En cours d'inscription", 1)


@pytest.mark.django_db
def test_snapshot_round_trips_dates_and_empty_cells():
    tables, _ = snapshots.compute(secretariat_keys(), Filters(year=2025))
    again, _ = snapshots.read(secretariat_keys(), Filters(year=2025))
    assert [t.rows for t in again.values()] == [t.rows for t in tables.values()]
    assert [t.columns for t in again.values()] == [t.columns for t in tables.values()]
