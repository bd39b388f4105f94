"""The per-state counters kept by PostgreSQL's triggers (dossiers/counts.py): always equal to a
full count, whatever writes the dossiers (ORM, bulk, update(), delete, COPY-like inserts)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers import counts
from dossiers.enums import DossierState
from dossiers.models import Dossier, StateCount
from dossiers.selectors import maintained_count
from dossiers.tasks import compact_counts
from ecertif.accounts.enums import Role
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory
from tests.utils import needs_postgresql

pytestmark = pytest.mark.django_db


def real_counts():
    with connection.cursor() as cursor:
        cursor.execute("SELECT state, count(*) FROM dossiers_dossier GROUP BY state")
        return dict(cursor.fetchall())


@needs_postgresql
def test_counts_follow_creation_state_change_update_and_delete():
    first = DossierFactory()
    DossierFactory(awaiting_jury=True)
    DossierFactory(validated=True)
    assert (
        counts.state_counts()
        == real_counts()
        == {
            DossierState.REGISTERING: 1,
            DossierState.AWAITING_JURY: 1,
            DossierState.VALIDATED: 1,
        }
    )
    Dossier.objects.filter(pk=first.pk).update(state=DossierState.AWAITING_ASSESSMENT)
    Dossier.objects.filter(state=DossierState.VALIDATED).update(state=DossierState.NOT_VALIDATED)
    # An update that leaves the state alone appends nothing.
    rows_before = StateCount.objects.count()
    Dossier.objects.update(submitted_at=None)
    assert StateCount.objects.count() == rows_before
    Dossier.objects.filter(state=DossierState.AWAITING_JURY).delete()
    assert (
        counts.state_counts()
        == real_counts()
        == {
            DossierState.AWAITING_ASSESSMENT: 1,
            DossierState.NOT_VALIDATED: 1,
        }
    )
    assert counts.count() == 2
    assert counts.count(DossierState.NOT_VALIDATED) == 1
    assert counts.count(DossierState.REGISTERING) == 0


@needs_postgresql
def test_bulk_insert_appends_one_row_per_state():
    template = DossierFactory()
    before = StateCount.objects.count()
    copies = []
    for index, state in enumerate([DossierState.VALIDATED] * 3 + [DossierState.AWAITING_JURY] * 2):
        copy = Dossier(
            number=f"B-{index}",
            establishment=template.establishment,
            candidate=template.candidate,
            certification=template.certification,
            training_scheme=template.training_scheme,
            assessor=template.assessor,
            created_by=template.created_by,
            state=state,
        )
        copies.append(copy)
    Dossier.objects.bulk_create(copies)
    assert StateCount.objects.count() == before + 2
    assert counts.state_counts() == real_counts()
    assert counts.count() == 6


@needs_postgresql
def test_compaction_keeps_the_totals_in_one_row_per_state():
    dossiers = [DossierFactory() for _ in range(3)]
    for dossier in dossiers[:2]:
        Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.AWAITING_ASSESSMENT)
    # One row per creation, two per move (out of one state, into the other).
    assert StateCount.objects.count() == 3 + 2 * 2
    compact_counts()
    assert sorted(StateCount.objects.values_list("state", "delta")) == [
        (DossierState.AWAITING_ASSESSMENT, 2),
        (DossierState.REGISTERING, 1),
    ]
    assert counts.state_counts() == real_counts()


@needs_postgresql
def test_secretariat_list_shows_the_maintained_count(client):
    for _ in range(2):
        DossierFactory(validated=True)
    DossierFactory()
    client.force_login(StaffFactory())
    client.get("/dossiers/")
    response = client.get("/dossiers/?state=validated")
    assert response.context["page_obj"].paginator.count == 2
    assert "2 dossiers</p>" in response.content.decode()
    # Never a count(*) over the dossiers for the secretariat's unfiltered list.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dossiers/").context["page_obj"].paginator.count == 3
    assert not any('COUNT(*) AS "__count" FROM "dossiers_dossier"' in q["sql"] for q in queries)


def test_maintained_count_only_for_every_dossier_filtered_by_state_at_most():
    staff = {Role.SECRETARIAT}
    DossierFactory(validated=True)
    expected = 1 if counts.maintained() else None
    assert maintained_count(staff, {}) == expected
    assert maintained_count(staff, {"state": DossierState.VALIDATED}) == expected
    for name in ["q", "certification", "year", "session"]:
        assert maintained_count(staff, {name: "x"}) is None
    # Other roles see part of the dossiers: counted by their own indexed filter.
    for role in [Role.EMPLOYER, Role.ASSESSOR, Role.JURY_MEMBER]:
        assert maintained_count({role}, {}) is None
