"""The secretariat's list reads its count and its page in one fixed query
(dossiers.rows.every_dossier_page, PostgreSQL's counters): the same count, and the same
dossiers in the same order, as the ORM's filtered and sorted queryset."""

import datetime

import pytest
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.models import Dossier
from dossiers.rows import OWN_ORDERS, every_dossier_page
from dossiers.selectors import filter_dossiers
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory
from tests.utils import needs_postgresql

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers():
    made = [
        DossierFactory(state=state)
        for state in [
            DossierState.REGISTERING,
            DossierState.VALIDATED,
            DossierState.VALIDATED,
            DossierState.AWAITING_JURY,
            DossierState.VALIDATED,
            DossierState.REGISTERING,
        ]
    ]
    # Two dossiers created at the same instant: the id decides.
    moment = timezone.now() - datetime.timedelta(days=3)
    for index, dossier in enumerate(made):
        when = moment if index in (1, 2) else moment + datetime.timedelta(hours=index)
        Dossier.objects.filter(pk=dossier.pk).update(created_at=when)
    return made


def _page(state, sort, offset, limit):
    count, rows = every_dossier_page(
        state=state, sort=sort, offset=offset, limit=limit, user=StaffFactory()
    )
    return count, [row.pk for row in rows]


@needs_postgresql
@pytest.mark.parametrize("sort", sorted(OWN_ORDERS))
@pytest.mark.parametrize("state", ["", DossierState.VALIDATED])
def test_same_count_and_dossiers_as_the_orm(dossiers, sort, state):
    queryset = filter_dossiers(Dossier.objects.all(), state=state, sort=sort)
    expected = list(queryset.values_list("pk", flat=True))
    assert _page(state, sort, 0, 20) == (len(expected), expected)
    assert _page(state, sort, 1, 2) == (len(expected), expected[1:3])
    # Beyond the last dossier: no row, the count all the same.
    assert _page(state, sort, 20, 20) == (len(expected), [])


@needs_postgresql
def test_no_dossier_at_all():
    assert _page("", "-date", 0, 20) == (0, [])
    assert _page(DossierState.VALIDATED, "date", 0, 20) == (0, [])


@needs_postgresql
def test_rows_carry_what_the_list_shows(dossiers):
    _count, rows = every_dossier_page(
        state="", sort="numero", offset=0, limit=1, user=StaffFactory()
    )
    dossier = Dossier.objects.select_related("candidate", "establishment").get(pk=rows[0].pk)
    assert (rows[0].number, rows[0].state, rows[0].created_at) == (
        dossier.number,
        dossier.state,
        dossier.created_at,
    )
    assert rows[0].candidate_name == dossier.candidate.full_name
    assert rows[0].establishment__name == dossier.establishment.name


@pytest.mark.parametrize(
    "page, shown",
    [("2", 2), ("", 1), ("x", 1), ("0", 2), ("-1", 2), ("9", 2), ("2.5", 1)],
)
def test_list_pages_of_the_secretariat(client, page, shown):
    """The page Django's paginator shows, out-of-range and malformed numbers included (the
    count and rows are read for the page asked for; the last page then reads its own)."""
    DossierFactory.create_batch(23)
    client.force_login(StaffFactory())
    response = client.get(f"/dossiers/?page={page}&sort=date")
    ids = list(filter_dossiers(Dossier.objects.all(), sort="date").values_list("pk", flat=True))
    page_obj = response.context["page_obj"]
    assert (page_obj.number, page_obj.paginator.count) == (shown, 23)
    expected = ids[20:] if shown == 2 else ids[:20]
    assert [row.pk for row in page_obj.object_list] == expected
