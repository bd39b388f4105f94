"""The dossier list: choices of the filter selects cached until their table changes."""

import pytest
from django.urls import reverse

from dossiers import counts
from tests.factories.accounts import StaffFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.jurys import JurySessionFactory

LIST_URL = "/dossiers/"


@pytest.mark.django_db
def test_list_second_visit_reads_no_select_choices(client, django_assert_num_queries):
    DossierFactory()
    client.force_login(StaffFactory())
    client.get(LIST_URL)
    # Session, user (with its roles and unread count), then the count, the page's ids and its
    # rows (one query on PostgreSQL, whose counters count; three elsewhere): the selects come
    # from the cache.
    with django_assert_num_queries(3 if counts.maintained() else 5):
        assert client.get(LIST_URL).status_code == 200


@pytest.mark.django_db
def test_list_session_choices_follow_a_new_session(client):
    client.force_login(StaffFactory())
    client.get(LIST_URL)
    session = JurySessionFactory()
    html = client.get(LIST_URL).content.decode()
    assert f'<option value="{session.pk}">Jury du {session.date:%d/%m/%Y}</option>' in html


@pytest.mark.django_db
def test_list_rows_carry_their_actions_once_per_page(client):
    dossier = DossierFactory()
    client.force_login(StaffFactory())
    row = client.get(LIST_URL).context["page_obj"].object_list[0]
    assert row.pk == dossier.pk
    assert (row.can_edit, row.can_duplicate, row.can_assess) == (False, False, False)


@pytest.mark.django_db
def test_list_row_links_point_to_their_dossier(client):
    dossier = DossierFactory(validated=True)
    client.force_login(StaffFactory())
    html = client.get(LIST_URL).content.decode()
    for name in ["dossiers:detail", "dossier_pdf", "jurys:dossier_sheet"]:
        assert f'href="{reverse(name, args=[dossier.pk])}"' in html
    assert f'href="{reverse("exports:dossiers")}?q={dossier.number}"' in html
