"""The secretariat's list reads its page's ids by fixed SQL (dossiers.rows.every_dossier_ids):
the same ids, in the same order, as the ORM's filtered and sorted queryset."""

import datetime

import pytest
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.models import Dossier
from dossiers.rows import OWN_ORDERS, every_dossier_ids
from dossiers.selectors import filter_dossiers
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory

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


@pytest.mark.parametrize("sort", sorted(OWN_ORDERS))
@pytest.mark.parametrize("state", ["", DossierState.VALIDATED])
def test_same_ids_as_the_orm(dossiers, sort, state):
    queryset = filter_dossiers(Dossier.objects.all(), state=state, sort=sort)
    expected = list(queryset.values_list("pk", flat=True))
    assert every_dossier_ids(state=state, sort=sort, offset=0, limit=20) == expected
    assert every_dossier_ids(state=state, sort=sort, offset=1, limit=2) == expected[1:3]


def test_list_page_two_of_the_secretariat(client):
    DossierFactory.create_batch(23)
    client.force_login(StaffFactory())
    response = client.get("/dossiers/?page=2&sort=date")
    expected = list(
        filter_dossiers(Dossier.objects.all(), sort="date").values_list("pk", flat=True)[20:]
    )
    assert [row.pk for row in response.context["page_obj"].object_list] == expected
